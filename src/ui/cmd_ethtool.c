/*
 * cmd_ethtool.c - `ethtool` as a Linux user runs it on a NIC: plain
 * `ethtool DEV` the link settings (ethtool_link.c), -i driver info, -S
 * statistics, -g/-G rings, -l/-L channels, -c/-C coalescing,
 * -k/-K offloads, -x the RSS indirection table.  Output follows ethtool
 * 5.x (the netlink front end's "n/a" for what the driver does not
 * report).  Reads call the driver's ethtool_ops get_* straight from the
 * UI; changes (-G -L -C -K) run the driver's set_* on the host's CPU -
 * they reallocate rings and reprogram the NIC - and the world runs until
 * they are done.
 *
 * Left out: -s (changing speed or duplex), -X, -n/-N flow rules,
 * -A pause, -T timestamping, --json.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "ethtool_link.h"
#include "format_net.h"
#include "net/core/netdevice.h"
#include "sched/host.h"
#include "session.h"

static void show_u32(struct kp_out *out, const char *label, uint32_t v)
{
	if (v)
		kp_printf(out, "%s%u\n", label, v);
	else
		kp_printf(out, "%sn/a\n", label);
}

static int no_op(struct kp_session *s, struct kp_out *out,
		 struct net_device *dev, const char *what)
{
	return kp_cmd_error(s, out, "Cannot get %s: Operation not supported "
				    "(%s's driver has no such ethtool_ops)",
			    what, dev->name);
}

/* ---- reads ---- */

static int eth_info(struct kp_session *s, struct kp_out *out,
		    struct net_device *dev)
{
	struct ethtool_drvinfo d;
	if (!dev->ethtool_ops || !dev->ethtool_ops->get_drvinfo)
		return no_op(s, out, dev, "driver information");
	memset(&d, 0, sizeof(d));
	dev->ethtool_ops->get_drvinfo(dev, &d);
	kp_printf(out, "driver: %.32s\nversion: %.32s\nfirmware-version: "
		       "%.32s\nexpansion-rom-version: \nbus-info: %.32s\n"
		       "supports-statistics: %s\nsupports-test: no\n"
		       "supports-eeprom-access: no\n"
		       "supports-register-dump: no\n"
		       "supports-priv-flags: no\n",
		  d.driver, d.version, d.fw_version, d.bus_info,
		  dev->ethtool_ops->get_ethtool_stats ? "yes" : "no");
	return 0;
}

static int eth_stats(struct kp_session *s, struct kp_out *out,
		     struct net_device *dev)
{
	char *names;
	uint64_t *vals;
	int n = kp_ethtool_stats(dev, &names, &vals);
	if (!n)
		return kp_cmd_error(s, out, "no stats available (%s's driver "
					    "keeps none)",
				    dev->name);
	kp_puts(out, "NIC statistics:\n");
	for (int i = 0; i < n; i++)
		kp_printf(out, "     %.*s: %" PRIu64 "\n", ETH_GSTRING_LEN,
			  names + i * ETH_GSTRING_LEN, vals[i]);
	free(names);
	free(vals);
	return 0;
}

static int eth_rings(struct kp_session *s, struct kp_out *out,
		     struct net_device *dev)
{
	struct ethtool_ringparam r;
	if (!dev->ethtool_ops || !dev->ethtool_ops->get_ringparam)
		return no_op(s, out, dev, "device ring settings");
	memset(&r, 0, sizeof(r));
	dev->ethtool_ops->get_ringparam(dev, &r);
	kp_printf(out, "Ring parameters for %s:\nPre-set maximums:\n",
		  dev->name);
	show_u32(out, "RX:\t\t\t", r.rx_max_pending);
	show_u32(out, "RX Mini:\t\t", r.rx_mini_max_pending);
	show_u32(out, "RX Jumbo:\t\t", r.rx_jumbo_max_pending);
	show_u32(out, "TX:\t\t\t", r.tx_max_pending);
	kp_puts(out, "Current hardware settings:\n");
	show_u32(out, "RX:\t\t\t", r.rx_pending);
	show_u32(out, "RX Mini:\t\t", r.rx_mini_pending);
	show_u32(out, "RX Jumbo:\t\t", r.rx_jumbo_pending);
	show_u32(out, "TX:\t\t\t", r.tx_pending);
	kp_puts(out, "\n");
	return 0;
}

static int eth_channels(struct kp_session *s, struct kp_out *out,
			struct net_device *dev)
{
	struct ethtool_channels c;
	if (!dev->ethtool_ops || !dev->ethtool_ops->get_channels)
		return no_op(s, out, dev, "device channel parameters");
	memset(&c, 0, sizeof(c));
	dev->ethtool_ops->get_channels(dev, &c);
	kp_printf(out, "Channel parameters for %s:\nPre-set maximums:\n",
		  dev->name);
	show_u32(out, "RX:\t\t", c.max_rx);
	show_u32(out, "TX:\t\t", c.max_tx);
	show_u32(out, "Other:\t\t", c.max_other);
	show_u32(out, "Combined:\t", c.max_combined);
	kp_puts(out, "Current hardware settings:\n");
	show_u32(out, "RX:\t\t", c.rx_count);
	show_u32(out, "TX:\t\t", c.tx_count);
	show_u32(out, "Other:\t\t", c.other_count);
	show_u32(out, "Combined:\t", c.combined_count);
	kp_puts(out, "\n");
	return 0;
}

static int eth_coalesce(struct kp_session *s, struct kp_out *out,
			struct net_device *dev)
{
	struct ethtool_coalesce c;
	if (!dev->ethtool_ops || !dev->ethtool_ops->get_coalesce)
		return no_op(s, out, dev, "device coalesce settings");
	memset(&c, 0, sizeof(c));
	dev->ethtool_ops->get_coalesce(dev, &c);
	kp_printf(out, "Coalesce parameters for %s:\n", dev->name);
	kp_printf(out, "Adaptive RX: %s  TX: %s\n",
		  c.use_adaptive_rx_coalesce ? "on" : "off",
		  c.use_adaptive_tx_coalesce ? "on" : "off");
	kp_puts(out, "stats-block-usecs: n/a\nsample-interval: n/a\n"
		     "pkt-rate-low: n/a\npkt-rate-high: n/a\n\n");
	kp_printf(out, "rx-usecs: %u\nrx-frames: %u\n", c.rx_coalesce_usecs,
		  c.rx_max_coalesced_frames);
	kp_puts(out, "rx-usecs-irq: n/a\nrx-frames-irq: n/a\n\n");
	kp_printf(out, "tx-usecs: %u\ntx-frames: %u\n", c.tx_coalesce_usecs,
		  c.tx_max_coalesced_frames);
	kp_puts(out, "tx-usecs-irq: n/a\ntx-frames-irq: n/a\n\n"
		     "rx-usecs-low: n/a\nrx-frame-low: n/a\n"
		     "tx-usecs-low: n/a\ntx-frame-low: n/a\n\n"
		     "rx-usecs-high: n/a\nrx-frame-high: n/a\n"
		     "tx-usecs-high: n/a\ntx-frame-high: n/a\n\n"
		     "CQE mode RX: n/a  TX: n/a\n\n");
	return 0;
}

static const struct feature {
	const char *name;
	uint32_t bit;
	int child; /* printed indented under the one before */
} features[] = {
	{ "rx-checksumming", NETIF_F_RXCSUM, 0 },
	{ "tx-checksumming", NETIF_F_IP_CSUM | NETIF_F_HW_CSUM, 0 },
	{ "tx-checksum-ipv4", NETIF_F_IP_CSUM, 1 },
	{ "tx-checksum-ip-generic", NETIF_F_HW_CSUM, 1 },
	{ "scatter-gather", NETIF_F_SG, 0 },
	{ "tx-scatter-gather", NETIF_F_SG, 1 },
	{ "tcp-segmentation-offload", NETIF_F_TSO, 0 },
	{ "tx-tcp-segmentation", NETIF_F_TSO, 1 },
	{ "generic-segmentation-offload", NETIF_F_GSO, 0 },
	{ "generic-receive-offload", NETIF_F_GRO, 0 },
	{ "large-receive-offload", NETIF_F_LRO, 0 },
	{ "receive-hashing", NETIF_F_RXHASH, 0 },
	{ "loopback", NETIF_F_LOOPBACK, 0 },
};

#define NR_FEATURES (sizeof(features) / sizeof(features[0]))

static int eth_features(struct net_device *dev, struct kp_out *out)
{
	kp_printf(out, "Features for %s:\n", dev->name);
	for (size_t i = 0; i < NR_FEATURES; i++) {
		const struct feature *f = &features[i];
		kp_printf(out, "%s%s: %s%s\n", f->child ? "\t" : "", f->name,
			  dev->features & f->bit ? "on" : "off",
			  dev->hw_features & f->bit ? "" : " [fixed]");
	}
	return 0;
}

static int eth_rss(struct kp_session *s, struct kp_out *out,
		   struct net_device *dev)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	if (!ops || !ops->get_rxfh_indir_size || !ops->get_rxfh)
		return no_op(s, out, dev, "RX flow hash indirection table");
	uint32_t size = ops->get_rxfh_indir_size(dev);
	uint32_t *indir = calloc(size ? size : 1, sizeof(*indir));
	if (!indir)
		return kp_cmd_error(s, out, "out of memory");
	ops->get_rxfh(dev, indir);
	kp_printf(out, "RX flow hash indirection table for %s with %u RX "
		       "ring(s):\n",
		  dev->name, dev->real_num_rx_queues);
	for (uint32_t i = 0; i < size; i++) {
		if (i % 8 == 0)
			kp_printf(out, "%5u: ", i);
		kp_printf(out, " %5u", indir[i]);
		if (i % 8 == 7 || i == size - 1)
			kp_puts(out, "\n");
	}
	kp_puts(out, "RSS hash key:\nOperation not supported\n"
		     "RSS hash function:\n    toeplitz: on\n    xor: off\n"
		     "    crc32: off\n");
	free(indir);
	return 0;
}

/* ---- changes, on the host's CPU ---- */

struct eth_change {
	struct net_device *dev;
	char op; /* G L C K */
	struct ethtool_ringparam ring;
	struct ethtool_channels ch;
	struct ethtool_coalesce co;
	uint32_t features;
};

static int eth_change_on_cpu(void *info)
{
	struct eth_change *c = info;
	const struct ethtool_ops *ops = c->dev->ethtool_ops;
	switch (c->op) {
	case 'G': return ops->set_ringparam(c->dev, &c->ring);
	case 'L': return ops->set_channels(c->dev, &c->ch);
	case 'C': return ops->set_coalesce(c->dev, &c->co);
	default:
		/* netdev_update_features: GRO is read per packet */
		c->dev->features = c->features;
		return 0;
	}
}

/* Parse "NAME VALUE" pairs into @c; -1 after an error. */
static int parse_u32(struct kp_session *s, struct kp_out *out,
		     const char *name, const char *text, uint32_t *v)
{
	char *end;
	unsigned long n = strtoul(text, &end, 10);
	if (end == text || *end || n > UINT32_MAX) {
		kp_cmd_error(s, out, "ethtool: bad %s value '%s': write a "
				     "number",
			     name, text);
		return -1;
	}
	*v = (uint32_t)n;
	return 0;
}

static int parse_onoff(struct kp_session *s, struct kp_out *out,
		       const char *name, const char *text, uint32_t *v)
{
	if (!strcmp(text, "on") || !strcmp(text, "off")) {
		*v = !strcmp(text, "on");
		return 0;
	}
	kp_cmd_error(s, out, "ethtool: %s takes on or off, not '%s'", name,
		     text);
	return -1;
}

static int eth_set(struct kp_session *s, struct kp_out *out,
		   struct kp_host *h, struct net_device *dev, char op,
		   int argc, char **argv)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct eth_change *c = calloc(1, sizeof(*c));
	int bad = 0;
	if (!c)
		return kp_cmd_error(s, out, "out of memory");
	c->dev = dev;
	c->op = op;
	c->features = dev->features;
	if (argc == 0 || argc % 2) {
		free(c);
		return kp_cmd_error(s, out, "ethtool -%c %s: give NAME VALUE "
					    "pairs; see 'help ethtool'",
				    op, dev->name);
	}
	if ((op == 'G' && (!ops || !ops->set_ringparam || !ops->get_ringparam)) ||
	    (op == 'L' && (!ops || !ops->set_channels || !ops->get_channels)) ||
	    (op == 'C' && (!ops || !ops->set_coalesce || !ops->get_coalesce))) {
		free(c);
		return kp_cmd_error(s, out, "Cannot set: Operation not "
					    "supported by %s's driver",
				    dev->name);
	}
	if (op == 'G')
		ops->get_ringparam(dev, &c->ring);
	else if (op == 'L')
		ops->get_channels(dev, &c->ch);
	else if (op == 'C')
		ops->get_coalesce(dev, &c->co);
	for (int i = 0; i < argc && !bad; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		uint32_t *field = NULL, on;
		bool flag = false;
		if (op == 'G' && !strcmp(k, "rx"))
			field = &c->ring.rx_pending;
		else if (op == 'G' && !strcmp(k, "tx"))
			field = &c->ring.tx_pending;
		else if (op == 'L' && !strcmp(k, "combined"))
			field = &c->ch.combined_count;
		else if (op == 'L' && !strcmp(k, "rx"))
			field = &c->ch.rx_count;
		else if (op == 'L' && !strcmp(k, "tx"))
			field = &c->ch.tx_count;
		else if (op == 'L' && !strcmp(k, "other"))
			field = &c->ch.other_count;
		else if (op == 'C' && !strcmp(k, "rx-usecs"))
			field = &c->co.rx_coalesce_usecs;
		else if (op == 'C' && !strcmp(k, "rx-frames"))
			field = &c->co.rx_max_coalesced_frames;
		else if (op == 'C' && !strcmp(k, "tx-usecs"))
			field = &c->co.tx_coalesce_usecs;
		else if (op == 'C' && !strcmp(k, "tx-frames"))
			field = &c->co.tx_max_coalesced_frames;
		else if (op == 'C' && !strcmp(k, "adaptive-rx"))
			field = &c->co.use_adaptive_rx_coalesce, flag = true;
		else if (op == 'C' && !strcmp(k, "adaptive-tx"))
			field = &c->co.use_adaptive_tx_coalesce, flag = true;
		if (op == 'K') {
			size_t f;
			for (f = 0; f < NR_FEATURES; f++)
				if (!strcmp(features[f].name, k) ||
				    (!strcmp(k, "gro") &&
				     features[f].bit == NETIF_F_GRO) ||
				    (!strcmp(k, "rx") &&
				     features[f].bit == NETIF_F_RXCSUM) ||
				    (!strcmp(k, "lro") &&
				     features[f].bit == NETIF_F_LRO) ||
				    (!strcmp(k, "rxhash") &&
				     features[f].bit == NETIF_F_RXHASH))
					break;
			if (f == NR_FEATURES) {
				bad = kp_cmd_error(s, out, "ethtool: unknown "
							   "feature '%s'; see "
							   "'ethtool -k %s'",
						   k, dev->name);
				break;
			}
			if (parse_onoff(s, out, k, v, &on) < 0) {
				bad = -EINVAL;
				break;
			}
			if (!(dev->hw_features & features[f].bit)) {
				bad = kp_cmd_error(s, out, "Could not change "
							   "any device "
							   "features (%s is "
							   "[fixed])",
						   features[f].name);
				break;
			}
			if (on)
				c->features |= features[f].bit;
			else
				c->features &= ~features[f].bit;
			continue;
		}
		if (!field) {
			bad = kp_cmd_error(s, out, "ethtool -%c: unknown "
						   "parameter '%s'; see 'help "
						   "ethtool'",
					   op, k);
			break;
		}
		if ((flag ? parse_onoff(s, out, k, v, field)
			  : parse_u32(s, out, k, v, field)) < 0)
			bad = -EINVAL;
	}
	if (!bad && op == 'G') {
		struct ethtool_ringparam max;
		ops->get_ringparam(dev, &max);
		if (c->ring.rx_pending > max.rx_max_pending ||
		    c->ring.tx_pending > max.tx_max_pending)
			bad = kp_cmd_error(s, out, "Cannot set ring "
						   "parameters: Invalid "
						   "argument (at most rx %u tx "
						   "%u)",
					   max.rx_max_pending,
					   max.tx_max_pending);
	}
	if (bad) {
		free(c);
		return bad;
	}
	int ret = kp_net_cmd_call(s, out, h, eth_change_on_cpu, c, free);
	if (ret == -EINPROGRESS)
		return 0;
	if (ret < 0)
		return kp_cmd_error(s, out, "Cannot set %s parameters: %s",
				    op == 'G'   ? "ring"
				    : op == 'L' ? "channel"
				    : op == 'C' ? "coalesce"
						: "device feature",
				    strerror(-ret));
	return 0;
}

static int cmd_ethtool(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	if (argc == 1 && argv[0][0] != '-') {
		/* plain `ethtool DEV`: the link settings */
		struct net_device *d = kp_net_cmd_dev(s, out, h, argv[0]);
		if (!d)
			return -ENODEV;
		kp_ethtool_link_settings(out, d);
		return 0;
	}
	if (argc < 2 || argv[0][0] != '-' || strlen(argv[0]) != 2)
		return KP_CMD_USAGE;
	struct net_device *dev = kp_net_cmd_dev(s, out, h, argv[1]);
	if (!dev)
		return -ENODEV;
	char op = argv[0][1];
	if (strchr("iSglckx", op) && argc != 2)
		return KP_CMD_USAGE;
	switch (op) {
	case 'i': return eth_info(s, out, dev);
	case 'S': return eth_stats(s, out, dev);
	case 'g': return eth_rings(s, out, dev);
	case 'l': return eth_channels(s, out, dev);
	case 'c': return eth_coalesce(s, out, dev);
	case 'k': return eth_features(dev, out);
	case 'x': return eth_rss(s, out, dev);
	case 'G': case 'L': case 'C': case 'K':
		return eth_set(s, out, h, dev, op, argc - 2, argv + 2);
	default:
		return kp_cmd_error(s, out, "ethtool: unknown option %s; kpath "
					    "has -i -S -g -G -l -L -c -C -k "
					    "-K -x",
				    argv[0]);
	}
}

static void complete_ethtool(struct kp_session *s, int argc, char **argv,
			     struct kp_completions *c)
{
	static const char *const opts[] = { "-i", "-S", "-g", "-G", "-l",
					    "-L", "-c", "-C", "-k", "-K",
					    "-x" };
	(void)argv;
	if (argc == 0)
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			kp_complete_add(c, opts[i]);
	else if (argc == 1)
		kp_complete_net_devs(s, c);
	else if (!strcmp(argv[0], "-G")) {
		kp_complete_add(c, "rx");
		kp_complete_add(c, "tx");
	} else if (!strcmp(argv[0], "-L")) {
		kp_complete_add(c, "combined");
	} else if (!strcmp(argv[0], "-C")) {
		kp_complete_add(c, "rx-usecs");
		kp_complete_add(c, "adaptive-rx");
	} else if (!strcmp(argv[0], "-K")) {
		for (size_t i = 0; i < NR_FEATURES; i++)
			kp_complete_add(c, features[i].name);
		kp_complete_add(c, "gro");
		kp_complete_add(c, "on");
		kp_complete_add(c, "off");
	}
}

const struct kp_cmd kp_cmd_ethtool = {
	.name = "ethtool",
	.aliases = NULL,
	.usage = "ethtool [HOST] [-i|-S|-g|-l|-c|-k|-x] DEV | -G|-L|-C|-K DEV "
		 "NAME VALUE...",
	.summary = "NIC driver statistics, rings, channels, coalescing, offloads",
	.help = "The NIC as its driver reports it (HOST defaults to server):\n"
		"\n"
		"  DEV      the link: modes, speed, duplex, autonegotiation,\n"
		"           wake-on, message level, link detected\n"
		"  -i DEV   driver, version, bus-info\n"
		"  -S DEV   driver statistics: rx_packets, rx_missed_errors\n"
		"           (frames lost because the RX ring was full),\n"
		"           per-queue rx_queue_N_packets...\n"
		"  -g DEV   RX/TX ring sizes: maximum and current\n"
		"  -G DEV rx N tx N          resize the rings\n"
		"  -l DEV   channels (queues, one MSI-X vector each)\n"
		"  -L DEV combined N         use N queue pairs\n"
		"  -c DEV   interrupt coalescing\n"
		"  -C DEV rx-usecs N | rx-frames N | adaptive-rx on|off\n"
		"  -k DEV   offloads; -K DEV gro on|off (generic-receive-\n"
		"           offload ...); [fixed] ones cannot change\n"
		"  -x DEV   the RSS indirection table: hash bucket -> queue\n"
		"\n"
		"Changes run the driver's set_* operation on the host's CPU\n"
		"(it stops the interface, reallocates the rings and starts\n"
		"it again, as igb does) and the world runs until it is done.\n"
		"\n"
		"Example:\n"
		"  ethtool -S eth0\n"
		"  ethtool -g eth0\n"
		"  ethtool -G eth0 rx 64\n"
		"  ethtool -K eth0 gro off\n",
	.group = "network",
	.flags = 0,
	.complete = complete_ethtool,
	.handler = cmd_ethtool,
};
