#!/bin/sh
# tests/golden/run-golden.sh - determinism across builds: the boot trace
# (every step point of both hosts booting) must be byte-identical when
# kpath is built with gcc -O0, gcc -O2 and clang -O2, and must equal the
# stored golden file tests/golden/boot.trace.
#
#   GOLDEN_UPDATE=1 tests/golden/run-golden.sh   rewrites the golden file
#
# The extra builds go to $BUILD/golden-* (under the caller's own build
# directory, so that two test runs never build into the same place at
# once); a compiler that is missing is
# skipped with a message (CI installs clang).  The extra builds are
# always plain (SAN and KP_DEBUG cleared), also under `make check`.
set -u
cd "$(dirname "$0")/../.."
KPATH=${KPATH:-./kpath}
golden=tests/golden/boot.trace
dump() {
	"$1" --batch -c 'trace 65536' 2>&1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kp-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

dump "$KPATH" >"$tmp/main.trace" || { echo "kpath failed"; exit 1; }
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
	cp "$tmp/main.trace" "$golden"
	echo "golden file rewritten: $golden"
	exit 0
fi
status=0
# the three builds are the slow part of this test: use every core
jobs=$(nproc 2>/dev/null || echo 2)
if ! cmp -s "$tmp/main.trace" "$golden"; then
	echo "boot trace differs from $golden:"
	diff "$golden" "$tmp/main.trace" | head -20
	status=1
fi
for variant in "gcc -O0" "gcc -O2" "clang -O2"; do
	set -- $variant
	cc=$1 opt=$2
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "skip: $cc not installed"
		continue
	fi
	dir=${BUILD:-build/release}/golden-$cc$opt
	if ! make -s -j"$jobs" CC="$cc" OPT="$opt" SAN= KP_DEBUG= BUILD="$dir" "$dir/kpath" \
		>"$tmp/build.log" 2>&1; then
		echo "build with $cc $opt failed:"
		tail -20 "$tmp/build.log"
		status=1
		continue
	fi
	dump "$dir/kpath" >"$tmp/$cc$opt.trace"
	if ! cmp -s "$tmp/$cc$opt.trace" "$golden"; then
		echo "boot trace with $cc $opt differs from $golden:"
		diff "$golden" "$tmp/$cc$opt.trace" | head -20
		status=1
	fi
done
exit $status
