#!/usr/bin/env bash
# nbdiff's pull-request review, as the GitHub workflow (nbdiff-review.yml)
# runs it; runs anywhere (the tests run it in a temporary repository).
#
#   BASE=<rev> HEAD=<rev> bash review.sh
#
# Writes, in $NBDIFF_OUT_DIR (default nbdiff-review/):
#   review.html  the self-contained HTML report (upload it as an artifact)
#   comment.md   the pull-request comment: a hidden marker line, then
#                nbdiff's Markdown summary of the notebooks that changed
#                between the merge base of BASE and HEAD, and HEAD
# Then the comment is posted, or the earlier one (found by its marker)
# updated, when running on GitHub Actions with GH_TOKEN, GITHUB_REPOSITORY
# and PR_NUMBER set (with the `gh` CLI the runners have). Elsewhere, or when
# NBDIFF_COMMENT_FILE names a file, the body is written there instead and
# nothing is posted.
#
# Environment: BASE, HEAD (required); NBDIFF (the binary, default `nbdiff`);
# NBDIFF_OUT_DIR; NBDIFF_MAX_BYTES (default 60000); NBDIFF_ARGS (extra
# options, e.g. `-a`); NBDIFF_COMMENT_FILE; GH_TOKEN, GITHUB_REPOSITORY,
# PR_NUMBER, and GITHUB_SERVER_URL/GITHUB_RUN_ID (for a link to the run).
set -euo pipefail

: "${BASE:?BASE: the base revision of the pull request}"
: "${HEAD:?HEAD: the head revision of the pull request}"
nbdiff=${NBDIFF:-nbdiff}
out=${NBDIFF_OUT_DIR:-nbdiff-review}
max=${NBDIFF_MAX_BYTES:-60000}
marker='<!-- nbdiff-review -->'
# shellcheck disable=SC2206 # word splitting of extra options is intended
extra=(${NBDIFF_ARGS:-})

mkdir -p "$out"
# What the pull request changed: from where it branched off, like GitHub's diff.
base=$(git merge-base "$BASE" "$HEAD")

"$nbdiff" "${extra[@]}" --html -o "$out/review.html" "$base" "$HEAD"
summary=$("$nbdiff" "${extra[@]}" --markdown --max-bytes "$((max - 400))" "$base" "$HEAD")

{
    echo "$marker"
    echo "$summary"
    if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_RUN_ID:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
        echo
        echo "The full report (images, rendered markdown and HTML) is the \`nbdiff-review\` artifact of [this run]($GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID)."
    fi
} >"$out/comment.md"
echo "review.sh: wrote $out/review.html and $out/comment.md"

if [ -n "${NBDIFF_COMMENT_FILE:-}" ]; then
    cp "$out/comment.md" "$NBDIFF_COMMENT_FILE"
    echo "review.sh: comment body written to $NBDIFF_COMMENT_FILE (not posted)"
    exit 0
fi
if [ "${GITHUB_ACTIONS:-}" != true ] || [ -z "${GH_TOKEN:-}" ] || [ -z "${PR_NUMBER:-}" ] || [ -z "${GITHUB_REPOSITORY:-}" ]; then
    echo "review.sh: not on GitHub Actions with GH_TOKEN and PR_NUMBER: comment not posted"
    exit 0
fi

# Post, or update the comment that carries the marker.
existing=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
    --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
body=$(jq -Rs '{body: .}' <"$out/comment.md")
if [ -n "$existing" ]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" --input - <<<"$body" >/dev/null \
        || echo "::warning::nbdiff: could not update the review comment (a pull request from a fork has a read-only token)"
    echo "review.sh: updated comment $existing"
else
    gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" --input - <<<"$body" >/dev/null \
        || echo "::warning::nbdiff: could not post the review comment (a pull request from a fork has a read-only token)"
    echo "review.sh: posted a comment"
fi
