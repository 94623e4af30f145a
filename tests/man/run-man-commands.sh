#!/bin/sh
# run-man-commands.sh - kpath(1) lists exactly the commands of the
# command table (`kpath --batch -c help`).  When it fails, regenerate
# the page's COMMANDS section: tests/man/gen-commands.sh ./kpath
KPATH=${KPATH:-./kpath}
PAGE=${PAGE:-man/kpath.1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$KPATH" --batch -c help | awk '
	/^topics:$/ { exit }
	/^  [^ ]/ {
		if (match($0, /^  [^ ]+( [^ ]+)*  +/)) {
			name = substr($0, 3, RLENGTH - 2)
			sub(/ +$/, "", name)
			print name
		}
	}' | sort > "$tmp/table"
sed -n 's/^\.\\" command: //p' "$PAGE" | sort > "$tmp/page"

n=$(wc -l < "$tmp/table")
if [ "$n" -lt 10 ]; then
	echo "FAIL man-commands: 'help' listed only $n commands"
	exit 1
fi
if ! diff -u "$tmp/table" "$tmp/page" > "$tmp/diff"; then
	echo "FAIL man-commands: $PAGE and the command table differ" \
	     "(- table only, + page only); run tests/man/gen-commands.sh $KPATH"
	grep '^[-+][^-+]' "$tmp/diff"
	exit 1
fi
# every entry has its usage line
entries=$(grep -c '^\.\\" command: ' "$PAGE")
usages=$(grep -A2 '^\.\\" command: ' "$PAGE" | grep -c '^\.B "')
if [ "$entries" != "$usages" ]; then
	echo "FAIL man-commands: $entries entries but $usages usage lines"
	exit 1
fi
echo "ok man-commands ($n commands)"
