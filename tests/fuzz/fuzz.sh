#!/bin/sh
# fuzz.sh BUILD SECONDS - run every libFuzzer harness BUILD/fuzz_* for
# SECONDS each (make fuzz; not named run-*.sh, so make test skips it) on
# its corpus BUILD/corpus/NAME, seeded on first use:
#   fuzz_pcap     the files of ../shared/captures (and a few broken ones)
#   fuzz_decode   the first frame of each classic pcap there (the bytes
#                 after the 24-byte file and 16-byte record headers)
#   fuzz_command  the lines of the scenario scripts
#   fuzz_packetdrill  the .pkt scripts of tests/packetdrill
# Crashes are left in BUILD/crash-NAME-*; exits 1 if any harness failed.
build=${1:-build/fuzz}
secs=${2:-60}
cap=${CAPTURES:-../shared/captures}
status=0

seed() {
	dir=$build/corpus/$1
	[ -d "$dir" ] && return
	mkdir -p "$dir"
	case $1 in
	fuzz_pcap)
		[ -d "$cap" ] && cp "$cap"/*.pcap "$cap"/*.pcapng "$dir"/ 2>/dev/null
		printf 'not a capture' >"$dir/badmagic"
		;;
	fuzz_decode)
		for f in "$cap"/*.pcap; do
			[ -f "$f" ] || continue
			tail -c +41 "$f" | head -c 1600 >"$dir/${f##*/}.frame"
		done
		;;
	fuzz_command)
		i=0
		cat tests/scenarios/*/*.kp scripts/lessons/*.kp 2>/dev/null |
			grep -v '^#' | grep . | sort -u |
			while IFS= read -r line; do
				i=$((i + 1))
				printf '%s' "$line" >"$dir/line$i"
			done
		;;
	fuzz_packetdrill)
		cp tests/packetdrill/*.pkt tests/packetdrill/fail/*.pkt "$dir"/ \
			2>/dev/null
		;;
	esac
}

for bin in "$build"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/}
	seed "$name"
	echo "fuzz $name for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -max_len=70000 -timeout=10 \
		-artifact_prefix="$build/crash-$name-" \
		"$build/corpus/$name" >"$build/$name.log" 2>&1; then
		echo "FAIL $name (see $build/$name.log)"
		tail -n 30 "$build/$name.log"
		status=1
	else
		tail -n 1 "$build/$name.log"
	fi
done
exit $status
