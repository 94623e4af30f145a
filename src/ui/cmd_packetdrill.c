/*
 * cmd_packetdrill.c - `packetdrill [OPTIONS] FILE.pkt`: run a packetdrill
 * script against a kpath host (src/packetdrill/run.c).  On a failure it
 * prints "FILE:LINE: error ..." as packetdrill does; with --exit (what
 * `kpath --packetdrill FILE` uses) kpath then quits with 1, or 0 when
 * the script passed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "packetdrill/run.h"
#include "session.h"

static int cmd_packetdrill(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out)
{
	struct pd_opts o = { .host = "server", .ifname = "eth0",
			     .tolerance_ns = 4000 * 1000ULL };
	bool exit_after = false;
	const char *file = NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "--tolerance_usecs=", 18)) {
			char *end;
			unsigned long long v = strtoull(a + 18, &end, 10);
			if (!a[18] || *end || v > 10000000ULL)
				return kp_cmd_error(s, out, "packetdrill: "
					"--tolerance_usecs=N (up to 10000000)");
			o.tolerance_ns = v * 1000ULL;
		} else if (!strcmp(a, "--host") && i + 1 < argc) {
			o.host = argv[++i];
		} else if (!strcmp(a, "--dev") && i + 1 < argc) {
			o.ifname = argv[++i];
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o.verbose = true;
		} else if (!strcmp(a, "--exit")) {
			exit_after = true;
		} else if (a[0] == '-' || file) {
			return KP_CMD_USAGE;
		} else {
			file = a;
		}
	}
	if (!file)
		return KP_CMD_USAGE;
	int ret = kp_session_start(s, out);
	if (ret < 0)
		return ret;
	ret = pd_run_file(s, out, file, &o);
	if (exit_after) {
		s->quit = true;
		s->quit_code = ret == 0 ? 0 : 1;
		return 0;
	}
	if (ret < 0)
		return kp_cmd_error(s, out, "packetdrill: cannot run %s (%s)",
				    file, strerror(-ret));
	if (ret > 0)
		return -EPROTO; /* the error is printed */
	return 0;
}

const struct kp_cmd kp_cmd_packetdrill = {
	.name = "packetdrill",
	.usage = "packetdrill [--tolerance_usecs=N] [--host HOST] [--dev DEV] "
		 "[-v] [--exit] FILE.pkt",
	.summary = "run a packetdrill script against a host's TCP",
	.help = "Runs a packetdrill script with HOST (default server) as the\n"
		"local side and the script as the remote end (10.0.0.99, port\n"
		"48879 for passive scripts, 8080 for active ones; the local\n"
		"port is 8080).  Inbound packets ('<') are put on the wire of\n"
		"DEV (default eth0) at their time, outbound ones ('>') are\n"
		"taken from a transmit tap and checked: flags, sequence and\n"
		"ack numbers relative to the ISNs, length, window, options\n"
		"(TS val not checked), time within the tolerance (default\n"
		"4000 us).  System calls run in a task named packetdrill.\n"
		"Backtick lines: `sysctl -q NAME=VALUE` sets the kpath sysctl;\n"
		"other shell commands are ignored with a note.  A failure\n"
		"prints FILE:LINE: error ... as packetdrill does.\n"
		"\n"
		"Example:\n"
		"  packetdrill tests/packetdrill/passive_open_close.pkt\n",
	.group = "programs",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_packetdrill,
};
