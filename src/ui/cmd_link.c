/*
 * cmd_link.c - `link [show]` and `link set`: the Ethernet wires between
 * the hosts (src/hw/link.c) and their properties - bandwidth, one-way
 * propagation delay, frame loss - in the words of tc-netem ("loss 1%",
 * "rate 100mbit", "delay 1ms").  Not a Linux tool: the wire is outside
 * every host, so this is the lab's patch panel.
 *
 * A change applies from the UI directly: the link model reads its
 * configuration for each frame it sends (kp_link_xmit), so the next frame
 * put on the wire sees it; frames already on the wire keep their arrival
 * time.  Loss draws from the world's PRNG, so a run stays deterministic.
 *
 * Left out: per-direction settings, jitter, corruption, reordering.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "complete.h"
#include "hw/link.h"
#include "hw/nic.h"
#include "sched/host.h"
#include "session.h"

static const char *port_host(const struct kp_link *l, int side)
{
	const struct kp_nic *n = l->port[side];
	return n && n->host ? n->host->name : "-";
}

static const char *port_if(const struct kp_link *l, int side)
{
	const struct kp_nic *n = l->port[side];
	return n && n->ifname[0] ? n->ifname : "-";
}

/* "1Gbit", "100Mbit", "1500Kbit", "64bit" (tc's style) */
static void fmt_rate(char *buf, size_t len, uint64_t bps)
{
	if (bps >= 1000000000ull && bps % 1000000000ull == 0)
		snprintf(buf, len, "%" PRIu64 "Gbit", (uint64_t)(bps / 1000000000ull));
	else if (bps >= 1000000ull && bps % 1000000ull == 0)
		snprintf(buf, len, "%" PRIu64 "Mbit", (uint64_t)(bps / 1000000ull));
	else if (bps >= 1000ull && bps % 1000ull == 0)
		snprintf(buf, len, "%" PRIu64 "Kbit", (uint64_t)(bps / 1000ull));
	else
		snprintf(buf, len, "%" PRIu64 "bit", bps);
}

static void fmt_delay(char *buf, size_t len, uint64_t ns)
{
	if (ns >= 1000000ull && ns % 1000000ull == 0)
		snprintf(buf, len, "%" PRIu64 "ms", (uint64_t)(ns / 1000000ull));
	else if (ns >= 1000ull && ns % 1000ull == 0)
		snprintf(buf, len, "%" PRIu64 "us", (uint64_t)(ns / 1000ull));
	else
		snprintf(buf, len, "%" PRIu64 "ns", ns);
}

static void show_link(struct kp_out *out, const struct kp_link *l, int i)
{
	char rate[32], delay[32];
	fmt_rate(rate, sizeof(rate), l->cfg.bandwidth_bps);
	fmt_delay(delay, sizeof(delay), l->cfg.latency_ns);
	kp_printf(out, "%d: %s-%s (%s:%s <-> %s:%s) rate %s delay %s "
		       "loss %g%%\n",
		  i, port_host(l, 0), port_host(l, 1), port_host(l, 0),
		  port_if(l, 0), port_host(l, 1), port_if(l, 1), rate, delay,
		  l->cfg.loss * 100.0);
	for (int side = 0; side < 2; side++) {
		const struct kp_link_dir *d = &l->dir[side];
		kp_printf(out, "    %s > %s: frames %" PRIu64 " bytes %" PRIu64
			       " lost %" PRIu64 "\n",
			  port_host(l, side), port_host(l, !side), d->frames,
			  d->bytes, d->lost);
	}
}

/* A link named "a-b" (either order), by one host's name when only one
 * link reaches it, or by its number. */
static struct kp_link *find_link(struct kp_world *w, const char *name)
{
	struct kp_link *found = NULL;
	int hits = 0;
	char *end;
	long idx = strtol(name, &end, 10);
	if (end != name && !*end)
		return idx >= 0 && idx < w->nr_links ? w->links[idx] : NULL;
	for (int i = 0; i < w->nr_links; i++) {
		struct kp_link *l = w->links[i];
		const char *a = port_host(l, 0), *b = port_host(l, 1);
		size_t la = strlen(a), lb = strlen(b);
		bool pair = (strncmp(name, a, la) == 0 && name[la] == '-' &&
			     strcmp(name + la + 1, b) == 0) ||
			    (strncmp(name, b, lb) == 0 && name[lb] == '-' &&
			     strcmp(name + lb + 1, a) == 0);
		if (pair)
			return l;
		if (strcmp(name, a) == 0 || strcmp(name, b) == 0) {
			found = l;
			hits++;
		}
	}
	return hits == 1 ? found : NULL;
}

/* tc's rate units: bit kbit mbit gbit (SI), bps kbps mbps gbps (bytes). */
static int parse_rate(const char *s, uint64_t *bps)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v <= 0)
		return -EINVAL;
	static const struct { const char *unit; double mul; } units[] = {
		{ "", 1 }, { "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 },
		{ "gbit", 1e9 }, { "bps", 8 }, { "kbps", 8e3 },
		{ "mbps", 8e6 }, { "gbps", 8e9 },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit) == 0) {
			double r = v * units[i].mul;
			if (r < 1000 || r > 1e12)
				return -ERANGE;
			*bps = (uint64_t)r;
			return 0;
		}
	}
	return -EINVAL;
}

/* tc's time units: s ms us ns; a bare number is microseconds. */
static int parse_delay(const char *s, uint64_t *ns)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -EINVAL;
	static const struct { const char *unit; double mul; } units[] = {
		{ "", 1e3 }, { "us", 1e3 }, { "usec", 1e3 }, { "ms", 1e6 },
		{ "msec", 1e6 }, { "s", 1e9 }, { "sec", 1e9 }, { "ns", 1 },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double r = v * units[i].mul;
			if (r > 10e9)
				return -ERANGE;
			*ns = (uint64_t)r;
			return 0;
		}
	}
	return -EINVAL;
}

/* "1%", "0.5%", or a bare percentage as tc-netem takes it. */
static int parse_loss(const char *s, double *loss)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "%") != 0) || v < 0 || v > 100)
		return -EINVAL;
	*loss = v / 100.0;
	return 0;
}

static int cmd_link_show(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out)
{
	struct kp_world *w = s->world;
	if (argc > 1)
		return KP_CMD_USAGE;
	if (!w->nr_links) {
		kp_puts(out, "No links: every host is alone on its wire.\n");
		return 0;
	}
	if (argc == 1) {
		struct kp_link *l = find_link(w, argv[0]);
		if (!l)
			return kp_cmd_error(s, out, "No link '%s' ('link show' "
						    "lists them)",
					    argv[0]);
		for (int i = 0; i < w->nr_links; i++)
			if (w->links[i] == l)
				show_link(out, l, i);
		return 0;
	}
	for (int i = 0; i < w->nr_links; i++)
		show_link(out, w->links[i], i);
	return 0;
}

static int cmd_link(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	if (argc >= 1 && strcmp(argv[0], "show") == 0)
		return cmd_link_show(s, argc - 1, argv + 1, out);
	if (argc == 0)
		return cmd_link_show(s, 0, argv, out);
	if (strcmp(argv[0], "set") != 0)
		return KP_CMD_USAGE;
	struct kp_world *w = s->world;
	int i = 1;
	struct kp_link *l = NULL;
	if (i < argc && strcmp(argv[i], "loss") != 0 &&
	    strcmp(argv[i], "rate") != 0 && strcmp(argv[i], "delay") != 0) {
		l = find_link(w, argv[i]);
		if (!l)
			return kp_cmd_error(s, out, "No link '%s' ('link show' "
						    "lists them)",
					    argv[i]);
		i++;
	} else if (w->nr_links == 1) {
		l = w->links[0];
	} else {
		return kp_cmd_error(s, out, "%s: name the link ('link show' "
					    "lists them)",
				    w->nr_links ? "several links" : "no links");
	}
	if (i == argc || (argc - i) % 2)
		return KP_CMD_USAGE;
	/* parse all, then apply: a bad word changes nothing */
	struct kp_link_config cfg = l->cfg;
	for (; i < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		int err;
		if (strcmp(k, "loss") == 0)
			err = parse_loss(v, &cfg.loss);
		else if (strcmp(k, "rate") == 0)
			err = parse_rate(v, &cfg.bandwidth_bps);
		else if (strcmp(k, "delay") == 0)
			err = parse_delay(v, &cfg.latency_ns);
		else
			return kp_cmd_error(s, out, "Unknown property '%s' "
						    "(loss, rate, delay)",
					    k);
		if (err)
			return kp_cmd_error(s, out, "Bad %s '%s' (e.g. loss 1%%"
						    ", rate 100mbit, delay "
						    "1ms)",
					    k, v);
	}
	l->cfg = cfg;
	for (int n = 0; n < w->nr_links; n++)
		if (w->links[n] == l)
			show_link(out, l, n);
	return 0;
}

static void complete_link(struct kp_session *s, int argc, char **argv,
			  struct kp_completions *c)
{
	(void)argv;
	if (argc == 0) {
		kp_complete_add(c, "show");
		kp_complete_add(c, "set");
	} else if (argc >= 1) {
		kp_complete_hosts(s, c);
		kp_complete_add(c, "loss");
		kp_complete_add(c, "rate");
		kp_complete_add(c, "delay");
	}
}

const struct kp_cmd kp_cmd_link = {
	.name = "link",
	.aliases = NULL,
	.usage = "link [show [LINK]] | link set [LINK] {loss P% | rate R | "
		 "delay D}...",
	.summary = "show or change the wires between hosts",
	.help = "Shows the Ethernet wires between the hosts' NICs - rate,\n"
		"one-way delay, loss, and per direction the frames sent and\n"
		"lost - or changes them, in tc-netem's words.  LINK is\n"
		"'client-server' (either order), one host's name if only one\n"
		"wire reaches it, or the number 'link show' prints; it may be\n"
		"left out when there is one link.  A change applies to the\n"
		"next frame put on the wire; lost frames are drawn from the\n"
		"world's PRNG (deterministic for a seed).\n"
		"Rates: bit kbit mbit gbit, or bps kbps mbps gbps (bytes).\n"
		"Delays: s ms us ns (a bare number is us).\n"
		"\n"
		"Example:\n"
		"  link\n"
		"  link set client-server loss 1%\n"
		"  link set rate 100mbit delay 1ms\n",
	.group = "network",
	.flags = 0,
	.complete = complete_link,
	.handler = cmd_link,
};
