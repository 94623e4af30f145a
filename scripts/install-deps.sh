#!/bin/sh
# scripts/install-deps.sh - install the Debian packages kpath needs to
# build, run and test, when they are missing.  `make run`, `make test`
# and .ci/run call it first, so both commands work on a fresh Debian
# machine.  As root it runs apt-get; otherwise it uses sudo when there is
# one, and else says what to install and fails.
set -eu

PACKAGES="build-essential clang pkg-config libncurses-dev libreadline-dev
libpcap-dev tmux tcpdump iproute2 man-db"

need=""
for pkg in $PACKAGES; do
	dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
done
[ -z "$need" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "kpath needs:$need (no apt-get here: install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "kpath needs:$need; run as root: apt-get install$need" >&2
	exit 1
fi
echo "installing:$need"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq $need
