/*
 * cmd_packetdrill.c - `packetdrill [OPTIONS] FILE.pkt`: run a packetdrill
 * script against a kpath host (src/packetdrill/run.c).  On a failure it
 * prints "FILE:LINE: error ..." as packetdrill does; with --exit (what
 * `kpath --packetdrill FILE` uses) kpath then quits with 1, or 0 when
 * the script passed.  With --on-fail stop a failing script leaves the
 * world stopped where it failed (a wrong packet: in the CPU sending it)
 * and `kpath --packetdrill FILE --on-fail stop` goes on to the REPL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
			o.tolerance_set = true;
		} else if (!strcmp(a, "--on-fail") && i + 1 < argc) {
			const char *v = argv[++i];
			if (strcmp(v, "stop") && strcmp(v, "exit"))
				return kp_cmd_error(s, out, "packetdrill: "
					"--on-fail stop|exit");
			o.on_fail_stop = !strcmp(v, "stop");
		} else if (!strcmp(a, "--on-fail=stop")) {
			o.on_fail_stop = true;
		} else if (!strncmp(a, "--init_scripts=", 15)) {
			o.init_scripts = a + 15;
		} else if (!strncmp(a, "--ip_version=", 13)) {
			if (strcmp(a + 13, "ipv4"))
				return kp_cmd_error(s, out, "packetdrill: kpath "
					"runs IPv4 scripts only "
					"(--ip_version=ipv4)");
		} else if (!strcmp(a, "--send_omit_free") ||
			   !strncmp(a, "--local_ip=", 11) ||
			   !strncmp(a, "--remote_ip=", 12) ||
			   !strncmp(a, "--gateway_ip=", 13) ||
			   !strncmp(a, "--netmask_ip=", 13) ||
			   !strncmp(a, "--mtu=", 6)) {
			/* packetdrill's test-bed options: kpath's addresses
			 * and device are fixed (see help) */
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
	/* in a script, a name that is not there from the current directory
	 * is looked for beside the script, as `source` does */
	char path[1024];
	if (file[0] != '/' && access(file, R_OK) != 0 && s->dir) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, file);
		if (access(path, R_OK) == 0)
			file = path;
	}
	int ret = kp_session_start(s, out);
	if (ret < 0)
		return ret;
	ret = pd_run_file(s, out, file, &o);
	if (exit_after && o.on_fail_stop && ret > 0) {
		/* stay: kpath goes on with the REPL (main.c) */
		s->quit_code = 1;
		return 0;
	}
	if (exit_after) {
		s->quit = true;
		s->quit_code = ret == 0 ? 0 : 1;
		return 0;
	}
	if (ret < 0)
		return kp_cmd_error(s, out, "packetdrill: cannot run %s (%s)",
				    file, strerror(-ret));
	if ((ret > 0 && o.on_fail_stop) || ret == 2)
		return 0; /* stopped where asked: bt, show sock... go on */
	if (ret > 0)
		return -EPROTO; /* the error is printed */
	return 0;
}

const struct kp_cmd kp_cmd_packetdrill = {
	.name = "packetdrill",
	.usage = "packetdrill [--tolerance_usecs=N] [--on-fail stop] "
		 "[--init_scripts=F[,F]] [--host HOST] [--dev DEV] [-v] "
		 "[--exit] FILE.pkt",
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
		"tcp_rmem/tcp_wmem triples and tcp_congestion_control map to\n"
		"kpath's; a sourced FILE.sh (packetdrill's common/defaults.sh)\n"
		"is read the same way; --init_scripts=F reads F first.  Other\n"
		"shell commands and sysctls kpath lacks are ignored (-v lists\n"
		"them).  %{ assert tcpi_FIELD == N }% is checked against\n"
		"TCP_INFO of the last socket used.  A failure prints\n"
		"FILE:LINE: error ... as packetdrill does.\n"
		"\n"
		"--on-fail stop: a failing script leaves the world stopped\n"
		"where it failed; a wrong outbound packet stops the CPU that\n"
		"sends it inside dev_queue_xmit_nit's tap, so 'bt' shows the\n"
		"kernel path that produced it (tcp_transmit_skb, ...).\n"
		"packetdrill's own options --ip_version=ipv4, --local_ip,\n"
		"--remote_ip, --gateway_ip, --netmask_ip, --mtu and\n"
		"--send_omit_free are accepted and ignored.\n"
		"\n"
		"Example:\n"
		"  packetdrill tests/packetdrill/passive_open_close.pkt\n"
		"  packetdrill --on-fail stop tests/packetdrill/fail/bad_ack.pkt\n",
	.group = "programs",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_packetdrill,
};
