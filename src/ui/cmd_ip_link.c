/*
 * cmd_ip_link.c - `ip link` and `ip -s link` as iproute2 prints them
 * (ip/ipaddress.c print_linkinfo, print_link_flags, print_stats64 in the
 * column-sized layout of iproute2 5.10 and later), and `ip link set DEV
 * up|down`, which runs dev_open/dev_close on the host's CPU.
 *
 * Left out: -d details, -j JSON, -h human-readable numbers, link kinds,
 * alias/altnames; the carrier-change count is not kept (transns 0).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/sched/pkt_sched.h"
#include "sched/host.h"
#include "session.h"

/* print_link_flags: NO-CARRIER first, RUNNING never shown. */
static void link_flags(struct kp_out *out, unsigned int flags)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
		{ IFF_LOOPBACK, "LOOPBACK" },   { IFF_BROADCAST, "BROADCAST" },
		{ IFF_MULTICAST, "MULTICAST" }, { IFF_PROMISC, "PROMISC" },
		{ IFF_UP, "UP" },               { IFF_LOWER_UP, "LOWER_UP" },
	};
	bool first = true;
	kp_puts(out, "<");
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING)) {
		kp_puts(out, "NO-CARRIER");
		first = false;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		kp_printf(out, "%s%s", first ? "" : ",", names[i].name);
		first = false;
	}
	kp_puts(out, "> ");
}

/* size_columns: widen each column to its largest number (iproute2's
 * digit count, which counts 10 as one digit, is kept). */
static void size_columns(unsigned int *cols, const uint64_t *vals, int n)
{
	for (int i = 0; i < n; i++) {
		unsigned int len = 1;
		for (uint64_t powi = 10; powi < vals[i]; len++, powi *= 10)
			if (powi > UINT64_MAX / 10)
				break;
		if (len > cols[i])
			cols[i] = len;
	}
}

static void print_num(struct kp_out *out, unsigned int width, uint64_t v)
{
	kp_printf(out, "%*" PRIu64 " ", (int)width, v);
}

static void link_stats(struct kp_out *out, const struct net_device *dev,
		       int level)
{
	struct rtnl_link_stats64 s;
	unsigned int cols[] = { 10, 7, 6, 7, 7, 7, 10 };
	kp_dev_get_stats(dev, &s);
	const uint64_t rx[] = { s.rx_bytes,	    s.rx_packets,
				s.rx_errors,	    s.rx_dropped,
				s.rx_missed_errors, s.multicast,
				s.rx_compressed };
	const uint64_t rxe[] = { 0,
				 s.rx_length_errors,
				 s.rx_crc_errors,
				 s.rx_frame_errors,
				 s.rx_fifo_errors,
				 s.rx_over_errors,
				 s.rx_nohandler };
	const uint64_t tx[] = { s.tx_bytes,	     s.tx_packets,
				s.tx_errors,	     s.tx_dropped,
				s.tx_carrier_errors, s.collisions,
				s.tx_compressed };
	const uint64_t txe[] = { 0,
				 s.tx_aborted_errors,
				 s.tx_fifo_errors,
				 s.tx_window_errors,
				 s.tx_heartbeat_errors,
				 0 };
	size_columns(cols, rx, 7);
	if (level > 1)
		size_columns(cols, rxe, 7);
	size_columns(cols, tx, 7);
	if (level > 1)
		size_columns(cols, txe, 6);

	kp_printf(out, "    RX: %*s %*s %*s %*s %*s %*s %*s\n",
		  (int)cols[0] - 4, "bytes", (int)cols[1], "packets",
		  (int)cols[2], "errors", (int)cols[3], "dropped",
		  (int)cols[4], "missed", (int)cols[5], "mcast", (int)cols[6],
		  s.rx_compressed ? "compressed" : "");
	kp_puts(out, "    ");
	for (int i = 0; i < 6; i++)
		print_num(out, cols[i], rx[i]);
	if (s.rx_compressed)
		print_num(out, cols[6], s.rx_compressed);
	if (level > 1) {
		/* no padding after "overrun" unless nohandler follows
		 * (iproute2's print_link_stats64) */
		kp_printf(out, "\n    RX errors:%*s %*s %*s %*s %*s %*s",
			  (int)cols[0] - 10, "", (int)cols[1], "length",
			  (int)cols[2], "crc", (int)cols[3], "frame",
			  (int)cols[4], "fifo", (int)cols[5], "overrun");
		if (s.rx_nohandler)
			kp_printf(out, " %*s", (int)cols[6], "nohandler");
		kp_puts(out, "\n");
		kp_printf(out, "%*s", (int)cols[0] + 5, "");
		for (int i = 1; i < 6; i++)
			print_num(out, cols[i], rxe[i]);
		if (s.rx_nohandler)
			print_num(out, cols[6], s.rx_nohandler);
	}
	kp_puts(out, "\n");

	kp_printf(out, "    TX: %*s %*s %*s %*s %*s %*s %*s\n",
		  (int)cols[0] - 4, "bytes", (int)cols[1], "packets",
		  (int)cols[2], "errors", (int)cols[3], "dropped",
		  (int)cols[4], "carrier", (int)cols[5], "collsns",
		  (int)cols[6], s.tx_compressed ? "compressed" : "");
	kp_puts(out, "    ");
	for (int i = 0; i < 6; i++)
		print_num(out, cols[i], tx[i]);
	if (s.tx_compressed)
		print_num(out, cols[6], s.tx_compressed);
	if (level > 1) {
		kp_printf(out, "\n    TX errors:%*s %*s %*s %*s %*s %*s\n",
			  (int)cols[0] - 10, "", (int)cols[1], "aborted",
			  (int)cols[2], "fifo", (int)cols[3], "window",
			  (int)cols[4], "heartbt", (int)cols[5], "transns");
		kp_printf(out, "%*s", (int)cols[0] + 5, "");
		for (int i = 1; i < 6; i++)
			print_num(out, cols[i], txe[i]);
	}
}

static void link_show(struct kp_out *out, const struct net_device *dev,
		      int stats)
{
	char mac[20], brd[20];
	bool lo = dev->flags & IFF_LOOPBACK;
	kp_printf(out, "%d: %s: ", dev->ifindex, dev->name);
	link_flags(out, dev->flags);
	kp_printf(out, "mtu %u qdisc %s state %s mode DEFAULT group default "
		       "qlen %u\n",
		  dev->mtu, kp_link_qdisc_name(dev), kp_link_operstate(dev),
		  dev->tx_queue_len);
	kp_fmt_mac(mac, sizeof(mac), dev->dev_addr);
	kp_fmt_mac(brd, sizeof(brd), dev->broadcast);
	kp_printf(out, "    link/%s %s brd %s", lo ? "loopback" : "ether", mac,
		  brd);
	if (stats) {
		kp_puts(out, "\n");
		link_stats(out, dev, stats);
	}
	kp_puts(out, "\n");
}

static int ip_link_show(struct kp_session *s, struct kp_out *out,
			struct kp_host *h, int argc, char **argv, int stats)
{
	const char *only = NULL;
	struct net_device *dev;
	int i = 0;
	if (i < argc && (!strcmp(argv[i], "show") || !strcmp(argv[i], "list")))
		i++;
	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	if (i < argc)
		only = argv[i++];
	if (i < argc)
		return KP_CMD_USAGE;
	if (!h->net)
		return kp_cmd_error(s, out, "%s has no network stack yet",
				    h->name);
	if (only && !kp_net_cmd_dev(s, out, h, only))
		return -ENODEV;
	list_for_each_entry(dev, &h->net->dev_base_head, dev_list)
		if (!only || !strcmp(dev->name, only))
			link_show(out, dev, stats);
	return 0;
}

/* ---- ip link set ---- */

struct link_set {
	struct net_device *dev;
	bool up;
	long txqueuelen; /* >= 0: `txqueuelen N` instead of up/down */
};

static int link_set_on_cpu(void *info)
{
	struct link_set *ls = info;
	if (ls->txqueuelen >= 0) {
		/* dev_change_tx_queue_len: pfifo_fast reads it per packet */
		ls->dev->tx_queue_len = (unsigned int)ls->txqueuelen;
		return 0;
	}
	return ls->up ? dev_open(ls->dev) : dev_close(ls->dev);
}

static int ip_link_set(struct kp_session *s, struct kp_out *out,
		       struct kp_host *h, int argc, char **argv)
{
	int i = 0;
	if (i < argc && !strcmp(argv[i], "dev"))
		i++;
	long qlen = -1;
	if (argc - i == 3 && (!strcmp(argv[i + 1], "txqueuelen") ||
			      !strcmp(argv[i + 1], "txqlen") ||
			      !strcmp(argv[i + 1], "qlen"))) {
		char *end;
		qlen = strtol(argv[i + 2], &end, 10);
		if (*end || end == argv[i + 2] || qlen < 0 ||
		    qlen > 0xffffffffL)
			return kp_cmd_error(s, out, "Error: argument \"%s\" "
						    "is wrong: Invalid \"txqueuelen\" "
						    "value",
					    argv[i + 2]);
	} else if (argc - i != 2 ||
		   (strcmp(argv[i + 1], "up") && strcmp(argv[i + 1], "down")))
		return kp_cmd_error(s, out, "write 'ip link set DEV up', "
					    "'ip link set DEV down' or 'ip link "
					    "set DEV txqueuelen N'");
	struct net_device *dev = kp_net_cmd_dev(s, out, h, argv[i]);
	if (!dev)
		return -ENODEV;
	struct link_set *ls = calloc(1, sizeof(*ls));
	if (!ls)
		return kp_cmd_error(s, out, "out of memory");
	ls->dev = dev;
	ls->up = !strcmp(argv[i + 1], "up");
	ls->txqueuelen = qlen;
	return kp_net_rtnl_error(s, out,
				 kp_net_cmd_call(s, out, h, link_set_on_cpu, ls, free));
}

static int cmd_ip_link_common(struct kp_session *s, int argc, char **argv,
			      struct kp_out *out, int stats)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	if (!h)
		return -ENOENT;
	if (argc && !strcmp(argv[0], "set")) {
		if (stats)
			return KP_CMD_USAGE;
		return ip_link_set(s, out, h, argc - 1, argv + 1);
	}
	return ip_link_show(s, out, h, argc, argv, stats);
}

static int cmd_ip_link(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	return cmd_ip_link_common(s, argc, argv, out, 0);
}

static int cmd_ip_s_link(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out)
{
	return cmd_ip_link_common(s, argc, argv, out, 1);
}

static int cmd_ip_s_s_link(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out)
{
	return cmd_ip_link_common(s, argc, argv, out, 2);
}

static void complete_ip_link(struct kp_session *s, int argc, char **argv,
			     struct kp_completions *c)
{
	(void)argv;
	if (argc == 0) {
		kp_complete_add(c, "show");
		kp_complete_add(c, "set");
	}
	if (argc == 2 && !strcmp(argv[0], "set")) {
		kp_complete_add(c, "up");
		kp_complete_add(c, "down");
		kp_complete_add(c, "txqueuelen");
	}
	kp_complete_net_devs(s, c);
}

const struct kp_cmd kp_cmd_ip_link = {
	.name = "ip link",
	.aliases = NULL,
	.usage = "ip link [HOST] [show [DEV]] | ip link [HOST] set DEV "
		 "up|down|txqueuelen N",
	.summary = "network devices, their flags and state; bring one up",
	.help = "Lists the host's network devices as 'ip link' does (HOST\n"
		"defaults to server): index, name, flags (<BROADCAST,\n"
		"MULTICAST,UP,LOWER_UP>; NO-CARRIER when up without a link),\n"
		"mtu, qdisc, operational state, txqueuelen, then the MAC\n"
		"address.  'ip link set DEV up' runs dev_open on the host's\n"
		"CPU (the driver's ndo_open: rings allocated, interrupts\n"
		"requested, NAPI enabled) and runs the world until it is\n"
		"done; 'down' runs dev_close.  'ip link set DEV txqueuelen\n"
		"N' sets the qdisc limit (pfifo_fast: N per band).  'ip -s\n"
		"link' adds counters.\n"
		"\n"
		"Example:\n"
		"  ip link\n"
		"  ip link set eth0 down\n"
		"  ip link show eth0\n"
		"  ip link set eth0 up\n"
		"  ip link set eth0 txqueuelen 100\n",
	.group = "network",
	.flags = 0,
	.complete = complete_ip_link,
	.handler = cmd_ip_link,
};

const struct kp_cmd kp_cmd_ip_s_link = {
	.name = "ip -s link",
	.aliases = NULL,
	.usage = "ip -s link [HOST] [show [DEV]]",
	.summary = "devices with their RX/TX packet, error and drop counters",
	.help = "'ip link' plus the device counters, in iproute2's columns:\n"
		"\n"
		"  RX: bytes packets errors dropped missed mcast\n"
		"  TX: bytes packets errors dropped carrier collsns\n"
		"\n"
		"RX dropped counts packets the stack dropped (backlog full,\n"
		"no protocol handler); missed counts frames the NIC dropped\n"
		"because no RX descriptor was free (rx_missed_errors: the\n"
		"ring overflowed).  'ip -s -s link' adds the error details:\n"
		"length, crc, frame, fifo, overrun; aborted, fifo, window,\n"
		"heartbeat.\n"
		"\n"
		"Example:\n"
		"  ip -s link show eth0\n"
		"  ip -s -s link client eth0\n",
	.group = "network",
	.flags = 0,
	.complete = complete_ip_link,
	.handler = cmd_ip_s_link,
};

const struct kp_cmd kp_cmd_ip_s_s_link = {
	.name = "ip -s -s link",
	.aliases = NULL,
	.usage = "ip -s -s link [HOST] [show [DEV]]",
	.summary = "devices with their counters and the error breakdown",
	.help = "'ip -s link' with two more lines per direction: RX errors\n"
		"(length, crc, frame, fifo, overrun, nohandler) and TX errors\n"
		"(aborted, fifo, window, heartbeat, carrier transitions).\n"
		"\n"
		"Example:\n"
		"  ip -s -s link show eth0\n",
	.group = "network",
	.flags = 0,
	.complete = complete_ip_link,
	.handler = cmd_ip_s_s_link,
};
