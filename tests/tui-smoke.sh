#!/bin/sh
# A real terminal: ikescope tui in a tmux pane of 80x24, driven by keys;
# the pane must show the list, then the ladder, and ikescope must leave
# (q q) with the terminal restored. usage: tui-smoke.sh IKESCOPE SAMPLE
set -eu
bin=$1 sample=$2
sock=ikescope-smoke-$$
dir=$(mktemp -d)
cd "$dir"
t() { tmux -L "$sock" "$@"; }
trap 't kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
t -f /dev/null new-session -d -x 80 -y 24 "TERM=xterm-256color $bin tui $sample; echo EXITED \$?; sleep 5"
sleep 1
t capture-pane -p > list.txt
grep -q 'INITIATOR\|SPI' list.txt || { echo "no session list:"; cat list.txt; exit 1; }
t send-keys Enter
sleep 0.5
t capture-pane -p > ladder.txt
grep -q 'IKE_SA_INIT' ladder.txt || { echo "no ladder:"; cat ladder.txt; exit 1; }
t send-keys q q
sleep 0.5
t capture-pane -p > after.txt
grep -q 'EXITED 0' after.txt || { echo "did not quit cleanly:"; cat after.txt; exit 1; }
# killed: the terminal is restored and the process ends by the signal
t new-window -d -n k "TERM=xterm-256color $bin tui $sample; echo KILLED \$?; sleep 5"
sleep 1
shell=$(t display -p -t k '#{pane_pid}')
pid=$(pgrep -P "$shell" | head -n 1)
[ -n "$pid" ] || { echo "no browser to kill"; exit 1; }
kill -TERM "$pid"
sleep 0.5
t capture-pane -p -t k > killed.txt
grep -q 'KILLED 143' killed.txt || { echo "not ended by TERM:"; cat killed.txt; exit 1; }
echo "ok: list, ladder, clean exit, TERM"
