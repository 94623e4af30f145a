#!/bin/sh
# run-man-install.sh - issue 10's "man kpath-rx works after make install
# and from inside kpath": `make install` into a scratch prefix (without
# rebuilding the binary), then
#   - man(1) finds every page there (MANPATH=PREFIX/share/man man PAGE)
#     and shows its NAME and EXAMPLES sections;
#   - the installed kpath, run from a directory with no man/ beside it,
#     finds its own pages (PREFIX/share/man, beside the binary) with
#     `man kpath-rx`, `man rx` and `man run rx`;
#   - the lessons are installed too (PREFIX/share/kpath/scripts).
# Needs man-db (scripts/install-deps.sh installs it); without man(1) only
# the kpath side is checked.
KPATH=${KPATH:-./kpath}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
prefix=$tmp/usr

if ! make --no-print-directory -o "${BUILD:-build/release}/kpath" install PREFIX="$prefix" \
	> "$tmp/install.log" 2>&1; then
	echo "FAIL man-install: make install PREFIX=$prefix failed:"
	tail -20 "$tmp/install.log"
	exit 1
fi
# make install copies $(BUILD)/kpath; the binary under test may be
# another one (KPATH): install that one
cp "$KPATH" "$prefix/bin/kpath"

for page in man/*.[157]; do
	base=$(basename "$page")
	sec=${base##*.}
	if [ ! -f "$prefix/share/man/man$sec/$base" ]; then
		echo "FAIL man-install: $base not installed in share/man/man$sec"
		fail=1
	fi
done
[ -f "$prefix/share/kpath/scripts/lessons/01-receive.kp" ] || {
	echo "FAIL man-install: the lessons are not in share/kpath/scripts"
	fail=1
}

if command -v man >/dev/null 2>&1; then
	for page in man/*.[157]; do
		base=$(basename "$page")
		name=${base%.*}
		sec=${base##*.}
		MANPATH=$prefix/share/man MANPAGER=cat PAGER=cat MANWIDTH=80 \
			man "$sec" "$name" > "$tmp/$name.man" 2> "$tmp/$name.err"
		if ! grep -q '^NAME' "$tmp/$name.man" ||
		   ! grep -q '^EXAMPLES' "$tmp/$name.man"; then
			echo "FAIL man-install: 'man $sec $name' shows no NAME" \
			     "and EXAMPLES:"
			head -5 "$tmp/$name.err" "$tmp/$name.man"
			fail=1
		fi
	done
	MANPATH=$prefix/share/man MANPAGER=cat PAGER=cat MANWIDTH=80 \
		man kpath-rx > "$tmp/rx.man" 2>&1
	if ! grep -q 'net_rx_action' "$tmp/rx.man"; then
		echo "FAIL man-install: 'man kpath-rx' does not explain" \
		     "net_rx_action"
		fail=1
	fi
else
	echo "note: no man(1) here (install man-db); checked kpath's own man"
fi

# the installed kpath, away from the source tree
mkdir "$tmp/elsewhere"
for topic in kpath-rx rx; do
	if ! (cd "$tmp/elsewhere" && env -u KPATH_MANDIR \
		"$prefix/bin/kpath" --batch -c "man $topic") \
		> "$tmp/in.txt" 2>&1 ||
	   ! grep -q '^NAME' "$tmp/in.txt" ||
	   ! grep -q 'net_rx_action' "$tmp/in.txt"; then
		echo "FAIL man-install: 'man $topic' inside the installed kpath:"
		head -5 "$tmp/in.txt"
		fail=1
	fi
done
if ! (cd "$tmp/elsewhere" && env -u KPATH_MANDIR \
	"$prefix/bin/kpath" --batch -c "man run rx") > "$tmp/run.txt" 2>&1 ||
   ! grep -q ', 0 failed)' "$tmp/run.txt"; then
	echo "FAIL man-install: 'man run rx' inside the installed kpath:"
	tail -10 "$tmp/run.txt"
	fail=1
fi
[ "$fail" = 0 ] && echo "ok man-install (make install, man(1), kpath's man)"
exit $fail
