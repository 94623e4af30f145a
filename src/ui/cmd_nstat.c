/*
 * cmd_nstat.c - `nstat` (iproute2 misc/nstat.c) and `netstat -s`
 * (net-tools statistics.c): the host's MIB counters by name.
 *
 * nstat keeps a history, as the real one keeps /tmp/.nstat.uUID: without
 * -a it prints how much each counter grew since the last nstat of this
 * session on this host (the first call, with no history, prints the
 * absolute values), then remembers the current values.  The history is
 * text in nstat's own format, held by the session as a saved output named
 * "/tmp/.nstat.u0 HOST" (a name `save output` cannot make, having a
 * space).
 *
 * Left out: nstat's daemon mode and rates (the rate column is 0.0, as
 * for any nstat run without a daemon), --json; IPv6 counters.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "session.h"

struct nstat_ent {
	char id[48];
	uint64_t val;
};

#define NSTAT_MAX (KP_MIB_MAX + 512)

/* Constants and gauges nstat skips (useless_numbers[]). */
static bool useless_number(const char *id)
{
	static const char *const useless[] = {
		"IpForwarding", "IpDefaultTTL", "TcpRtoAlgorithm",
		"TcpRtoMin",    "TcpRtoMax",    "TcpMaxConn",
		"TcpCurrEstab",
	};
	for (size_t i = 0; i < sizeof(useless) / sizeof(useless[0]); i++)
		if (strcmp(id, useless[i]) == 0)
			return true;
	return false;
}

static void add_group(const struct net *net, const char *group,
		      struct nstat_ent *e, int *n)
{
	for (int i = 0; i < KP_MIB_MAX; i++) {
		if (strcmp(kp_mib_info[i].group, group) != 0)
			continue;
		snprintf(e[*n].id, sizeof(e[*n].id), "%s%s", group,
			 kp_mib_info[i].name);
		if (useless_number(e[*n].id))
			continue;
		e[*n].val = (uint64_t)kp_net_mib_value(net, i);
		(*n)++;
	}
}

/* The counters in nstat's order: /proc/net/snmp's (IcmpMsg types only
 * when nonzero, as the file lists them), then /proc/net/netstat's. */
static int nstat_collect(const struct net *net, struct nstat_ent *e)
{
	int n = 0;
	add_group(net, "Ip", e, &n);
	add_group(net, "Icmp", e, &n);
	for (int dir = 0; dir < 2; dir++) {
		for (int t = 0; t < 256; t++) {
			uint64_t v = dir ? net->icmpmsg_out[t]
					 : net->icmpmsg_in[t];
			if (!v)
				continue;
			snprintf(e[n].id, sizeof(e[n].id), "IcmpMsg%sType%d",
				 dir ? "Out" : "In", t);
			e[n++].val = v;
		}
	}
	add_group(net, "Tcp", e, &n);
	add_group(net, "Udp", e, &n);
	add_group(net, "UdpLite", e, &n);
	add_group(net, "TcpExt", e, &n);
	add_group(net, "IpExt", e, &n);
	return n;
}

/* ---- history ---- */

static void history_name(char *buf, size_t size, const struct kp_host *h)
{
	snprintf(buf, size, "/tmp/.nstat.u0 %s", h->name);
}

static struct kp_saved_output *history_find(struct kp_session *s,
					    const char *name)
{
	for (struct kp_saved_output *o = s->saved; o; o = o->next)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* Parse "#kernel\nName value rate\n..." into @e; returns the count. */
static int history_load(const char *text, struct nstat_ent *e)
{
	int n = 0;
	while (text && *text && n < NSTAT_MAX) {
		const char *eol = strchr(text, '\n');
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		char line[128];
		if (text[0] != '#' && len < sizeof(line)) {
			unsigned long long v;
			memcpy(line, text, len);
			line[len] = '\0';
			if (sscanf(line, "%47s %llu", e[n].id, &v) == 2) {
				e[n].val = v;
				n++;
			}
		}
		text = eol ? eol + 1 : NULL;
	}
	return n;
}

static const struct nstat_ent *history_lookup(const struct nstat_ent *hist,
					      int nhist, const char *id)
{
	for (int i = 0; i < nhist; i++)
		if (strcmp(hist[i].id, id) == 0)
			return &hist[i];
	return NULL;
}

static void history_store(struct kp_session *s, const char *name,
			  const char *text)
{
	struct kp_saved_output *o = history_find(s, name);
	char *copy = strdup(text);
	if (!copy)
		return;
	if (!o) {
		o = calloc(1, sizeof(*o));
		if (!o || !(o->name = strdup(name))) {
			free(o);
			free(copy);
			return;
		}
		o->next = s->saved;
		s->saved = o;
	}
	free(o->text);
	o->text = copy;
}

static void history_drop(struct kp_session *s, const char *name)
{
	for (struct kp_saved_output **p = &s->saved; *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name) == 0) {
			struct kp_saved_output *o = *p;
			*p = o->next;
			free(o->name);
			free(o->text);
			free(o);
			return;
		}
	}
}

/* ---- nstat ---- */

struct nstat_opts {
	bool zeros, ignore_history, reset, no_update, no_output;
	int npatterns;
	char **patterns;
};

static bool nstat_match(const struct nstat_opts *o, const char *id)
{
	if (!o->npatterns)
		return true;
	for (int i = 0; i < o->npatterns; i++)
		if (fnmatch(o->patterns[i], id, 0) == 0)
			return true;
	return false;
}

static void nstat_line(struct kp_out *out, const char *id, uint64_t val,
		       const char *suffix)
{
	kp_printf(out, "%-32s%-16" PRIu64 "%6.1f%s\n", id, val, 0.0, suffix);
}

static int cmd_nstat(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	struct nstat_opts o = { 0 };
	char hname[64];
	int i;

	if (!h || !h->net)
		return kp_cmd_error(s, out, "no network stack to count yet");
	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *p = argv[i] + 1; *p; p++) {
			switch (*p) {
			case 'z': o.zeros = true; break;
			case 'a': o.ignore_history = true; break;
			case 'r': o.reset = true; break;
			case 's': o.no_update = true; break;
			case 'n': o.no_output = true; break;
			default:
				return kp_cmd_error(s, out, "nstat: unknown "
							    "option -%c; "
							    "usage: %s",
						    *p, kp_cmd_nstat.usage);
			}
		}
	}
	o.patterns = argv + i;
	o.npatterns = argc - i;

	struct nstat_ent *kern = calloc(NSTAT_MAX, sizeof(*kern));
	struct nstat_ent *hist = calloc(NSTAT_MAX, sizeof(*hist));
	struct kp_strbuf sb;
	if (!kern || !hist) {
		free(kern);
		free(hist);
		return kp_cmd_error(s, out, "nstat: out of memory");
	}
	history_name(hname, sizeof(hname), h);
	if (o.reset)
		history_drop(s, hname);
	struct kp_saved_output *ho = history_find(s, hname);
	int nhist = ho ? history_load(ho->text, hist) : 0;
	int nkern = nstat_collect(h->net, kern);

	if (!o.no_output) {
		kp_puts(out, "#kernel\n");
		for (int k = 0; k < nkern; k++) {
			uint64_t val = kern[k].val;
			const char *suffix = "";
			if (!o.ignore_history && nhist) {
				/* dump_incr_db */
				const struct nstat_ent *he = history_lookup(
					hist, nhist, kern[k].id);
				if (he && val < he->val) {
					suffix = " (overflow)";
					val = 0;
				} else if (he) {
					val -= he->val;
				}
			}
			if ((!o.zeros && !val) || !nstat_match(&o, kern[k].id))
				continue;
			nstat_line(out, kern[k].id, val, suffix);
		}
	}
	if (!o.no_update) {
		/* dump_kern_db(hist_fp, 1): counters left out by the
		 * patterns keep their old history */
		struct kp_out hout;
		kp_strbuf_init(&sb);
		kp_out_init_strbuf(&hout, &sb);
		kp_puts(&hout, "#kernel\n");
		for (int k = 0; k < nkern; k++) {
			uint64_t val = kern[k].val;
			if (!o.zeros && !val)
				continue;
			if (!nstat_match(&o, kern[k].id)) {
				const struct nstat_ent *he = history_lookup(
					hist, nhist, kern[k].id);
				if (he)
					val = he->val;
			}
			nstat_line(&hout, kern[k].id, val, "");
		}
		history_store(s, hname, kp_strbuf_str(&sb));
		kp_strbuf_free(&sb);
	}
	free(kern);
	free(hist);
	return 0;
}

static void complete_nstat(struct kp_session *s, int argc, char **argv,
			   struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_hosts(s, c);
	kp_complete_add(c, "-a");
	kp_complete_add(c, "-z");
	kp_complete_add(c, "-az");
	kp_complete_add(c, "-r");
	for (int i = 0; i < KP_MIB_MAX; i++) {
		char id[48];
		snprintf(id, sizeof(id), "%s%s", kp_mib_info[i].group,
			 kp_mib_info[i].name);
		kp_complete_add(c, id);
	}
}

const struct kp_cmd kp_cmd_nstat = {
	.name = "nstat",
	.aliases = NULL,
	.usage = "nstat [HOST] [-azrsn] [PATTERN...]",
	.summary = "SNMP and extended counters by name, with nstat's history",
	.help = "Prints the host's MIB counters (HOST defaults to server) as\n"
		"iproute2's nstat does: '#kernel', then name, value and rate\n"
		"(always 0.0 here: there is no nstat daemon).  Without -a it\n"
		"prints how much each counter grew since the previous nstat\n"
		"of this session on this host, and remembers the values now:\n"
		"run it once to start, make traffic, run it again to see\n"
		"what the traffic did.  The first call prints absolute\n"
		"values.\n"
		"\n"
		"  -a  absolute values, not increments (history still updated)\n"
		"  -z  also the counters that are zero\n"
		"  -r  forget the history first\n"
		"  -s  do not update the history\n"
		"  -n  print nothing, only update the history\n"
		"\n"
		"PATTERNs are shell globs on the names (Udp*, *Csum*).\n"
		"\n"
		"Example:\n"
		"  nstat -n\n"
		"  inject server udp 10.0.0.1:5000 > 10.0.0.2:9\n"
		"  continue\n"
		"  nstat\n"
		"  nstat -az 'Udp*'\n",
	.group = "network",
	.flags = 0,
	.complete = complete_nstat,
	.handler = cmd_nstat,
};

/* ---- netstat -s ---- */

enum { ST_NUMBER, ST_OPT, ST_STATIC, ST_ICMP_IN, ST_ICMP_OUT, ST_SKIP };

struct st_entry {
	const char *group, *name, *text;
	int type;
};

/* net-tools statistics.c's texts for the counters kpath keeps. */
static const struct st_entry st_table[] = {
	/* no "Forwarding" entry: net-tools prints it as an unknown
	 * counter, "    Forwarding: 2" */
	{ "Ip", "DefaultTTL", "", ST_STATIC },
	{ "Ip", "ForwDatagrams", "%" PRIu64 " forwarded", ST_NUMBER },
	{ "Ip", "FragCreates", "%" PRIu64 " fragments created", ST_OPT },
	{ "Ip", "FragFails", "%" PRIu64 " outgoing packets failed fragmentation", ST_OPT },
	{ "Ip", "FragOKs", "%" PRIu64 " outgoing packets fragmented ok", ST_OPT },
	{ "Ip", "InAddrErrors", "%" PRIu64 " with invalid addresses", ST_OPT },
	{ "Ip", "InDelivers", "%" PRIu64 " incoming packets delivered", ST_NUMBER },
	{ "Ip", "InDiscards", "%" PRIu64 " incoming packets discarded", ST_NUMBER },
	{ "Ip", "InHdrErrors", "%" PRIu64 " with invalid headers", ST_OPT },
	{ "Ip", "InReceives", "%" PRIu64 " total packets received", ST_NUMBER },
	{ "Ip", "InUnknownProtos", "%" PRIu64 " with unknown protocol", ST_OPT },
	{ "Ip", "OutDiscards", "%" PRIu64 " outgoing packets dropped", ST_OPT },
	{ "Ip", "OutNoRoutes", "%" PRIu64 " dropped because of missing route", ST_OPT },
	{ "Ip", "OutRequests", "%" PRIu64 " requests sent out", ST_NUMBER },
	{ "Ip", "ReasmFails", "%" PRIu64 " packet reassemblies failed", ST_OPT },
	{ "Ip", "ReasmOKs", "%" PRIu64 " packets reassembled ok", ST_OPT },
	{ "Ip", "ReasmReqds", "%" PRIu64 " reassemblies required", ST_OPT },
	{ "Ip", "ReasmTimeout", "%" PRIu64 " fragments dropped after timeout", ST_OPT },
	{ "Icmp", "InAddrMaskReps", "address mask replies: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InAddrMasks", "address mask request: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InDestUnreachs", "destination unreachable: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InEchoReps", "echo replies: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InEchos", "echo requests: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InErrors", "%" PRIu64 " input ICMP message failed", ST_NUMBER },
	{ "Icmp", "InMsgs", "%" PRIu64 " ICMP messages received", ST_NUMBER },
	{ "Icmp", "InParmProbs", "wrong parameters: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InRedirects", "redirects: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InSrcQuenchs", "source quenches: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InTimeExcds", "timeout in transit: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InTimestampReps", "timestamp reply: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "InTimestamps", "timestamp request: %" PRIu64, ST_ICMP_IN },
	{ "Icmp", "OutAddrMaskReps", "address mask replies: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutAddrMasks", "address mask requests: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutDestUnreachs", "destination unreachable: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutEchoReps", "echo replies: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutEchos", "echo requests: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutErrors", "%" PRIu64 " ICMP messages failed", ST_NUMBER },
	{ "Icmp", "OutMsgs", "%" PRIu64 " ICMP messages sent", ST_NUMBER },
	{ "Icmp", "OutParmProbs", "wrong parameters: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutRedirects", "redirect: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutSrcQuenchs", "source quench: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutTimeExcds", "time exceeded: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutTimestampReps", "timestamp replies: %" PRIu64, ST_ICMP_OUT },
	{ "Icmp", "OutTimestamps", "timestamp requests: %" PRIu64, ST_ICMP_OUT },
	{ "Tcp", "ActiveOpens", "%" PRIu64 " active connection openings", ST_NUMBER },
	{ "Tcp", "AttemptFails", "%" PRIu64 " failed connection attempts", ST_NUMBER },
	{ "Tcp", "CurrEstab", "%" PRIu64 " connections established", ST_NUMBER },
	{ "Tcp", "EstabResets", "%" PRIu64 " connection resets received", ST_NUMBER },
	{ "Tcp", "InErrs", "%" PRIu64 " bad segments received", ST_NUMBER },
	{ "Tcp", "InSegs", "%" PRIu64 " segments received", ST_NUMBER },
	{ "Tcp", "MaxConn", "", ST_SKIP },
	{ "Tcp", "OutRsts", "%" PRIu64 " resets sent", ST_NUMBER },
	{ "Tcp", "OutSegs", "%" PRIu64 " segments sent out", ST_NUMBER },
	{ "Tcp", "PassiveOpens", "%" PRIu64 " passive connection openings", ST_NUMBER },
	{ "Tcp", "RetransSegs", "%" PRIu64 " segments retransmitted", ST_NUMBER },
	{ "Tcp", "RtoAlgorithm", "", ST_STATIC },
	{ "Tcp", "RtoMax", "", ST_SKIP },
	{ "Tcp", "RtoMin", "", ST_SKIP },
	{ "Udp", "InDatagrams", "%" PRIu64 " packets received", ST_NUMBER },
	{ "Udp", "InErrors", "%" PRIu64 " packet receive errors", ST_NUMBER },
	{ "Udp", "NoPorts", "%" PRIu64 " packets to unknown port received", ST_NUMBER },
	{ "Udp", "OutDatagrams", "%" PRIu64 " packets sent", ST_NUMBER },
	{ "Udp", "RcvbufErrors", "%" PRIu64 " receive buffer errors", ST_NUMBER },
	{ "Udp", "SndbufErrors", "%" PRIu64 " send buffer errors", ST_NUMBER },
	{ "TcpExt", "DelayedACKLocked", "%" PRIu64 " delayed acks further delayed because of locked socket", ST_OPT },
	{ "TcpExt", "DelayedACKLost", "Quick ack mode was activated %" PRIu64 " times", ST_OPT },
	{ "TcpExt", "DelayedACKs", "%" PRIu64 " delayed acks sent", ST_OPT },
	{ "TcpExt", "EmbryonicRsts", "%" PRIu64 " resets received for embryonic SYN_RECV sockets", ST_OPT },
	{ "TcpExt", "ListenDrops", "%" PRIu64 " SYNs to LISTEN sockets dropped", ST_OPT },
	{ "TcpExt", "ListenOverflows", "%" PRIu64 " times the listen queue of a socket overflowed", ST_OPT },
	{ "TcpExt", "LockDroppedIcmps", "%" PRIu64 " ICMP packets dropped because socket was locked", ST_OPT },
	{ "TcpExt", "OfoPruned", "%" PRIu64 " packets dropped from out-of-order queue because of socket buffer overrun", ST_OPT },
	{ "TcpExt", "OutOfWindowIcmps", "%" PRIu64 " ICMP packets dropped because they were out-of-window", ST_OPT },
	{ "TcpExt", "PAWSActive", "%" PRIu64 " active connections rejected because of time stamp", ST_OPT },
	{ "TcpExt", "PAWSEstab", "%" PRIu64 " packetes rejected in established connections because of timestamp", ST_OPT },
	{ "TcpExt", "PruneCalled", "%" PRIu64 " packets pruned from receive queue because of socket buffer overrun", ST_OPT },
	{ "TcpExt", "RcvPruned", "%" PRIu64 " packets pruned from receive queue", ST_OPT },
	{ "TcpExt", "SyncookiesFailed", "%" PRIu64 " invalid SYN cookies received", ST_OPT },
	{ "TcpExt", "SyncookiesRecv", "%" PRIu64 " SYN cookies received", ST_OPT },
	{ "TcpExt", "SyncookiesSent", "%" PRIu64 " SYN cookies sent", ST_OPT },
	{ "TcpExt", "TCPAbortFailed", "%" PRIu64 " times unable to send RST due to no memory", ST_OPT },
	{ "TcpExt", "TCPAbortOnClose", "%" PRIu64 " connections reset due to early user close", ST_OPT },
	{ "TcpExt", "TCPAbortOnData", "%" PRIu64 " connections reset due to unexpected data", ST_OPT },
	{ "TcpExt", "TCPAbortOnLinger", "%" PRIu64 " connections aborted after user close in linger timeout", ST_OPT },
	{ "TcpExt", "TCPAbortOnMemory", "%" PRIu64 " connections aborted due to memory pressure", ST_OPT },
	{ "TcpExt", "TCPAbortOnTimeout", "%" PRIu64 " connections aborted due to timeout", ST_OPT },
	{ "TcpExt", "TCPDSACKOfoRecv", "%" PRIu64 " DSACKs for out of order packets received", ST_OPT },
	{ "TcpExt", "TCPDSACKOfoSent", "%" PRIu64 " DSACKs sent for out of order packets", ST_OPT },
	{ "TcpExt", "TCPDSACKOldSent", "%" PRIu64 " DSACKs sent for old packets", ST_OPT },
	{ "TcpExt", "TCPDSACKRecv", "%" PRIu64 " DSACKs received", ST_OPT },
	{ "TcpExt", "TCPDSACKUndo", "%" PRIu64 " congestion windows recovered without slow start by DSACK", ST_OPT },
	{ "TcpExt", "TCPFastRetrans", "%" PRIu64 " fast retransmits", ST_OPT },
	{ "TcpExt", "TCPFullUndo", "%" PRIu64 " congestion windows fully recovered without slow start", ST_OPT },
	{ "TcpExt", "TCPHPAcks", "%" PRIu64 " predicted acknowledgments", ST_OPT },
	{ "TcpExt", "TCPHPHits", "%" PRIu64 " packet headers predicted", ST_NUMBER },
	{ "TcpExt", "TCPLossFailures", "%" PRIu64 " timeouts in loss state", ST_OPT },
	{ "TcpExt", "TCPLossUndo", "%" PRIu64 " congestion windows recovered without slow start after partial ack", ST_OPT },
	{ "TcpExt", "TCPMemoryPressures", "TCP ran low on memory %" PRIu64 " times", ST_OPT },
	{ "TcpExt", "TCPPartialUndo", "%" PRIu64 " congestion windows partially recovered using Hoe heuristic", ST_OPT },
	{ "TcpExt", "TCPPureAcks", "%" PRIu64 " acknowledgments not containing data payload received", ST_OPT },
	{ "TcpExt", "TCPRcvCollapsed", "%" PRIu64 " packets collapsed in receive queue due to low socket buffer", ST_OPT },
	{ "TcpExt", "TCPRenoFailures", "%" PRIu64 " timeouts after reno fast retransmit", ST_OPT },
	{ "TcpExt", "TCPRenoRecoveryFail", "%" PRIu64 " classic Reno fast retransmits failed", ST_OPT },
	{ "TcpExt", "TCPRenoRecovery", "%" PRIu64 " times recovered from packet loss due to fast retransmit", ST_OPT },
	{ "TcpExt", "TCPRenoReorder", "Detected reordering %" PRIu64 " times using reno fast retransmit", ST_OPT },
	{ "TcpExt", "TCPSackFailures", "%" PRIu64 " timeouts after SACK recovery", ST_OPT },
	{ "TcpExt", "TCPSackRecoveryFail", "%" PRIu64 " SACK retransmits failed", ST_OPT },
	{ "TcpExt", "TCPSackRecovery", "%" PRIu64 " times recovered from packet loss by selective acknowledgements", ST_OPT },
	{ "TcpExt", "TCPSACKReneging", "%" PRIu64 " bad SACK blocks received", ST_OPT },
	{ "TcpExt", "TCPSACKReorder", "Detected reordering %" PRIu64 " times using SACK", ST_OPT },
	{ "TcpExt", "TCPSlowStartRetrans", "%" PRIu64 " retransmits in slow start", ST_OPT },
	{ "TcpExt", "TCPTimeouts", "%" PRIu64 " other TCP timeouts", ST_OPT },
	{ "TcpExt", "TCPTSReorder", "Detected reordering %" PRIu64 " times using time stamp", ST_OPT },
	{ "TcpExt", "TWKilled", "%" PRIu64 " TCP sockets finished time wait in slow timer", ST_OPT },
	{ "TcpExt", "TW", "%" PRIu64 " TCP sockets finished time wait in fast timer", ST_OPT },
	{ "TcpExt", "TWRecycled", "%" PRIu64 " time wait sockets recycled by time stamp", ST_OPT },
};

static const struct st_entry *st_find(const char *group, const char *name)
{
	for (size_t i = 0; i < sizeof(st_table) / sizeof(st_table[0]); i++)
		if (!strcmp(st_table[i].group, group) &&
		    !strcmp(st_table[i].name, name))
			return &st_table[i];
	return NULL;
}

/* One counter, as printval() does; *state carries the ICMP histogram
 * titles from one line to the next. */
static void st_print(struct kp_out *out, const char *group, const char *name,
		     uint64_t val, int *state)
{
	const struct st_entry *e = st_find(group, name);
	int indent = *state == ST_ICMP_IN || *state == ST_ICMP_OUT ? 8 : 4;
	if (!e) {
		if (val)
			kp_printf(out, "%*s%s: %" PRIu64 "\n", indent, "", name,
				  val);
		return;
	}
	if (e->type == ST_STATIC || e->type == ST_SKIP)
		return;
	if ((e->type == ST_ICMP_IN || e->type == ST_ICMP_OUT) &&
	    *state != e->type)
		kp_printf(out, "%*s%s\n", indent, "",
			  e->type == ST_ICMP_IN ? "ICMP input histogram:"
						: "ICMP output histogram:");
	if (e->type == ST_NUMBER || val) {
		kp_printf(out, "%*s",
			  e->type == ST_ICMP_IN || e->type == ST_ICMP_OUT ? 8
									  : 4,
			  "");
		kp_printf(out, e->text, val);
		kp_puts(out, "\n");
	}
	*state = e->type == ST_OPT ? ST_NUMBER : e->type;
}

static void st_group(struct kp_out *out, const struct net *net,
		     const char *group, int *state)
{
	kp_printf(out, "%s:\n", group);
	for (int i = 0; i < KP_MIB_MAX; i++)
		if (strcmp(kp_mib_info[i].group, group) == 0)
			st_print(out, group, kp_mib_info[i].name,
				 (uint64_t)kp_net_mib_value(net, i), state);
}

/* The IcmpMsg line pair, when some type was counted.  net-tools has no
 * filter for it (it prints with -t or -u too); its entries are unknown
 * to it, indented as the state the Icmp table left (8 after the output
 * histogram, 4 when Icmp was filtered out). */
static void st_icmpmsg(struct kp_out *out, const struct net *net,
		       int *state)
{
	bool any = false;
	for (int t = 0; t < 256; t++)
		any |= net->icmpmsg_in[t] || net->icmpmsg_out[t];
	if (!any)
		return;
	kp_puts(out, "IcmpMsg:\n");
	for (int dir = 0; dir < 2; dir++)
		for (int t = 0; t < 256; t++) {
			uint64_t v = dir ? net->icmpmsg_out[t]
					 : net->icmpmsg_in[t];
			char name[16];

			if (!v)
				continue;
			/* unknown to net-tools: indented as the ICMP
			 * output histogram left it ("        InType8: 3") */
			snprintf(name, sizeof(name), "%sType%d",
				 dir ? "Out" : "In", t);
			st_print(out, "IcmpMsg", name, v, state);
		}
}

/* netstat -s's protocol filter (net-tools' statistics.c): -t Tcp and
 * TcpExt, -u Udp, -w (raw) Ip and Icmp; none of them means all.  Tables
 * net-tools has no sentences for (UdpLite, IpExt) print whatever the
 * filter.  false when an argument is not -s and these letters. */
struct st_filter {
	bool stats, tcp, udp, raw;
};

static bool st_parse(int argc, char **argv, struct st_filter *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1])
			return false;
		for (const char *c = argv[i] + 1; *c; c++) {
			switch (*c) {
			case 's': f->stats = true; break;
			case 't': f->tcp = true; break;
			case 'u': f->udp = true; break;
			case 'w': f->raw = true; break;
			default: return false;
			}
		}
	}
	if (!f->tcp && !f->udp && !f->raw)
		f->tcp = f->udp = f->raw = true;
	return f->stats;
}

static int cmd_netstat(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	struct st_filter f;
	if (!st_parse(argc, argv, &f))
		return kp_cmd_error(s, out, "kpath's netstat only does -s "
					    "(statistics, with -t, -u or -w to "
					    "choose protocols); for sockets "
					    "use 'ss', for devices 'ip -s link'");
	if (!h || !h->net)
		return kp_cmd_error(s, out, "no network stack to count yet");
	const struct {
		const char *name;
		bool shown;
	} groups[] = {
		{ "Ip", f.raw },      { "Icmp", f.raw },   { "Tcp", f.tcp },
		{ "Udp", f.udp },     { "UdpLite", true }, { "TcpExt", f.tcp },
		{ "IpExt", true },
	};
	int state = ST_NUMBER;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		if (groups[g].shown)
			st_group(out, h->net, groups[g].name, &state);
		if (!strcmp(groups[g].name, "Icmp"))
			st_icmpmsg(out, h->net, &state);
	}
	return 0;
}

static void complete_netstat(struct kp_session *s, int argc, char **argv,
			     struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_hosts(s, c);
	kp_complete_add(c, "-s");
	kp_complete_add(c, "-st");
	kp_complete_add(c, "-su");
	kp_complete_add(c, "-sw");
}

const struct kp_cmd kp_cmd_netstat = {
	.name = "netstat",
	.aliases = NULL,
	.usage = "netstat [HOST] -s [-t] [-u] [-w]",
	.summary = "the counters of /proc/net/snmp and netstat in words",
	.help = "netstat -s as net-tools prints it: per protocol, each\n"
		"counter as a sentence ('12 total packets received', '3\n"
		"packets to unknown port received'), the ICMP histograms,\n"
		"and counters it has no sentence for as 'Name: value' when\n"
		"they are not zero.  -t keeps Tcp and TcpExt, -u Udp, -w\n"
		"(raw) Ip and Icmp; IcmpMsg, UdpLite and IpExt always print,\n"
		"as net-tools has no filter for them.  HOST defaults to server.\n"
		"For the same counters by their kernel names, use nstat.\n"
		"\n"
		"Example:\n"
		"  netstat -s\n"
		"  netstat client -su\n",
	.group = "network",
	.flags = 0,
	.complete = complete_netstat,
	.handler = cmd_netstat,
};
