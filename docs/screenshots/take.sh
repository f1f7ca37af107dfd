#!/usr/bin/env bash
# Takes the workbench screenshots in docs/screenshots/ under Xvfb, at one of the two documented screen sizes:
#   docs/screenshots/take.sh 1366x768
#   docs/screenshots/take.sh 1600x1000
# It copies the default policy into a fresh workspace, saves it as v1, lowers U1's threshold to 0.25 and saves v2
# with the CLI, opens the real workbench on it (--policy, --data) with an empty home folder, and drives it with
# xdotool: keys where there are shortcuts, clicks at the positions the window has at that size (read from earlier
# shots; if the layout changes, take a shot, read the new positions and update the table below). Needs xvfb,
# imagemagick (import) and xdotool. Look at every picture before committing it.
set -euo pipefail
size=${1:?usage: take.sh 1366x768|1600x1000}
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="$here/docs/screenshots"
w=${size%x*}
h=${size#*x}

# Positions (x y) at each size: editor text, Batch's Run batch, its Per clause tab (1600x1000 only), Versions tab,
# row v1, Compare with current,
# Compare's Run comparison tab, its Run comparison button, the first flip, the File menu, Export bundle…, Min F1,
# Max FPR, Validate.
case "$size" in
  1366x768)  editor="420 172"; runBatch="1309 101"; perClause=""; versionsTab="795 57"; v1Row="600 252"
             compareCurrent="896 101"; runTab="793 446"; runButton="652 488"; firstFlip="1100 427"
             fileMenu="26 18"; exportItem="76 237"; minF1="564 246"; maxFpr="564 286"; validate="283 392" ;;
  1600x1000) editor="460 172"; runBatch="1543 101"; perClause="816 644"; versionsTab="905 56"; v1Row="760 252"
             compareCurrent="994 101"; runTab="904 554"; runButton="763 597"; firstFlip="1371 461"
             fileMenu="26 18"; exportItem="76 237"; minF1="680 377"; maxFpr="680 417"; validate="400 522" ;;
  *) echo "take.sh: positions are known for 1366x768 and 1600x1000 only" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
ws="$tmp/ws"
mkdir -p "$ws" "$tmp/home"
policy="$ws/rsafe-default.yaml"
cp "$here/policies/rsafe-default.yaml" "$policy"
"$here/app/rsafe" version save "$policy" -m "First draft" >/dev/null
sed -i 's/^    title: "Violence & Physical Harm"$/&\n    threshold: 0.25/' "$policy"
"$here/app/rsafe" version save "$policy" -m "Lower U1's threshold to 0.25" >/dev/null

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 "${size}x24" >/dev/null 2>&1 &
xvfb=$!
app=""
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$tmp"' EXIT
export DISPLAY=$display
sleep 2
HOME="$tmp/home" RSAFE_JAVA_OPTS="-Xmx4g -Drsafe.home=$tmp/home/.rsafe-workbench" \
  "$here/app/rsafe-workbench" --policy "$policy" --data "$here/sample-inputs/prompts.csv" >"$tmp/app.log" 2>&1 &
app=$!

click() { xdotool mousemove $1 $2 click 1; }
shot() { sleep "$2"; import -window root "$out/$1-$size.png"; echo "wrote docs/screenshots/$1-$size.png"; }

# Without a window manager the window opens at its preferred size; make it fill the screen.
window=$(xdotool search --sync --name "RSafe Workbench" | head -1)
xdotool windowmove "$window" 0 0 windowsize "$window" "$w" "$h"
sleep "${WAIT_START:-75}"                    # the quick engine loads, then the sample prompt is judged
shot main 1

click $editor; xdotool key End; xdotool type --delay 60 " (draft)"
shot stale 4                                 # the verdict greyed: the policy changed since the run
xdotool key ctrl+z

xdotool key ctrl+2; sleep 2; click $runBatch
shot batch "${WAIT_BATCH:-45}"
if [[ -n "$perClause" ]]; then
  click $perClause
  shot batch-per-clause 2
fi

click $versionsTab
shot versions 3

click $v1Row; sleep 1; click $compareCurrent; sleep 4; click $runTab; sleep 2; click $runButton
sleep "${WAIT_COMPARE:-40}"; click $firstFlip
shot compare 10

click $fileMenu; sleep 1.5; click $exportItem; sleep 3
click $minF1; xdotool type "0.8"; click $maxFpr; xdotool type "0.3"; click $validate
shot export 10
