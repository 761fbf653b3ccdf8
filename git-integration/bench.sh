#!/usr/bin/env bash
# Measures the git integration on real notebooks (not part of the tests).
# Usage: git-integration/bench.sh CORPUS_DIR NBDIFF_BIN [NBDIME_NBDIFF]
# CORPUS_DIR holds <case>/a.ipynb and <case>/b.ipynb. Builds a temporary
# repository with 4 commits (all a, all b, all a, all b), then times with
# hyperfine: git log -p without and with the textconv driver, git diff HEAD~1
# HEAD with the external driver, and nbdiff HEAD~1 HEAD (vs nbdime's).
set -euo pipefail
corpus=$1; nbdiff=$2; nbdime=${3:-}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$tmp/home/gitconfig XDG_CONFIG_HOME=$tmp/xdg
mkdir -p "$HOME" "$XDG_CONFIG_HOME"
git config --global user.name bench; git config --global user.email bench@example.com
repo=$tmp/repo; git init -q "$repo"; cd "$repo"
for v in a b a b; do
  for c in "$corpus"/*/; do cp "$c/$v.ipynb" "$(basename "$c").ipynb"; done
  git add -A; git commit -qm "$v"
done
echo "repository: $(ls *.ipynb | wc -l) notebooks, $(du -sh --exclude=.git . | cut -f1), 4 commits"
hyperfine -N --warmup 1 --runs 5 --export-markdown "$tmp/plain.md" \
  -n 'git log -p (no driver)' 'git --no-pager log -p'
"$nbdiff" config-git --enable >/dev/null
cmds=(-n 'git log -p (textconv: nbdiff show)' 'git --no-pager log -p'
      -n 'git diff HEAD~1 HEAD (external: nbdiff diff-driver)' 'git --no-pager diff HEAD~1 HEAD'
      -n 'nbdiff HEAD~1 HEAD' "$nbdiff HEAD~1 HEAD")
if [ -n "$nbdime" ]; then cmds+=(-n 'nbdime nbdiff HEAD~1 HEAD' "$nbdime HEAD~1 HEAD"); fi
hyperfine -N --warmup 1 --runs 5 --export-markdown "$tmp/driver.md" "${cmds[@]}"
cat "$tmp/plain.md" "$tmp/driver.md"
