#!/usr/bin/env bash
# The committee report in a real browser: make a small comparison and a run, write their
# reports with `pillars report`, render each with headless Chromium, and check that
#   - the HTML fetches nothing (no http:// or https:// in it),
#   - the page logs no console errors (Chromium's log on stderr, and --dump-dom succeeds),
#   - the charts rendered: the screenshot has the charts' colours in at least N separate
#     bands (forest plot, cost against effect, P(best); the run's participation chart).
# Skips (exit 0, with a clear message) only when Chromium is missing and cannot be installed
# (setup.sh --browser tries apt-get). SCREENSHOT=path keeps the comparison's screenshot.
#
#   PILLARS=.build/debug/pillars bash Scripts/check_report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PILLARS="${PILLARS:-$(swift build -c debug --show-bin-path)/pillars}"
PY=.venv/bin/python
bash Scripts/setup.sh --browser || true
CHROME=""
for c in chromium chromium-browser google-chrome; do command -v "$c" >/dev/null 2>&1 && { CHROME=$c; break; }; done
if [ -z "$CHROME" ]; then
  echo "report browser check: SKIPPED — no chromium and it could not be installed (apt-get install chromium)" >&2
  exit 0
fi
[ -x "$PY" ] || { echo "report browser check: no $PY (run bash Scripts/setup.sh --python)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
short=(--set simulation.days=120 --set population.households=200 --quiet)
"$PILLARS" compare Scenarios/schemes/_no-incentives.yaml --scheme Scenarios/schemes/points-all.yaml \
  --scheme Scenarios/schemes/perks-young.yaml --reps 6 --budget 20000 --out "$work/cmp" "${short[@]}"
"$PILLARS" run Scenarios/quickstart.yaml --reps 2 --out "$work/run" --set population.households=200 --quiet
failed=0
# Chromium logs every console message (console.error, uncaught exceptions, failed loads) as
# "INFO:CONSOLE:…" (older builds "CONSOLE(…)"); a page of ours logs none. Checked first on a
# page that does log, so a change of Chromium's log format cannot pass silently.
CONSOLE_PATTERN='CONSOLE[:(]|Uncaught'
printf '<!DOCTYPE html><html><body><script>console.error("x"); notDefined();</script></body></html>' >"$work/bad.html"
"$CHROME" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --dump-dom "file://$work/bad.html" >/dev/null 2>"$work/bad.err" || true
if ! grep -Eq "$CONSOLE_PATTERN" "$work/bad.err"; then
  echo "report browser check: this Chromium does not log console errors on stderr as expected; cannot check for them" >&2
  exit 1
fi
check() {  # check DIR MIN_BANDS
  local dir=$1 bands=$2
  "$PILLARS" report "$dir" >/dev/null
  local html="$dir/report.html"
  if grep -Eq 'https?://' "$html"; then echo "report browser check: $html refers to http(s):// sources" >&2; failed=1; fi
  # --virtual-time-budget lets the page settle; the log goes to stderr.
  "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,3200 \
    --enable-logging=stderr --v=0 --screenshot="$dir/shot.png" "file://$html" >"$dir/chrome.out" 2>"$dir/chrome.err" || true
  "$CHROME" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --dump-dom "file://$html" \
    >"$dir/dom.html" 2>>"$dir/chrome.err" || true
  if grep -Eq "$CONSOLE_PATTERN" "$dir/chrome.err"; then
    echo "report browser check: console messages in $html:" >&2; grep -E "$CONSOLE_PATTERN" "$dir/chrome.err" >&2; failed=1
  fi
  if ! grep -q '<svg' "$dir/dom.html"; then echo "report browser check: the rendered DOM of $html has no chart" >&2; failed=1; fi
  [ -s "$dir/shot.png" ] || { echo "report browser check: no screenshot of $html" >&2; tail -5 "$dir/chrome.err" >&2; failed=1; return; }
  "$PY" - "$dir/shot.png" "$bands" <<'PY' || failed=1
import sys
from PIL import Image
path, want = sys.argv[1], int(sys.argv[2])
img = Image.open(path).convert("RGB")
w, h = img.size
px = img.load()
palette = [(0x1f, 0x77, 0xb4), (0xd6, 0x27, 0x28), (0x2c, 0xa0, 0x2c), (0x94, 0x67, 0xbd), (0xff, 0x7f, 0x0e), (0x8c, 0x56, 0x4b)]
def coloured(p):
    return any(abs(p[0] - c[0]) + abs(p[1] - c[1]) + abs(p[2] - c[2]) < 40 for c in palette)
rows = [any(coloured(px[x, y]) for x in range(w)) for y in range(h)]  # a 1-px line counts
# Bands: runs of rows with chart colours, merged across gaps of < 40 px (one chart).
bands, start, gap = [], None, 0
for y, r in enumerate(rows):
    if r:
        if start is None: start = y
        gap = 0
    elif start is not None:
        gap += 1
        if gap >= 40: bands.append((start, y - gap)); start, gap = None, 0
if start is not None: bands.append((start, h - 1))
bands = [b for b in bands if b[1] - b[0] >= 8]  # one bar of a bar chart is about 10 px tall
# Not blank: the image varies (a white page has one colour).
colours = len(img.resize((200, 400)).getcolors(maxcolors=1 << 20) or [])
print(f"report browser check: {path}: {w}x{h}, {len(bands)} chart band(s) at {bands}, {colours} colours")
if colours < 20 or len(bands) < want:
    print(f"report browser check: {path}: expected at least {want} rendered charts", file=sys.stderr)
    sys.exit(1)
PY
}
check "$work/cmp" 3
check "$work/run" 1
if [ -n "${SCREENSHOT:-}" ]; then cp "$work/cmp/shot.png" "$SCREENSHOT"; fi
[ $failed = 0 ] || { echo "report browser check: FAILED" >&2; exit 1; }
echo "report browser check: ok (headless $("$CHROME" --version 2>/dev/null | head -1))"
