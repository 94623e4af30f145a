/*
 * cmd_tcpdump.c - `tcpdump`: a capture tap on a host (src/capture/tap.h)
 * that prints tcpdump's lines as packets pass while the world runs, and
 * writes -w files with libpcap; `tcpdump stop` removes it; `tcpdump -r
 * FILE` prints a capture file the way tcpdump -r does.
 *
 * The tap registers with dev_add_pack(ETH_P_ALL), which runs on the
 * host's CPU 0 (kp_net_cmd_call), as an AF_PACKET socket's bind does.
 * The transmit tap (dev_queue_xmit_nit) belongs to the transmit issue.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture_net.h"
#include "capture/pcap_in.h"
#include "capture/tap.h"
#include "cmd.h"
#include "cmd_replay.h"
#include "complete.h"
#include "console_out.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "session.h"

struct tcpdump_args {
	const char *ifname;
	const char *rfile;
	struct kp_tap_opts o;
	bool print_too; /* --print with -w */
	bool stop;
	int stop_id;
	char *filter;
};

static int parse_args(struct kp_session *s, struct kp_out *out, int argc,
		      char **argv, struct tcpdump_args *a)
{
	size_t flen = 0;
	int first_expr = -1;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (first_expr >= 0) {
			flen += strlen(w) + 1;
			continue;
		}
		if (!strcmp(w, "stop") && i == 0) {
			a->stop = true;
			if (val)
				a->stop_id = atoi(val);
			return 0;
		}
		if (!strcmp(w, "-n") || !strcmp(w, "-nn") ||
		    !strcmp(w, "-p") || !strcmp(w, "-l"))
			continue; /* numeric and no promisc: always so */
		if (!strcmp(w, "-e")) {
			a->o.ether = true;
		} else if (!strcmp(w, "-v")) {
			a->o.verbose = true;
		} else if (!strcmp(w, "--print")) {
			a->print_too = true;
		} else if ((!strcmp(w, "-i") || !strcmp(w, "-c") ||
			    !strcmp(w, "-w") || !strcmp(w, "-r")) && !val) {
			return kp_cmd_error(s, out, "tcpdump: %s needs a value "
						    "(see 'help tcpdump')",
					    w);
		} else if (!strcmp(w, "-i")) {
			a->ifname = argv[++i];
		} else if (!strcmp(w, "-w")) {
			a->o.wfile = argv[++i];
		} else if (!strcmp(w, "-r")) {
			a->rfile = argv[++i];
		} else if (!strcmp(w, "-c")) {
			char *end;
			long long n = strtoll(argv[++i], &end, 10);
			if (*end || n <= 0)
				return kp_cmd_error(s, out, "tcpdump: -c takes "
							    "a packet count");
			a->o.count = (uint64_t)n;
		} else if (w[0] == '-') {
			return kp_cmd_error(s, out, "tcpdump: option '%s' is "
						    "not supported (see 'help "
						    "tcpdump')",
					    w);
		} else {
			first_expr = i;
			flen += strlen(w) + 1;
		}
	}
	if (first_expr >= 0) {
		a->filter = calloc(1, flen + 1);
		if (!a->filter)
			return kp_cmd_error(s, out, "out of memory");
		for (int i = first_expr; i < argc; i++) {
			if (i > first_expr)
				strcat(a->filter, " ");
			strcat(a->filter, argv[i]);
		}
		a->o.filter = a->filter;
	}
	return 0;
}

/* tcpdump -r: the file's frames as tcpdump prints them. */
static int read_file(struct kp_session *s, struct kp_out *out,
		     struct tcpdump_args *a)
{
	struct kp_pcap_in in;
	struct kp_pcap_frame f;
	struct kp_tcpdump_state st;
	struct kp_bpf bpf;
	bool filt = false;
	uint64_t n = 0;
	int r;

	if (kp_pcap_in_open(&in, a->rfile) < 0)
		return kp_cmd_error(s, out, "tcpdump: %s", in.error);
	if (a->filter && kp_bpf_compile(&bpf, a->filter, in.dlt) < 0) {
		kp_pcap_in_close(&in);
		return kp_cmd_error(s, out, "tcpdump: %s", bpf.error);
	}
	filt = a->filter != NULL;
	kp_printf(out, "reading from file %s, link-type %s, snapshot length "
		       "%u\n",
		  a->rfile, pcap_datalink_val_to_name(in.dlt) ?: "?",
		  in.snaplen);
	kp_tcpdump_state_init(&st);
	while ((r = kp_pcap_in_next(&in, &f)) != KP_PCAP_END) {
		if (r != KP_PCAP_FRAME) {
			kp_printf(out, "tcpdump: %s\n", in.error);
			continue;
		}
		if (filt &&
		    !kp_bpf_match(&bpf, f.raw, f.raw_caplen, f.raw_wirelen))
			continue;
		struct kp_tcpdump_line line;
		kp_tcpdump_format(&st, f.ts_ns, f.data, f.caplen, f.wirelen,
				  &line);
		if (a->o.verbose)
			kp_tcpdump_verbose(&line, f.data, f.caplen, f.wirelen);
		if (a->o.ether)
			kp_tap_add_ether(&line, f.data, f.caplen, f.wirelen);
		kp_printf(out, "%s\n", line.text);
		if (a->o.count && ++n >= a->o.count)
			break;
	}
	kp_tcpdump_state_free(&st);
	if (filt)
		kp_bpf_free(&bpf);
	kp_pcap_in_close(&in);
	return 0;
}

int kp_tcpdump_tap_add(void *info)
{
	struct kp_tap *t = info;
	t->add_pending = false;
	t->active = true;
	dev_add_pack(&t->pt);
	return 0;
}

static int tap_remove_on_cpu(void *info)
{
	struct kp_tap *t = info;
	if (t->active)
		dev_remove_pack(&t->pt);
	t->active = false;
	return 0;
}

static int tcpdump_stop(struct kp_session *s, struct kp_out *out,
			struct kp_host *h, int id)
{
	struct kp_tap *t = kp_tap_find(h->net, id);
	if (!t)
		return kp_cmd_error(s, out, "tcpdump: no capture %s%.0d on %s; "
					    "start one with 'tcpdump -i eth0'",
				    id ? "#" : "running", id, h->name);
	if (t->add_pending)
		return kp_cmd_error(s, out, "tcpdump: capture #%d starts when "
					    "the run goes on ('continue'); "
					    "stop it after that",
				    t->id);
	if (t->active) {
		int r = kp_net_cmd_call(s, out, h, tap_remove_on_cpu, t, NULL);
		if (r == -EINPROGRESS)
			return 0;
	}
	kp_console_flush(s, out);
	int err = kp_tap_close_file(t);
	if (err)
		kp_printf(out, "tcpdump: %s\n", t->error);
	kp_printf(out,
		  "%" PRIu64 " packets captured\n%" PRIu64
		  " packets received by filter\n0 packets dropped by kernel\n",
		  t->captured, t->captured);
	kp_tap_free(t);
	return 0;
}

static int cmd_tcpdump(struct kp_session *s, int argc, char **args,
		       struct kp_out *out)
{
	struct tcpdump_args a = { .ifname = NULL };
	char err[700];
	int ret;

	if (argc > 64)
		return KP_CMD_USAGE;
	char *argv[65];
	memcpy(argv, args, sizeof(char *) * (size_t)(argc + 1));
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	ret = parse_args(s, out, argc, argv, &a);
	if (ret)
		goto out;
	if (a.rfile) {
		ret = read_file(s, out, &a);
		goto out;
	}
	if (!h || !h->net) {
		ret = kp_cmd_error(s, out, "tcpdump: no host with a network "
					   "stack");
		goto out;
	}
	if (a.stop) {
		ret = tcpdump_stop(s, out, h, a.stop_id);
		goto out;
	}
	if (!a.ifname) {
		ret = kp_cmd_error(s, out, "tcpdump: say which interface: "
					   "'tcpdump -i eth0' (or -i any)");
		goto out;
	}
	struct net_device *dev = NULL;
	if (strcmp(a.ifname, "any")) {
		dev = kp_net_cmd_dev(s, out, h, a.ifname);
		if (!dev) {
			ret = -ENODEV;
			goto out;
		}
	}
	a.o.ifname = a.ifname;
	a.o.print = !a.o.wfile || a.print_too;
	struct kp_tap *t = kp_tap_create(h->net, dev, &a.o, err, sizeof(err));
	if (!t) {
		ret = kp_cmd_error(s, out, "%s", err);
		goto out;
	}
	if (a.o.print && !a.o.verbose)
		kp_puts(out, "tcpdump: verbose output suppressed, use -v[v]... "
			     "for full protocol decode\n");
	kp_printf(out,
		  "%slistening on %s, link-type EN10MB (Ethernet), snapshot "
		  "length 262144 bytes (capture #%d on %s; 'tcpdump stop' "
		  "ends it)\n",
		  a.o.print ? "" : "tcpdump: ", t->ifname, t->id, h->name);
	t->add_pending = true;
	ret = kp_net_cmd_call(s, out, h, kp_tcpdump_tap_add, t, NULL);
	if (ret == -EINPROGRESS)
		ret = 0;
	kp_console_flush(s, out);
out:
	free(a.filter);
	return ret;
}

static void complete_tcpdump(struct kp_session *s, int argc, char **argv,
			     struct kp_completions *c)
{
	static const char *const opts[] = { "-i", "-n", "-c", "-w",	"-e",
					    "-v", "-r", "--print", "stop" };
	if (argc && !strcmp(argv[argc - 1], "-i")) {
		kp_complete_net_devs(s, c);
		kp_complete_add(c, "any");
		return;
	}
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		kp_complete_add(c, opts[i]);
	kp_complete_hosts(s, c);
}

const struct kp_cmd kp_cmd_tcpdump = {
	.name = "tcpdump",
	.aliases = NULL,
	.usage = "tcpdump [HOST] -i IFACE [-n] [-e] [-v] [-c N] [-w FILE "
		 "[--print]] [EXPR] | tcpdump stop [HOST] [N] | tcpdump -r FILE "
		 "[-e] [-v] [-c N] [EXPR]",
	.summary = "capture packets on a host as they pass, in tcpdump's format",
	.help = "Starts a capture on HOST (default server) the way tcpdump\n"
		"does on Linux: a packet_type with type ETH_P_ALL goes on the\n"
		"host's ptype_all (dev_add_pack, run on CPU 0), so\n"
		"__netif_receive_skb_core hands it every received skb\n"
		"(deliver_skb).  It stays while the world runs: each packet\n"
		"prints tcpdump's own line (as tcpdump -n, with the virtual\n"
		"time as timestamp) when it passes.  EXPR is a tcpdump filter\n"
		"(libpcap's compiler).  -c N stops after N packets; -w FILE\n"
		"writes a pcap with libpcap instead of printing (--print:\n"
		"both); -e adds the Ethernet header; -v the IPv4 header and\n"
		"the TCP checksum, as tcpdump -v.  -n is implied (kpath\n"
		"resolves no names); the NIC is not made promiscuous (-p).\n"
		"Only received packets are seen: the transmit tap\n"
		"dev_queue_xmit_nit comes with the transmit path.\n"
		"\n"
		"'tcpdump stop [N]' removes capture N (default: the newest),\n"
		"closes its file and prints tcpdump's counts.  'tcpdump -r\n"
		"FILE' prints a capture file as tcpdump -r -n does.\n"
		"\n"
		"Example:\n"
		"  tcpdump -i eth0 -n udp\n"
		"  inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 data hi\n"
		"  continue\n"
		"  tcpdump stop\n"
		"  tcpdump server -i eth0 -w /tmp/out.pcap -c 10\n"
		"  tcpdump -r /tmp/out.pcap\n",
	.group = "captures",
	.flags = 0,
	.complete = complete_tcpdump,
	.handler = cmd_tcpdump,
};
