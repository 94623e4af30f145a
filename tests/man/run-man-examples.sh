#!/bin/sh
# run-man-examples.sh - every EXAMPLES block of every page in man/ runs
# green in batch mode: the lines between `.\" EXAMPLES-BEGIN` and
# `.\" EXAMPLES-END` (roff requests dropped, \- and \e unescaped) are a
# script whose expects must hold.  Also checks that each page renders
# inside kpath (`man PAGE`) and that `man run` runs the same examples.
KPATH=${KPATH:-./kpath}
MANDIR=${MANDIR:-man}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pages=0

for page in "$MANDIR"/*.[157]; do
	[ -e "$page" ] || continue
	pages=$((pages + 1))
	name=$(basename "$page" | sed 's/\.[157]$//')
	awk '/^\.\\" EXAMPLES-BEGIN/ { on = 1; next }
	     /^\.\\" EXAMPLES-END/ { on = 0; next }
	     on && !/^[.\047]/ { print }' "$page" |
		sed 's/\\-/-/g; s/\\e/\\/g; s/\\(dq/"/g' > "$tmp/$name.kp"
	if [ ! -s "$tmp/$name.kp" ]; then
		echo "FAIL man-examples $name: no EXAMPLES block"
		fail=1
		continue
	fi
	if ! grep -q '^expect' "$tmp/$name.kp"; then
		echo "FAIL man-examples $name: the examples check nothing (no expect)"
		fail=1
	fi
	if ! "$KPATH" --batch "$tmp/$name.kp" > "$tmp/$name.out" 2>&1; then
		echo "FAIL man-examples $name:"
		tail -20 "$tmp/$name.out"
		fail=1
		continue
	fi
	if ! KPATH_MANDIR="$MANDIR" "$KPATH" --batch -c "man $name" > "$tmp/$name.txt" 2>&1 ||
	   ! grep -q '^NAME' "$tmp/$name.txt" || ! grep -q '^EXAMPLES' "$tmp/$name.txt"; then
		echo "FAIL man-render $name: 'man $name' does not show NAME and EXAMPLES"
		fail=1
		continue
	fi
	if ! KPATH_MANDIR="$MANDIR" "$KPATH" --batch -c "man run $name" > "$tmp/$name.run" 2>&1 ||
	   ! grep -q ', 0 failed)' "$tmp/$name.run"; then
		echo "FAIL man-run $name:"
		tail -20 "$tmp/$name.run"
		fail=1
		continue
	fi
	echo "ok man-examples $name"
done
if [ "$pages" -lt 9 ]; then
	echo "FAIL man-examples: $pages pages in $MANDIR, expected 9"
	fail=1
fi
exit $fail
