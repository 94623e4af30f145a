# compare.sh - counter deltas and the side-by-side table of the fidelity
# harness (sourced by run-fidelity.sh).  Files are "NAME VALUE" lines.

# The counter families both kernels define: Ip, Icmp, IcmpMsg, Udp,
# UdpLite, Tcp, TcpExt, IpExt (not the IPv6 ones).
FAMILY_AWK='/^(Ip|Icmp|Udp|Tcp)[A-Z]/ && !/^(Ip6|Icmp6|Udp6|UdpLite6)/'

# delta BEFORE AFTER: "NAME AFTER-BEFORE" for the families, in AFTER's
# order.
delta() {
	awk 'NR == FNR { b[$1] = $2; next }
	     '"$FAMILY_AWK"' { printf "%s %.0f\n", $1, $2 - (($1 in b) ? b[$1] : 0) }' \
		"$1" "$2"
}

# compare_table REF_DELTA REF_NAMES KP_DELTA KNOWN OUT_STATUS VARIES SIDE
#   REF_DELTA: the real kernel's deltas (names absent are 0)
#   REF_NAMES: every counter name the real kernel defines
#   KP_DELTA:  kpath's deltas (every name kpath defines)
#   KNOWN:     known differences, "PATTERN REASON..." (shell-glob-like:
#              * matches any run of characters; "client:PATTERN" or
#              "server:PATTERN" applies to that side only; a REASON
#              starting "bug:" marks a kpath bug, "timing:" one that a
#              run may not need, not reported as unused), # comments
#   VARIES:    patterns (same form) of counters whose real value changes
#              from run to run (timing: ACK clocking, GRO): they match
#              when both sides moved, or neither did
#   SIDE:      server or client
# Prints the table; writes "mismatches known unused-known" to OUT_STATUS.
compare_table() {
	awk -v status="$5" -v varies="${6:-}" -v side="${7:-server}" '
	function glob2re(g) {
		gsub(/[.+?^${}()|\[\]\\]/, "\\\\&", g)
		gsub(/\*/, ".*", g)
		return "^" g "$"
	}
	FILENAME == ARGV[1] { ref[$1] = $2; next }
	FILENAME == ARGV[2] { defined[$1] = 1; next }
	FILENAME == ARGV[3] {
		if (!($1 in kpseen)) { kporder[++nk] = $1; kpseen[$1] = 1 }
		kp[$1] = $2
		next
	}
	FILENAME == ARGV[4] {
		if ($0 ~ /^[ \t]*(#|$)/) next
		g = $1
		sided = 0
		if (g ~ /^(server|client):/) {
			if (substr(g, 1, length(side) + 1) != side ":") next
			sub(/^[a-z]+:/, "", g)
			sided = 1
		}
		pat[++np] = glob2re(g)
		# an entry for both sides is reported unused by the server table
		quiet[np] = !sided && side != "server"
		pname[np] = $1
		r = $0
		sub(/^[ \t]*[^ \t]+[ \t]*/, "", r)
		why[np] = r
		next
	}
	END {
		nv = split(varies, vpat, " ")
		for (j = 1; j <= nv; j++) vpat[j] = glob2re(vpat[j])
		printf "   %-28s %10s %10s  %s\n", "counter", "real", "kpath", "match"
		mism = 0; known = 0; same0 = 0; bugs = 0
		for (i = 1; i <= nk; i++) {
			n = kporder[i]
			if (!(n in defined) && !(n in ref)) continue
			r = (n in ref) ? ref[n] : 0
			k = kp[n]
			if (r == 0 && k == 0) { same0++; continue }
			if (r == k) { m = "ok" }
			else if (r != 0 && k != 0 && matches(n, vpat, nv)) { m = "ok (varies)" }
			else {
				m = "MISMATCH"
				for (j = 1; j <= np; j++)
					if (n ~ pat[j]) {
						if (why[j] ~ /^bug:/) { m = "KNOWN BUG"; bugs++ }
						else m = "known"
						used[j] = 1; break
					}
				if (m == "MISMATCH") mism++; else known++
			}
			printf "   %-28s %10s %10s  %s\n", n, r, k, m
		}
		for (j = 1; j <= np; j++)
			if (used[j] && !(why[j] in told)) {
				told[why[j]] = 1
				r = why[j]
				if (sub(/^bug: */, "", r)) printf "   KNOWN BUG: %s\n", r
				else printf "   known: %s\n", r
			}
		printf "   (%d more counters both define: 0 on both sides)\n", same0
		line = ""
		for (n in ref)
			if (!(n in kpseen) && ref[n] != 0)
				only[n] = ref[n]
		cnt = asort_names(only, names)
		for (i = 1; i <= cnt; i++)
			line = line " " names[i] "=" only[names[i]]
		if (line != "")
			printf "   real-only counters that moved (kpath has no such counter):\n     %s\n", line
		unused = 0
		for (j = 1; j <= np; j++)
			if (!used[j] && !quiet[j] && why[j] !~ /^timing:/) {
				printf "   note: known difference not seen this run: %s\n", pname[j]
				unused++
			}
		printf "%d %d %d %d\n", mism, known - bugs, unused, bugs > status
	}
	function matches(n, p, np,    j) {
		for (j = 1; j <= np; j++) if (n ~ p[j]) return 1
		return 0
	}
	# insertion sort of the keys of a (portable: no gawk asorti)
	function asort_names(a, out,    n, k, i, j, t) {
		n = 0
		for (k in a) out[++n] = k
		for (i = 2; i <= n; i++) {
			t = out[i]
			for (j = i - 1; j >= 1 && out[j] > t; j--) out[j + 1] = out[j]
			out[j + 1] = t
		}
		return n
	}
	' "$1" "$2" "$3" "$4"
}
