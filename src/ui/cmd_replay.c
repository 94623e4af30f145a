/*
 * cmd_replay.c - `replay FILE [on HOST] ...`: feed a capture file into a
 * host's NIC through the capture-fed port (src/capture/replay.h), run the
 * world until the file is consumed and the stack is idle, and report
 * what was read, what was injected, what was damaged and what the stack
 * did with it (deltas of counters and drops by reason).  `replay status`
 * reports on the running or last replay, `replay stop` ends it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture_net.h"
#include "capture/replay.h"
#include "capture/tap.h"
#include "cmd.h"
#include "cmd_replay.h"
#include "complete.h"
#include "console_out.h"
#include "duration.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "session.h"

static const char *dlt_name(int dlt)
{
	switch (dlt) {
	case 1:
		return "Ethernet";
	case 113:
		return "Linux cooked (SLL)";
	case 276:
		return "Linux cooked v2 (SLL2)";
	case 12:
	case 228:
		return "raw IPv4";
	default:
		return "other";
	}
}

static void emit_line(void *ctx, const char *line)
{
	kp_printf(ctx, "    %s\n", line);
}

/* Receiver mode: the file's responses against kpath's own. */
static void report_responses(struct kp_out *out, const struct kp_replay *r)
{
	if (!r->resp_tap) {
		kp_puts(out, "    kpath's own responses: unavailable until the "
			     "transmit path lands (no dev_queue_xmit)\n");
		return;
	}
	kp_printf(out, "    kpath sent %zu, the file's receiver %zu:\n",
		  r->own_resp.n, r->file_resp.n);
	int n = kp_resp_compare(&r->file_resp, &r->own_resp, emit_line, out);
	if (n == 0)
		kp_puts(out, "    the same responses, in the same order\n");
}

static void report_frames(struct kp_out *out, const struct kp_replay *r)
{
	char t0[KP_TIME_BUF], t1[KP_TIME_BUF];

	kp_printf(out, "replay#%d %s (%s, %s) on %s %s%s\n", r->id, r->path,
		  r->pcapng ? "pcapng" : "pcap", dlt_name(r->dlt),
		  r->host->name, r->ifname,
		  r->done ? (r->broken ? " (file broken)" : "")
			  : " (still feeding)");
	kp_printf(out,
		  "  frames: %" PRIu64 " read, %" PRIu64 " injected (%" PRIu64
		  " bytes), %" PRIu64 " skipped by filter, %" PRIu64
		  " damaged records skipped, %" PRIu64 " refused by the wire\n",
		  r->read, r->injected, r->bytes, r->filtered, r->skipped,
		  r->refused);
	if (r->injected)
		kp_printf(out, "  on the wire from %s to %s\n",
			  kp_fmt_time(t0, r->start_ns),
			  kp_fmt_time(t1, r->end_at));
	if (r->opts.fix_csum)
		kp_printf(out, "  --fix-csum rewrote the checksums of %" PRIu64
			       " frames\n",
			  r->csum_fixed);
	if (r->opts.as_receiver) {
		kp_printf(out, "  receiver mode: %" PRIu64
			       " frames the receiver sent were not injected "
			       "(the file's responses);\n",
			  r->responses);
		report_responses(out, r);
		if (r->tcp_to_receiver)
			kp_printf(out, "  %" PRIu64
				       " TCP segments to the receiver, %" PRIu64
				       " moved into kpath's sequence space "
				       "(ack, SACK, TS ecr), %" PRIu64
				       " with no SYN-ACK pair to do it\n",
				  r->tcp_to_receiver, r->tcpmap.translated,
				  r->tcpmap.untranslated);
	}
	if (r->damaged) {
		kp_printf(out, "  damaged frames injected: %" PRIu64 " (",
			  r->damaged);
		const char *sep = "";
		for (int i = 0; i < KP_PROB__COUNT; i++) {
			if (!r->problems[i])
				continue;
			kp_printf(out, "%s%s %" PRIu64, sep,
				  kp_problem_name((enum kp_problem)i),
				  r->problems[i]);
			sep = ", ";
		}
		kp_puts(out, ")\n");
	}
	for (unsigned i = 0; i < r->nr_notes; i++)
		kp_printf(out, "    %s\n", r->notes[i]);
	if (r->notes_dropped)
		kp_printf(out, "    ... and %" PRIu64 " more\n",
			  r->notes_dropped);
}

static void report_stack(struct kp_out *out, const struct kp_replay *r)
{
	struct net *net = r->net;
	struct net_device *dev = dev_get_by_name(net, r->ifname);
	const struct kp_replay_devsnap *d = &r->dev0;

	kp_puts(out, "What the stack did (changes since the replay began):\n");
	if (dev) {
		kp_printf(out, "  %s: rx_packets +%" PRIu64, dev->name,
			  dev->stats.rx_packets - d->stats.rx_packets);
		if (dev->rx_dropped != d->rx_dropped)
			kp_printf(out, ", rx_dropped +%" PRIu64,
				  dev->rx_dropped - d->rx_dropped);
		if (dev->rx_nohandler != d->rx_nohandler)
			kp_printf(out, ", rx_nohandler +%" PRIu64,
				  dev->rx_nohandler - d->rx_nohandler);
		char *names = NULL;
		uint64_t *vals = NULL;
		int n = kp_ethtool_stats(dev, &names, &vals);
		for (int i = 0; i < n && i < d->nr_ethtool; i++) {
			const char *name = names + i * ETH_GSTRING_LEN;
			if (vals[i] == d->ethtool[i] ||
			    strncmp(name, d->ethtool_names[i],
				    ETH_GSTRING_LEN) ||
			    !strcmp(name, "rx_packets"))
				continue;
			kp_printf(out, ", %s +%" PRIu64, name,
				  vals[i] - d->ethtool[i]);
		}
		free(names);
		free(vals);
		kp_puts(out, "\n");
	}
	int col = 0;
	for (int i = 0; i < KP_MIB_MAX; i++) {
		if (net->mib[i] == r->mib0[i] || i == KP_MIB_Ip_Forwarding ||
		    i == KP_MIB_Ip_DefaultTTL)
			continue;
		kp_printf(out, "%s%s%s %+" PRId64, col ? ", " : "  ",
			  kp_mib_info[i].group, kp_mib_info[i].name,
			  (int64_t)(net->mib[i] - r->mib0[i]));
		if (++col == 4) {
			kp_puts(out, "\n");
			col = 0;
		}
	}
	if (col)
		kp_puts(out, "\n");
	kp_puts(out, "  drops:");
	int nd = 0;
	for (int i = 0; i < SKB_DROP_REASON_MAX; i++) {
		if (net->drops[i] == r->drops0[i])
			continue;
		kp_printf(out, " %s +%" PRIu64,
			  kp_drop_reason_name((enum skb_drop_reason)i),
			  net->drops[i] - r->drops0[i]);
		nd++;
	}
	kp_puts(out, nd ? "\n" : " none\n");
	char why[160];
	bool ok = kp_net_check_skbs(net, why, sizeof(why)) == 0;
	kp_printf(out, "  skbs: %" PRIu64 " consumed, %" PRIu64
		       " dropped, %" PRIu64 " in flight; conservation %s%s\n",
		  net->skb.consumed - r->skb_consumed0,
		  net->skb.dropped - r->skb_dropped0, net->skb.alive,
		  ok ? "holds" : "BROKEN: ", ok ? "" : why);
}

static void report(struct kp_out *out, const struct kp_replay *r)
{
	report_frames(out, r);
	report_stack(out, r);
}

static struct kp_replay *current_replay(struct kp_host *h)
{
	return h && h->net && h->net->capture ? h->net->capture->replay
					      : NULL;
}

static int parse_opts(struct kp_session *s, struct kp_out *out, int argc,
		      char **argv, struct kp_replay_opts *o, char **filter,
		      const char **ifname)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--fast")) {
			o->fast = true;
		} else if (!strcmp(a, "--keep-mac")) {
			o->keep_mac = true;
		} else if (!strcmp(a, "--fix-csum")) {
			o->fix_csum = true;
		} else if (!strcmp(a, "--as-receiver")) {
			o->as_receiver = true;
		} else if (!strcmp(a, "--speed") && i + 1 < argc) {
			char *end;
			o->speed = strtod(argv[++i], &end);
			if (*end || !(o->speed > 0) || o->speed > 1e9)
				return kp_cmd_error(s, out, "replay: --speed "
							    "takes a factor "
							    "above 0, e.g. 2 "
							    "or 0.5");
		} else if (!strcmp(a, "--limit") && i + 1 < argc) {
			char *end;
			long long n = strtoll(argv[++i], &end, 10);
			if (*end || n <= 0)
				return kp_cmd_error(s, out, "replay: --limit "
							    "takes a number "
							    "of frames");
			o->limit = (uint64_t)n;
		} else if (!strcmp(a, "--filter") && i + 1 < argc) {
			/* the expression: every word up to the next --opt */
			size_t len = 0;
			int j;
			for (j = i + 1; j < argc && strncmp(argv[j], "--", 2);
			     j++)
				len += strlen(argv[j]) + 1;
			free(*filter);
			*filter = calloc(1, len + 1);
			if (!*filter)
				return kp_cmd_error(s, out, "out of memory");
			for (int k = i + 1; k < j; k++) {
				if (k > i + 1)
					strcat(*filter, " ");
				strcat(*filter, argv[k]);
			}
			i = j - 1;
		} else if (!strncmp(a, "--", 2)) {
			return kp_cmd_error(s, out, "replay: unknown option "
						    "'%s' (see 'help replay')",
					    a);
		} else {
			*ifname = a;
		}
	}
	if (o->fast && o->speed > 0)
		return kp_cmd_error(s, out, "replay: --fast or --speed, not "
					    "both");
	return 0;
}

static int cmd_replay_status(struct kp_session *s, struct kp_out *out,
			     struct kp_host *h, bool stop)
{
	struct kp_replay *r = current_replay(h);
	if (!r)
		return kp_cmd_error(s, out, "no replay on %s; start one with "
					    "'replay FILE on %s'",
				    h->name, h->name);
	if (stop && !r->done) {
		kp_replay_stop(r);
		kp_printf(out, "replay#%d stopped after %" PRIu64
			       " frames; those on the wire still arrive\n",
			  r->id, r->read);
	}
	report(out, r);
	return 0;
}

static int cmd_replay(struct kp_session *s, int argc, char **args,
		      struct kp_out *out)
{
	struct kp_world *w = s->world;
	struct kp_host *h = NULL;
	const char *ifname = "eth0";
	struct kp_replay_opts o = { 0 };
	char *filter = NULL;
	char err[700];

	if (argc < 1 || argc > 64)
		return KP_CMD_USAGE;
	/* our own copy of the word list: we take words out of it */
	char *argv[65];
	memcpy(argv, args, sizeof(char *) * (size_t)(argc + 1));
	/* "on HOST" anywhere, or a bare host name */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "on") && i + 1 < argc) {
			h = kp_host_by_name(w, argv[i + 1]);
			if (!h)
				return kp_cmd_error(s, out, "replay: no host "
							    "'%s'",
						    argv[i + 1]);
			memmove(argv + i, argv + i + 2,
				sizeof(char *) * (size_t)(argc - i - 1));
			argc -= 2;
			break;
		}
	}
	if (!h)
		h = kp_net_cmd_host(s, &argc, argv);
	if (!h || !h->net)
		return kp_cmd_error(s, out, "replay: no host with a network "
					    "stack");
	if (!strcmp(argv[0], "status") || !strcmp(argv[0], "stop"))
		return cmd_replay_status(s, out, h, argv[0][2] == 'o');

	const char *path = argv[0];
	int ret = parse_opts(s, out, argc - 1, argv + 1, &o, &filter, &ifname);
	if (ret) {
		free(filter);
		return ret;
	}
	o.filter = filter;
	if (!kp_net_cmd_dev(s, out, h, ifname)) {
		free(filter);
		return -ENODEV;
	}
	struct kp_replay *r = NULL;
	if (o.as_receiver) {
		/* listeners first: the first frame must find them bound */
		ret = kp_replay_become_receiver(s, out, h, ifname, path, err,
				      sizeof(err));
		if (ret < 0) {
			free(filter);
			return kp_cmd_error(s, out, "replay: %s", err);
		}
	}
	struct kp_tap *resp_tap = NULL;
	if (o.as_receiver && kp_capture_have_xmit())
		resp_tap = kp_replay_collect_responses(s, out, h, ifname);
	ret = kp_replay_start(h, ifname, path, &o, &r, err, sizeof(err));
	free(filter);
	if (ret < 0) {
		if (resp_tap) {
			dev_remove_pack(&resp_tap->pt);
			kp_tap_free(resp_tap);
		}
		return kp_cmd_error(s, out, "replay: %s", err);
	}
	if (resp_tap) {
		resp_tap->collect_ctx = r;
		r->resp_tap = resp_tap;
	}
	enum kp_stop_reason why = kp_session_run(s, KP_RUN_CONTINUE, 0);
	kp_console_flush(s, out);
	if (why != KP_STOP_IDLE || !r->done) {
		kp_session_report_stop(s, out);
		kp_printf(out, "replay#%d: %" PRIu64 " frames read so far; "
			       "'continue' goes on, 'replay status' reports\n",
			  r->id, r->read);
		return 0;
	}
	report(out, r);
	return 0;
}

static void complete_replay(struct kp_session *s, int argc, char **argv,
			    struct kp_completions *c)
{
	static const char *const opts[] = { "on",	  "--fast",
					    "--speed",	  "--limit",
					    "--filter",	  "--keep-mac",
					    "--as-receiver", "--fix-csum", "status",
					    "stop" };
	(void)argv;
	if (argc && !strcmp(argv[argc - 1], "on")) {
		kp_complete_hosts(s, c);
		return;
	}
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		kp_complete_add(c, opts[i]);
}

const struct kp_cmd kp_cmd_replay = {
	.name = "replay",
	.aliases = NULL,
	.usage = "replay FILE [on HOST] [DEV] [--speed X | --fast] "
		 "[--limit N] [--filter EXPR] [--keep-mac] [--fix-csum] "
		 "[--as-receiver] | "
		 "replay status|stop [HOST]",
	.summary = "feed a pcap/pcapng capture into a host's NIC",
	.help = "Reads FILE with libpcap (pcap or pcapng; Ethernet, Linux\n"
		"cooked SLL/SLL2, raw IPv4; micro- or nanosecond stamps) and\n"
		"puts each frame on the wire of HOST's DEV (default server\n"
		"eth0) at its capture time from now, scaled by --speed, or\n"
		"back to back at 1 Gbit/s with --fast.  The frames meet the\n"
		"ring, NAPI and the stack as wire frames do.  Unicast frames\n"
		"are re-addressed to the NIC's MAC (--keep-mac: not; the\n"
		"NIC's address filter then drops them).  --filter takes a\n"
		"tcpdump expression (libpcap's compiler); --limit N injects\n"
		"at most N frames.  --fix-csum recomputes the IPv4, TCP, UDP\n"
		"and ICMP checksums (captures taken on a sender with\n"
		"checksum offload hold unfinished ones: Linux drops those).\n"
		"\n"
		"The world runs until the file is consumed and the stack is\n"
		"idle, then a report says: frames read, injected, filtered,\n"
		"damaged (file, frame number, byte offset, the fault by\n"
		"name), and what the stack did: device counters, MIB\n"
		"counters and drops by reason.  A breakpoint stops the\n"
		"replay like any run; 'continue' goes on.  The file streams,\n"
		"256 frames ahead of virtual time.\n"
		"\n"
		"--as-receiver plays the capture's receiver (who got the\n"
		"first SYN, else the first IPv4 frame): its address goes on\n"
		"DEV, a udp-server listens on each UDP port it receives on\n"
		"and a tcp-bulk-recv on each TCP port, its peers get a route\n"
		"and a permanent neighbour entry, and the frames it sent are\n"
		"left out: the report compares them with what kpath sent\n"
		"(missing, extra, flags, seq, ack, length).  TCP segments to\n"
		"the receiver are fed just in time and moved into kpath's\n"
		"sequence space (its ISN and timestamps) once both SYN-ACKs\n"
		"are known; add --fix-csum for captures taken with checksum\n"
		"offload.\n"
		"\n"
		"Example:\n"
		"  replay ../shared/captures/dns_udp.pcap on server --fast\n"
		"  replay ../shared/captures/afs.pcap --filter udp --limit 50\n"
		"  replay ../shared/captures/ntp.pcap --as-receiver\n"
		"  replay status\n",
	.group = "captures",
	.flags = 0,
	.complete = complete_replay,
	.handler = cmd_replay,
};
