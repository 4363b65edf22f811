#!/bin/bash
# The fresh machine's pid 1 (started by scripts/fresh-machine-test.sh, which documents it): as
# root in /root/handshake, runs README.md's Quick start verbatim, waits for it to serve, does one
# lesson Run over the WebSocket (scripts/fresh-machine-run.ts of the clone), then Ctrl-C and a
# check that nothing of npm start stayed. With FRESH_MODE=old-node the machine's Node is too old,
# and the Quick start must stop with one line naming it, not a stack trace.
# Its directory, /run/fresh-machine, is the host's: the Quick start's log stays there.
set -euo pipefail
H=/run/fresh-machine
LOG=$H/quick-start.log
say() { printf '[%4d s] %s\n' $(($(date +%s) - FRESH_START)) "$*"; }
indent() { sed 's/^/    | /'; }
# The host finds this machine's processes by their pid namespace.
readlink /proc/self/ns/pid >"$H/pidns"

# shellcheck source=/dev/null
. /etc/os-release
say "inside: $PRETTY_NAME, node $(node --version), npm $(npm --version), $(python3 --version), uid $(id -u)"
cd /root/handshake

# The README's Quick start: the first ```sh block after "## Quick start", as written.
awk '/^## Quick start/ { q = 1; next }  q && /^## / { exit }
     q && /^```sh$/ { f = 1; next }  f && /^```/ { exit }  f { print }' README.md >"$H/quick-start.sh"
if [ ! -s "$H/quick-start.sh" ]; then
  say "fresh machine: FAILED: README.md has no \`\`\`sh block under \"## Quick start\""
  exit 1
fi
say "running README.md's Quick start as root in /root/handshake:"
sed 's/^/    $ /' "$H/quick-start.sh"

# A login shell, as root's on a fresh machine; -e stops at the first failing line as a reader
# would, -x logs each command as it runs (set after the profile, so only the block's). Its own
# session and process group: Ctrl-C goes to all of it, as in its terminal.
# shellcheck disable=SC2016 # $0 is the inner shell's
setsid bash --login -c 'set -e -x; . "$0"' "$H/quick-start.sh" </dev/null >"$LOG" 2>&1 &
qs=$!

quick_start_running() { kill -0 -- "-$qs" 2>/dev/null; }

# Ctrl-C to the Quick start's process group; 30 s later it must be gone.
stop_quick_start() {
  quick_start_running || return 0
  say "Ctrl-C to npm start…"
  kill -INT -- "-$qs" 2>/dev/null || true
  for _ in $(seq 60); do
    quick_start_running || break
    sleep 0.5
  done
  local status=0
  wait "$qs" || status=$?
  say "npm start exited (status $status)"
}

fail() {
  trap '' INT TERM # once is enough: the stop below is graceful already
  say "fresh machine: FAILED: $*"
  say "last lines of the Quick start's output ($LOG):"
  tail -n 40 "$LOG" | indent
  stop_quick_start
  exit 1
}
trap 'fail "stopped from outside"' INT TERM

# Every process of this machine but this script: none may outlive npm start's stop.
leftover_processes() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    if [ "$p" -eq $$ ] || [ "$p" -eq "$BASHPID" ]; then continue; fi
    printf '    %s: %s\n' "$p" "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-150)"
  done
}

# Milestones of the log, each printed once, so that a long install shows where it is.
declare -A seen=()
milestones() {
  local pattern label
  while IFS='|' read -r pattern label; do
    [ -z "${seen[$pattern]:-}" ] || continue
    grep -qE "$pattern" "$LOG" 2>/dev/null || continue
    seen[$pattern]=1
    say "  … $label"
  done <<'EOF'
^\++ apt-get|apt-get
^\++ npm install|npm install
^\++ npm start|npm start: checking the host
handshake: building the app|npm start: building the app
handshake: the web app runs as|npm start: starting the web app and the sandbox
EOF
}

# On a Node that is too old the Quick start must stop by itself, with one line that names the
# machine's Node, and no stack trace anywhere.
judge_old_node() {
  local status=$1 version line
  version=$(node -p process.versions.node) # 20.20.2: messages may drop the v
  [ "$status" -ne 0 ] || fail "the Quick start ended with status 0 on Node $version"
  if grep -qE '^\s+at .+:[0-9]+:[0-9]+\)?$' "$LOG"; then
    fail "a stack trace instead of one line on Node $version"
  fi
  # A native build attempted on the old Node means nothing refused it first.
  if grep -qE 'gyp (info|ERR)' "$LOG"; then
    fail "npm install went on to build native code on Node $version instead of refusing it"
  fi
  line=$(grep -F "$version" "$LOG" | grep -viE '^\++ |npm warn|EBADENGINE' | head -n 1 || true)
  [ -n "$line" ] || fail "no line of the output names Node $version"
  say "what npm start printed:"
  sed -n '/^++ npm start/,$p' "$LOG" | indent
  say "Node $version is refused with one line: $line"
  exit 0
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

read -r app_port sandbox_port <<<"$FRESH_PORTS"
deadline=$(($(date +%s) + FRESH_TIMEOUT))
next_note=$(($(date +%s) + 60))
until port_open "$app_port" && port_open "$sandbox_port"; do
  milestones
  if ! quick_start_running; then
    status=0
    wait "$qs" || status=$?
    [ "$FRESH_MODE" != old-node ] || judge_old_node "$status"
    fail "the Quick start exited (status $status) before serving on :$app_port and :$sandbox_port"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    fail "nothing served on :$app_port and :$sandbox_port within $FRESH_TIMEOUT s"
  fi
  if [ "$(date +%s)" -ge "$next_note" ]; then
    say "  (still waiting; last line: $(tail -n 1 "$LOG" | cut -c1-120))"
    next_note=$((next_note + 60))
  fi
  sleep 2
done
milestones
[ "$FRESH_MODE" != old-node ] || fail "it serves on Node $(node --version), which is too old"
say "serving on :$app_port and :$sandbox_port"

[ -f scripts/fresh-machine-run.ts ] || fail "this commit has no scripts/fresh-machine-run.ts"
# In the background: a trap runs during `wait`, not during a foreground command.
timeout 300 node scripts/fresh-machine-run.ts &
wait $! || fail "the lesson Run over the WebSocket failed"

stop_quick_start
sleep 1
left=$(leftover_processes)
if [ -n "$left" ]; then
  say "fresh machine: FAILED: still running after npm start stopped:"
  echo "$left"
  exit 1
fi
say "npm start stopped; no process of it is left"
