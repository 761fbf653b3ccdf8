#!/usr/bin/env bash
# `git log -p` over a notebook history with and without git's textconv cache
# (diff.nbdiff.cachetextconv), side by side (not part of the tests).
# Usage: git-integration/cache-bench.sh CORPUS_DIR NBDIFF_BIN [RUNS]
# CORPUS_DIR holds <case>/a.ipynb and <case>/b.ipynb. Builds a temporary
# repository whose notebooks/ folder goes a, b, a, b, a, b over 6 commits, then
# times `git log -p -- notebooks/` (median of RUNS, default 5):
#   1. no driver (git's line diff of the JSON),
#   2. textconv, cache off (one `nbdiff show` per blob per diff),
#   3. textconv, cache on, first run (fills refs/notes/textconv/nbdiff),
#   4. textconv, cache on, later runs (reads the notes).
set -euo pipefail
corpus=$1; nbdiff=$2; runs=${3:-5}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$tmp/home/gitconfig XDG_CONFIG_HOME=$tmp/xdg
mkdir -p "$HOME" "$XDG_CONFIG_HOME"
git config --global user.name bench; git config --global user.email bench@example.com
repo=$tmp/repo; git init -q "$repo"; cd "$repo"; mkdir notebooks
for v in a b a b a b; do
  for c in "$corpus"/*/; do cp "$c/$v.ipynb" "notebooks/$(basename "$c").ipynb"; done
  git add -A; git commit -qm "$v"
done
echo "repository: $(ls notebooks/*.ipynb | wc -l) notebooks, $(du -sh notebooks | cut -f1), 6 commits"

now() { date +%s.%N; }
# median of $runs timings of "$@" (output discarded)
median() {
  local ts=()
  for _ in $(seq "$runs"); do
    local t0; t0=$(now); "$@" >/dev/null 2>&1; ts+=("$(echo "$(now) - $t0" | bc)")
  done
  printf '%s\n' "${ts[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
log() { git --no-pager log -p -- notebooks/; }

plain=$(median log)
"$nbdiff" config-git --enable >/dev/null
git config diff.nbdiff.cachetextconv false
nocache=$(median log)
git config diff.nbdiff.cachetextconv true
t0=$(now); log >/dev/null 2>&1; first=$(echo "$(now) - $t0" | bc)
cached=$(median log)
printf '%-44s %8.3f s\n' "git log -p (no driver)" "$plain" \
  "git log -p (textconv, cachetextconv=false)" "$nocache" \
  "git log -p (textconv, cache: first run)" "$first" \
  "git log -p (textconv, cache: later runs)" "$cached"
