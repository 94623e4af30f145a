#!/bin/sh
# run-reverse-lesson.sh - issue 10's "reverse-step from any stop in the
# receive lesson lands on the previous probe with identical state".
#
# The lesson (scripts/lessons/01-receive.kp, its `expect`, `say` and
# `pause` lines dropped) has two parts, split at its `reboot`: boot and
# one datagram, then the ring overflow and the budget squeeze.  For each
# part, in batch runs of one kpath each:
#
#  1. the part runs as the lesson runs it; kpath logs its inputs (run,
#     tcpdump, ethtool -G, inject, sysctl -w...); its end state is kept;
#  2. `goto 0`, then single steps to the end, through the recorded
#     future (the inputs apply again at their points): the list of stops;
#  3. the same again, and at each checked stop N the fingerprint F(N) -
#     the stop line, bt, info cpus, ps, poll_lists, the server's rings,
#     softnet, drops, ip -s link, ss, interrupts, softnet_stat, the last
#     trace records, time and trace.seq - then `reverse-step`: F must be
#     F(N-1) as stepped forward; then `step`: the same stop line and
#     F(N) again, byte for byte.  Last, the stepped run must end in the
#     lesson's end state.
#
# A step that applies logged inputs runs their kernel code inside it
# (run, tcpdump, ethtool -G are commands, not steps), so going back from
# the stop after it lands on the last point of that code, which stepping
# forward did not stop at: there only the round trip is checked (2 stops
# per part).
#
# Part 1 (207 stops) is checked at every stop.  Part 2 (~62,400 stops:
# 1,500 frames) is checked at every stop of its first HEAD records (the
# reboot, the reader, ethtool -G, the first frames of the flood), within
# WINDOW records of each logged input and at every STRIDE-th stop
# elsewhere (~3,200 checks): each reverse-step re-runs from power-on, so
# every stop would take minutes.  REVERSE_ALL=1 checks every stop of
# both parts (a full audit); KEEP=1 keeps the scratch directory.
KPATH=${KPATH:-./kpath}
LESSON=${LESSON:-scripts/lessons/01-receive.kp}
STRIDE=${STRIDE:-31}
WINDOW=${WINDOW:-30}
HEAD=${HEAD:-1200}
tmp=$(mktemp -d)
[ -n "$KEEP" ] || trap 'rm -rf "$tmp"' EXIT; [ -n "$KEEP" ] && echo "tmp $tmp"
fail=0

# The lesson's commands without its narration and assertions.
sed -e '/^[[:space:]]*\(expect\|say\|pause\)\([[:space:]]\|$\)/d' \
    -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$LESSON" > "$tmp/all.kp"
awk '/^reboot$/ { exit } { print }' "$tmp/all.kp" > "$tmp/lesson1.kp"
awk 'on { print } /^reboot$/ { on = 1 }' "$tmp/all.kp" > "$tmp/lesson2.kp"

# During boot (before the first logged input) eth0's rings and the
# socket tables do not exist yet: those views would be errors.
cat > "$tmp/fp-boot.kp" <<'EOF'
bt
info cpus
ps
show poll_list server cpu0
show poll_list server cpu1
show poll_list client cpu0
show poll_list client cpu1
show softnet server
show drops server
ip -s link
cat /proc/interrupts
cat /proc/net/softnet_stat
trace 4
print time
print trace.seq
EOF
{
	cat "$tmp/fp-boot.kp"
	echo "show ring server eth0 rx 0"
	echo "show ring server eth0 rx 1"
	echo "show ring server eth0 tx 0"
	echo "ss -uanp"
} > "$tmp/fp.kp"

# check PART_NAME PART_FILE: run the part, then step it through.
check() {
	name=$1
	part=$2
	# 1. the part as the lesson runs it: where it ends, and its inputs
	{
		cat "$part"
		echo "delete"
		echo "continue"
		echo "record list"
		echo "echo ==END=="
		echo "source $tmp/fp.kp"
	} > "$tmp/$name-run.kp"
	"$KPATH" --batch "$tmp/$name-run.kp" > "$tmp/$name-run.out" 2>&1
	sed -n '/^==END==$/,$p' "$tmp/$name-run.out" > "$tmp/$name-end.lesson"
	end=$(sed -n 's/^trace\.seq = \([0-9][0-9]*\)$/\1/p' \
		"$tmp/$name-end.lesson")
	if [ -z "$end" ] || [ "$end" -lt 10 ]; then
		echo "FAIL reverse-lesson $name: the lesson part did not run"
		fail=1
		return
	fi
	# the logged inputs' records: the windows around them
	# and where each applied, as "print trace.seq" says there: @SEQ is
	# a stop at record SEQ (SEQ+1 written), @N:idle/@N:event after N
	inputs=$(sed -n -e 's/^ *[0-9][0-9]* @\([0-9][0-9]*\) .*/\1 1/p' \
		-e 's/^ *[0-9][0-9]* @\([0-9][0-9]*\):.*/\1 0/p' \
		"$tmp/$name-run.out" | awk '{ print $1 + $2 }' | tr '\n' ' ')
	# 2. where single steps stop: the #seq of each stop ("print
	# trace.seq" is one more at a step point); an input that runs
	# kernel code (run, ethtool -G...) runs it inside the step that
	# applies it, so those records are not stops
	{
		cat "$part"
		echo "delete"
		echo "goto 0"
		awk -v end="$end" 'BEGIN {
			for (k = 0; k <= end + 2; k++)
				print "step\nprint trace.seq"
		}'
	} > "$tmp/$name-stops.kp"
	"$KPATH" --batch "$tmp/$name-stops.kp" 2>&1 |
		sed -n 's/^trace\.seq = \([0-9][0-9]*\)$/\1/p' | uniq \
		> "$tmp/$name.stops"
	nstops=$(wc -l < "$tmp/$name.stops")
	if [ "$(tail -n 1 "$tmp/$name.stops")" != "$end" ] ||
	   [ "$nstops" -lt 10 ]; then
		echo "FAIL reverse-lesson $name: stepping from record 0 did not" \
		     "reach the lesson's end ($end records)"
		tail -n 3 "$tmp/$name.stops"
		fail=1
		return
	fi
	# 3. step through again, checking at the chosen stops
	{
		cat "$part"
		echo "delete"
		echo "goto 0"
		echo "source $tmp/fp-boot.kp"
		echo "save output prev"
		awk -v all="${REVERSE_ALL:-0}" \
		    -v head="$HEAD" -v stride="$STRIDE" -v win="$WINDOW" \
		    -v inputs="$inputs" -v fp_full="$tmp/fp.kp" \
		    -v fp_boot="$tmp/fp-boot.kp" '
		function checked_at(k,   i, q) {
			q = seq[k]
			if (all || q <= head || k % stride == 0 || k == nst)
				return 1
			for (i = 1; i <= n; i++)
				if (q >= in_at[i] - win && q <= in_at[i] + win)
					return 1
			return 0
		}
		# the step to stop k applied logged inputs (their kernel
		# code ran inside it): going back lands after them, on a
		# point that stepping forward did not stop at
		function applied_between(k,   i) {
			for (i = 1; i <= n; i++)
				if (in_at[i] >= seq[k - 1] && in_at[i] < seq[k])
					return 1
			return 0
		}
		function fp(k) {
			return k == 0 || seq[k] <= booted ? fp_boot : fp_full
		}
		{ seq[++nst] = $1 }
		BEGIN { seq[0] = 1 }
		END {
			n = split(inputs, in_at, " ")
			booted = n ? in_at[1] : 0
			for (k = 1; k <= nst; k++) {
				print "step"
				if (checked_at(k)) {
					print "save output stop"
					print "source " fp(k)
					print "save output cur"
					print "reverse-step"
					print "source " fp(k - 1)
					if (applied_between(k))
						between++
					else
						print "expect output == saved prev"
					print "step"
					print "expect output == saved stop"
					print "source " fp(k)
					print "expect output == saved cur"
					checked++
				}
				if (k < nst && checked_at(k + 1)) {
					if (fp(k) != fp(k + 1) || !checked_at(k))
						print "source " fp(k)
					print "save output prev"
				}
			}
			print "echo checked " checked " stops (" between \
			      " after inputs: round trip only)"
			print "continue"
			print "echo ==END=="
			print "source " fp_full
		}' "$tmp/$name.stops"
	} > "$tmp/$name.kp"
	if ! "$KPATH" --batch "$tmp/$name.kp" > "$tmp/$name.out" 2>&1; then
		echo "FAIL reverse-lesson $name (records 0..$end):"
		grep -n ': expected \|^kpath: \|\.kp:[0-9]*: ' "$tmp/$name.out" | head -20
		fail=1
		return
	fi
	# stepping ends where the lesson ended, in the same state
	sed -n '/^==END==$/,$p' "$tmp/$name.out" > "$tmp/$name-end.stepped"
	if ! cmp -s "$tmp/$name-end.lesson" "$tmp/$name-end.stepped"; then
		echo "FAIL reverse-lesson $name: stepping through ends in" \
		     "another state than the lesson:"
		diff "$tmp/$name-end.lesson" "$tmp/$name-end.stepped" | head -20
		fail=1
		return
	fi
	echo "ok reverse-lesson $name: $(grep '^checked' "$tmp/$name.out")" \
	     "of $nstops, $end records"
}

check part1 "$tmp/lesson1.kp"
[ -n "$ONLY1" ] || check part2 "$tmp/lesson2.kp"
exit $fail
