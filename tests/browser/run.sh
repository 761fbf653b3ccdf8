#!/usr/bin/env bash
# The HTML report in a real browser: loads every fixtures/diff/<case>/ report
# in headless Chromium and asserts from the dumped DOM that no script ran
# (every script in the hostile fixture sets data-pwned on <body>), and from a
# local HTTP listener on 127.0.0.1:47613 (where every URL of the hostile
# fixture points) that nothing was fetched. A control page without the
# report's protections shows that both checks can fail. Screenshots of three
# reports land in target/ (target/review.png, target/review-hostile.png,
# target/review-dark.png). tests/browser/image_compare.py then drives the
# image comparison views with JavaScript disabled (target/browser/image-diff-*.png;
# the copies in docs/ come from it).
#
# Usage: bash tests/browser/run.sh [NBDIFF_BINARY]   (default target/release/nbdiff,
# else target/debug/nbdiff). Installs Debian's chromium when missing and root.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${1:-}
if [ -z "$bin" ]; then
    for b in target/release/nbdiff target/debug/nbdiff; do
        if [ -x "$b" ]; then bin=$b; break; fi
    done
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "tests/browser/run.sh: FAILED: no nbdiff binary (build first)" >&2
    exit 1
fi

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "tests/browser/run.sh: installing Debian's chromium" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "tests/browser/run.sh: FAILED: chromium is not installed and this user cannot install it (needs root and apt-get)" >&2
        exit 1
    fi
fi

work=$(mktemp -d)
out=target/browser
rm -rf "$out"
mkdir -p "$out" "$work/empty"
port=47613
listener_pid=""
cleanup() {
    if [ -n "$listener_pid" ]; then kill "$listener_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The listener: logs every request it gets (to stderr, one line each).
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/empty" \
    2>"$out/listener.log" >/dev/null &
listener_pid=$!
for _ in $(seq 50); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
        break
    fi
    sleep 0.1
done

chrome() {
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
        --user-data-dir="$(mktemp -d -p "$work")" --virtual-time-budget=3000 "$@" 2>/dev/null
}

requests() { grep -c '"GET\|"POST\|"HEAD' "$out/listener.log" || true; }

failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

# The control: a page without CSP or sanitising runs its script and fetches.
cat >"$work/control.html" <<HTML
<!DOCTYPE html><html><head><title>control</title></head><body>
<img src="http://127.0.0.1:$port/control.png">
<script>document.body.setAttribute('data-pwned', 'control')</script></body></html>
HTML
dom=$(chrome --dump-dom "file://$work/control.html")
if ! grep -q '<body[^>]*data-pwned' <<<"$dom"; then fail "control: a plain script did not mark the DOM (the check cannot see scripts)"; fi
sleep 0.5
if [ "$(requests)" = 0 ]; then fail "control: the listener saw no request (the check cannot see fetches)"; fi
: >"$out/listener.log"

pass=0
for case in fixtures/diff/*/; do
    case=${case%/}
    name=$(basename "$case")
    [ -f "$case/old.ipynb" ] || continue
    report="$out/$name.html"
    "$bin" --html "$case/old.ipynb" "$case/new.ipynb" >"$report"
    dom=$(chrome --dump-dom "file://$PWD/$report")
    if [ -z "$dom" ]; then fail "$name: chromium dumped no DOM"; continue; fi
    if grep -q '<body[^>]*data-pwned' <<<"$dom"; then
        fail "$name: a script ran: $(grep -o '<body[^>]*>' <<<"$dom")"
        continue
    fi
    if ! grep -q '<main>' <<<"$dom"; then fail "$name: the report did not load (navigated away?)"; continue; fi
    pass=$((pass + 1))
done
sleep 0.5
n=$(requests)
if [ "$n" != 0 ]; then
    fail "the reports fetched $n URL(s):"
    cat "$out/listener.log"
fi
hostile="$out/hostile-html.html"
if [ ! -s "$hostile" ]; then fail "no report of the hostile fixture"; fi

chrome --screenshot="$PWD/target/review.png" --window-size=1280,2000 "file://$PWD/$out/image-changed.html" >/dev/null || fail "screenshot"
chrome --screenshot="$PWD/target/review-hostile.png" --window-size=1280,2400 "file://$PWD/$hostile" >/dev/null || fail "screenshot (hostile)"
chrome --force-dark-mode --blink-settings=preferredColorScheme=0 --screenshot="$PWD/target/review-dark.png" \
    --window-size=1280,2000 "file://$PWD/$out/cell-moved-edited.html" >/dev/null || fail "screenshot (dark)"

# The image comparison views (difference, slider, flip) with JavaScript
# disabled, driven by clicks and a drag; screenshots in target/browser/.
python3 tests/browser/image_compare.py "$out/image-pixels-changed.html" "$out" || fail "image comparison views"

echo "browser: $pass reports loaded in chromium, no script ran, $n requests; screenshots in target/review*.png"
echo "$pass passed, $failures failed"
[ "$failures" = 0 ]
