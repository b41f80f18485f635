#!/bin/sh
# Runs a command in a new network namespace whose only interface is loopback, so that nothing
# the tests start (browsers, WebRTC, coturn, the relay) can send a packet anywhere else, and
# WebRTC gathers no addresses but 127.0.0.1. See /work/shared/BROWSER-TESTING.md.
#
#   sh scripts/loopback-only.sh <command> [args…]
#
# As root: `unshare -n`. Otherwise: `unshare -rn` (an unprivileged user namespace). If neither
# works this fails: it never runs the command outside the namespace.
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: sh scripts/loopback-only.sh <command> [args...]" >&2
  exit 2
fi

# Firefox ignores services.settings.server (pointed at a dead loopback port) without this.
export MOZ_REMOTE_SETTINGS_DEVTOOLS=1
# No npm tool may download a browser here; Debian's are used.
export PUPPETEER_SKIP_DOWNLOAD=1
# `ip` lives in /usr/sbin, which a non-root PATH often lacks.
PATH="$PATH:/usr/sbin:/sbin"
export PATH

if ! command -v unshare >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1; then
  echo "loopback-only.sh: needs 'unshare' (util-linux) and 'ip' (iproute2); run: node scripts/ensure-system-deps.mjs" >&2
  exit 1
fi

if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  flags=-n
elif unshare -rn true 2>/dev/null; then
  flags=-rn
else
  cat >&2 <<'MSG'
loopback-only.sh: cannot create a network namespace: both 'unshare -n' (needs root) and
'unshare -rn' (needs unprivileged user namespaces) failed. Run as root, or enable user
namespaces (e.g. sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu 24.04+
kernel.apparmor_restrict_unprivileged_userns=0), or in a container started with
--cap-add=SYS_ADMIN. Refusing to run the tests outside a loopback-only namespace.
MSG
  exit 1
fi

exec unshare "$flags" sh -c 'ip link set lo up && exec "$@"' sh "$@"
