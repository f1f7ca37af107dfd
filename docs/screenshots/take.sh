#!/usr/bin/env bash
# Takes the workbench screenshots in docs/screenshots/ under Xvfb, at one screen size:
#   docs/screenshots/take.sh 1366x768      (and again with 1600x1000)
# It copies the default policy into a fresh workspace, saves it as v1, lowers U1's threshold and saves v2 with the
# CLI, then opens the real workbench on it (--policy, --data) with an empty home folder and drives it with xdotool
# (keys where there are shortcuts, clicks at positions read from the window at that size). Needs xvfb,
# imagemagick (import) and xdotool. Look at every picture before committing it.
set -euo pipefail
size=${1:?usage: take.sh WIDTHxHEIGHT}
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="$here/docs/screenshots"
tmp=$(mktemp -d)
ws="$tmp/ws"
mkdir -p "$ws"
cp "$here/policies/rsafe-default.yaml" "$ws/rsafe-default.yaml"
policy="$ws/rsafe-default.yaml"
"$here/app/rsafe" version save "$policy" -m "First draft" >/dev/null
sed -i 's/^    title: "Violence & Physical Harm"$/&\n    threshold: 0.30/' "$policy"
"$here/app/rsafe" version save "$policy" -m "Lower U1's threshold to 0.30" >/dev/null

export HOME="$tmp/home"
mkdir -p "$HOME"
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 "${size}x24" >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$tmp"' EXIT
sleep 2
"$here/app/rsafe-workbench" --policy "$policy" --data "$here/sample-inputs/prompts.csv" >"$tmp/app.log" 2>&1 &
app=$!

shot() { sleep "${2:-3}"; import -window root "$out/$1-$size.png"; echo "wrote $out/$1-$size.png"; }
key() { xdotool key --clearmodifiers "$@"; }
click() { xdotool mousemove "$1" "$2" click 1; }
# Positions are fractions of the screen, so one script serves both sizes.
w=${size%x*}
h=${size#*x}
at() { echo $(( w * $1 / 1000 )) $(( h * $2 / 1000 )); }

sleep "${WAIT_START:-60}"     # the quick engine loads and judges the sample prompt
shot main 1

# A stale verdict: an edit to the policy after the run (a comment at the end of U1's title line).
click $(at 300 200)
key ctrl+End
xdotool type --delay 40 "# edited after the run"
shot stale 2
key ctrl+z
sleep 1

key ctrl+2                     # Batch tab
sleep 1
"$here/docs/screenshots/click-button.sh" "Run batch" 2>/dev/null || click $(at "${BATCH_RUN_X:-960}" "${BATCH_RUN_Y:-57}")
shot batch "${WAIT_BATCH:-40}"

echo "now take versions / compare / export by hand if the positions moved: see docs/gui.md"
