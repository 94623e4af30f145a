#!/bin/sh
# packetdrill-upstream.sh - run packetdrill's own TCP tests against kpath.
#
#   scripts/packetdrill-upstream.sh GTESTS_DIR [KPATH]
#
# GTESTS_DIR is the gtests/net directory of a google/packetdrill checkout
# (the tests are GPL and not part of kpath; get them yourself).  Every
# tcp/**/*.pkt under it runs as
#   kpath --packetdrill FILE --init_scripts=GTESTS_DIR/common/defaults.sh
# from GTESTS_DIR/.. (the tests name their sourced files relative to it),
# and one line is printed per test: PASS or FAIL with the runner's last
# line (file:line and what differed).  The last line counts them.
# tests/packetdrill/UPSTREAM.md lists what passed and failed last, and why.
set -u
[ $# -ge 1 ] || { echo "usage: $0 GTESTS_DIR [KPATH]" >&2; exit 2; }
gtests=$(cd "$1" && pwd) || exit 2
kpath=${2:-${KPATH:-./kpath}}
case $kpath in /*) ;; *) kpath=$PWD/$kpath ;; esac
[ -x "$kpath" ] || { echo "$0: no kpath binary at $kpath" >&2; exit 2; }
[ -d "$gtests/tcp" ] || { echo "$0: $gtests has no tcp/ directory" >&2; exit 2; }
cd "$gtests/../.." || exit 2
base=${gtests#"$PWD"/}
pass=0
fail=0
for f in $(find "$base/tcp" -name '*.pkt' | sort); do
	out=$("$kpath" --packetdrill "$f" \
		--init_scripts="$base/common/defaults.sh" 2>&1)
	if [ $? -eq 0 ]; then
		echo "PASS $f"
		pass=$((pass + 1))
	else
		echo "FAIL $f"
		printf '%s\n' "$out" | tail -n 1 | sed 's/^/     /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
