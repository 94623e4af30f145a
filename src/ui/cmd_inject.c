/*
 * cmd_inject.c - `inject`: put frames on the wire of a host's NIC, as if
 * another machine had sent them.  The frames are real bytes built by
 * frame_build.c (UDP, ICMP echo, or raw hex), addressed to the NIC's MAC
 * from a fixed "wire" MAC, handed to the hw layer's kp_wire_inject at
 * now + i * gap.  The command only queues them: `continue` or `step`
 * lets the NIC receive them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "duration.h"
#include "format_net.h"
#include "frame_build.h"
#include "hw/hw.h"
#include "net/core/netdevice.h"
#include "sched/host.h"
#include "session.h"

/* The sender's MAC: a locally administered address. */
static const uint8_t wire_mac[6] = { 0x02, 0x4b, 0x50, 0x00, 0x00, 0x01 };

#define INJECT_MAX_COUNT 100000

struct inject_opts {
	struct kp_frame_spec spec;
	uint8_t payload[KP_FRAME_MAX];
	long count;
	uint64_t gap;
	bool gap_set;
	uint8_t raw[KP_FRAME_MAX];
	int raw_len;
};

static int parse_long(struct kp_session *s, struct kp_out *out,
		      const char *what, const char *text, long min, long max,
		      long *v)
{
	char *end;
	long n = strtol(text, &end, 10);
	if (end == text || *end || n < min || n > max)
		return kp_cmd_error(s, out, "inject: %s must be a number from "
					    "%ld to %ld, not '%s'",
				    what, min, max, text);
	*v = n;
	return 0;
}

static int parse_hex(struct inject_opts *o, const char *text)
{
	int n = 0, half = -1;
	for (const char *p = text; *p; p++) {
		int v;
		if (*p == ':' || *p == ' ' || *p == '-')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else
			return -1;
		if (half < 0) {
			half = v;
			continue;
		}
		if (n == KP_FRAME_MAX)
			return -1;
		o->raw[n++] = (uint8_t)(half << 4 | v);
		half = -1;
	}
	if (half >= 0 || n == 0)
		return -1;
	o->raw_len = n;
	return 0;
}

/* The options after the addresses: len, data, count, rate, gap, ttl,
 * badsum, badudpsum, ihl, totlen, trunc. */
static int parse_options(struct kp_session *s, struct kp_out *out,
			 struct inject_opts *o, int argc, char **argv)
{
	struct kp_frame_spec *sp = &o->spec;
	long v;
	for (int i = 0; i < argc; i++) {
		const char *k = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(k, "badsum")) {
			sp->bad_ip_csum = true;
			continue;
		}
		if (!strcmp(k, "badudpsum") || !strcmp(k, "badl4sum")) {
			sp->bad_l4_csum = true;
			continue;
		}
		if (!val)
			return kp_cmd_error(s, out, "inject: '%s' needs a value "
						    "(see 'help inject')",
					    k);
		i++;
		if (!strcmp(k, "len")) {
			if (parse_long(s, out, "len", val, 0, 8972, &v))
				return -EINVAL;
			for (long b = 0; b < v; b++)
				o->payload[b] = (uint8_t)b;
			sp->payload_len = (size_t)v;
		} else if (!strcmp(k, "data")) {
			size_t n = strlen(val);
			if (n > 8972)
				return kp_cmd_error(s, out, "inject: data is "
							    "too long");
			memcpy(o->payload, val, n);
			sp->payload_len = n;
		} else if (!strcmp(k, "count")) {
			if (parse_long(s, out, "count", val, 1,
				       INJECT_MAX_COUNT, &o->count))
				return -EINVAL;
		} else if (!strcmp(k, "rate")) {
			if (parse_long(s, out, "rate (packets per second)",
				       val, 1, 1000000000, &v))
				return -EINVAL;
			o->gap = 1000000000ull / (uint64_t)v;
			o->gap_set = true;
		} else if (!strcmp(k, "gap")) {
			if (kp_parse_duration(val, &o->gap) < 0)
				return kp_cmd_error(s, out, "inject: gap is a "
							    "time: 10us, 1ms, "
							    "500ns");
			o->gap_set = true;
		} else if (!strcmp(k, "ttl")) {
			if (parse_long(s, out, "ttl", val, 0, 255, &v))
				return -EINVAL;
			sp->ttl = (uint8_t)v;
		} else if (!strcmp(k, "ihl")) {
			if (parse_long(s, out, "ihl", val, 0, 15, &v))
				return -EINVAL;
			sp->ihl = (int)v;
		} else if (!strcmp(k, "totlen")) {
			if (parse_long(s, out, "totlen", val, 0, 65535, &v))
				return -EINVAL;
			sp->tot_len = (int)v;
		} else if (!strcmp(k, "trunc")) {
			if (parse_long(s, out, "trunc", val, 1, KP_FRAME_MAX,
				       &v))
				return -EINVAL;
			sp->trunc = (int)v;
		} else {
			return kp_cmd_error(s, out, "inject: unknown option "
						    "'%s' (see 'help inject')",
					    k);
		}
	}
	sp->payload = o->payload;
	return 0;
}

static int cmd_inject(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	struct kp_world *w = s->world;
	struct kp_host *h;
	const char *ifname = "eth0";
	int i = 0;

	if (argc < 2)
		return KP_CMD_USAGE;
	h = kp_host_by_name(w, argv[i]);
	if (!h)
		return kp_cmd_error(s, out, "inject: the first word names the "
					    "receiving host (%s...), not '%s'",
				    w->nr_hosts ? w->hosts[0]->name : "server",
				    argv[i]);
	i++;
	if (strcmp(argv[i], "udp") && strcmp(argv[i], "icmp") &&
	    strcmp(argv[i], "raw"))
		ifname = argv[i++];
	if (i >= argc)
		return KP_CMD_USAGE;
	struct net_device *dev = kp_net_cmd_dev(s, out, h, ifname);
	if (!dev)
		return -ENODEV;

	struct inject_opts *o = calloc(1, sizeof(*o));
	if (!o)
		return kp_cmd_error(s, out, "out of memory");
	kp_frame_spec_init(&o->spec);
	o->count = 1;
	memcpy(o->spec.dst_mac, dev->dev_addr, 6);
	memcpy(o->spec.src_mac, wire_mac, 6);

	const char *kind = argv[i++];
	int ret = 0;
	if (!strcmp(kind, "raw")) {
		if (i >= argc || parse_hex(o, argv[i++]) < 0)
			ret = kp_cmd_error(s, out, "inject raw takes the frame "
						   "as hex bytes: "
						   "ffffffffffff0200...");
		else
			ret = parse_options(s, out, o, argc - i, argv + i);
	} else {
		bool udp = !strcmp(kind, "udp");
		if (!udp && (i >= argc || strcmp(argv[i++], "echo"))) {
			ret = kp_cmd_error(s, out, "inject: write 'icmp echo "
						   "SRC > DST'");
		} else if (argc - i < 3 || strcmp(argv[i + 1], ">")) {
			ret = kp_cmd_error(s, out, "inject: write the "
						   "addresses as SRC > DST, "
						   "e.g. 10.0.0.1:5000 > "
						   "10.0.0.2:9");
		} else if (udp ? (kp_parse_ipv4_port(argv[i], &o->spec.saddr,
						     &o->spec.sport) < 0 ||
				  kp_parse_ipv4_port(argv[i + 2],
						     &o->spec.daddr,
						     &o->spec.dport) < 0)
			       : (kp_parse_ipv4(argv[i], &o->spec.saddr) < 0 ||
				  kp_parse_ipv4(argv[i + 2],
						&o->spec.daddr) < 0)) {
			ret = kp_cmd_error(s, out, "inject: bad address in "
						   "'%s > %s' (%s)",
					   argv[i], argv[i + 2],
					   udp ? "IP:PORT" : "IP");
		} else {
			o->spec.l4 = udp ? KP_FRAME_UDP : KP_FRAME_ICMP_ECHO;
			o->spec.icmp_id = 1;
			i += 3;
			ret = parse_options(s, out, o, argc - i, argv + i);
		}
	}

	uint8_t *frame = malloc(KP_FRAME_MAX);
	int sent = 0, len = 0;
	uint64_t now = kp_world_time(w);
	for (long n = 0; !ret && frame && n < o->count; n++) {
		if (o->raw_len) {
			memcpy(frame, o->raw, (size_t)o->raw_len);
			len = o->raw_len;
		} else if (n > 0 && o->spec.l4 == KP_FRAME_UDP) {
			/* the same datagram with the next IP id */
			o->spec.ip_id = (uint16_t)(n + 1);
			kp_frame_set_ip_id(&o->spec, frame, o->spec.ip_id);
		} else {
			o->spec.ip_id = (uint16_t)(n + 1);
			o->spec.icmp_seq = (uint16_t)(n + 1);
			len = kp_frame_build(&o->spec, frame, KP_FRAME_MAX);
		}
		if (len <= 0) {
			ret = kp_cmd_error(s, out, "inject: frame too large");
			break;
		}
		if (!o->gap_set) /* back to back on 1 Gbit/s: preamble,
				  * FCS and the interframe gap add 24 bytes */
			o->gap = (uint64_t)(len + 24) * 8;
		int r = kp_wire_inject(h, dev->name, frame, (size_t)len,
				       now + (uint64_t)n * o->gap);
		if (r < 0) {
			ret = kp_cmd_error(s, out, "inject: %s refused the "
						   "frame (%s)",
					   dev->name, strerror(-r));
			break;
		}
		sent++;
	}
	if (!frame && !ret)
		ret = kp_cmd_error(s, out, "out of memory");
	if (sent) {
		char t[KP_TIME_BUF];
		kp_printf(out, "Injected %d frame%s of %d bytes on %s %s from "
			       "%s",
			  sent, sent == 1 ? "" : "s", len, h->name, dev->name,
			  kp_fmt_time(t, now));
		if (sent > 1)
			kp_printf(out, ", one every %s",
				  kp_fmt_time(t, o->gap));
		kp_puts(out, ".\n");
	}
	free(frame);
	free(o);
	return ret;
}

static void complete_inject(struct kp_session *s, int argc, char **argv,
			    struct kp_completions *c)
{
	static const char *const opts[] = { "len",  "data",   "count", "rate",
					    "gap",  "ttl",    "badsum",
					    "badudpsum", "ihl", "totlen",
					    "trunc" };
	(void)argv;
	if (argc == 0) {
		kp_complete_hosts(s, c);
	} else if (argc <= 2) {
		kp_complete_add(c, "udp");
		kp_complete_add(c, "icmp");
		kp_complete_add(c, "raw");
		if (argc == 1)
			kp_complete_net_devs(s, c);
	} else {
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			kp_complete_add(c, opts[i]);
	}
}

const struct kp_cmd kp_cmd_inject = {
	.name = "inject",
	.aliases = NULL,
	.usage = "inject HOST [DEV] udp SRC:PORT > DST:PORT [OPTION...] | "
		 "inject HOST [DEV] icmp echo SRC > DST [OPTION...] | "
		 "inject HOST [DEV] raw HEX",
	.summary = "put frames on a host's wire, as if another machine sent them",
	.help = "Builds Ethernet/IPv4 frames with real bytes and checksums,\n"
		"addressed to the NIC's MAC (DEV defaults to eth0) from the\n"
		"wire MAC 02:4b:50:00:00:01, and queues them to arrive at the\n"
		"NIC from now on; 'continue' or 'step' makes them arrive.\n"
		"\n"
		"  len N        N bytes of UDP/ICMP payload (default 0)\n"
		"  data TEXT    this payload instead\n"
		"  count N      N frames (default 1)\n"
		"  rate PPS     N frames per second; or gap TIME between\n"
		"               them (default: back to back at 1 Gbit/s)\n"
		"  ttl N        IP TTL (default 64)\n"
		"To make malformed frames:\n"
		"  badsum       wrong IP header checksum (drop: IP_CSUM)\n"
		"  badudpsum    wrong UDP or ICMP checksum (UDP_CSUM)\n"
		"  ihl N        this IHL (below 5: IP_INHDR)\n"
		"  totlen N     this IP total length (IP_INHDR or a trim)\n"
		"  trunc N      cut the frame to N bytes\n"
		"'raw HEX' sends the bytes as given.\n"
		"\n"
		"Example:\n"
		"  inject server udp 10.0.0.1:5000 > 10.0.0.2:9 len 100\n"
		"  inject server udp 10.0.0.1:5000 > 10.0.0.2:9 count 50 "
		"rate 100000\n"
		"  inject server icmp echo 10.0.0.1 > 10.0.0.2\n"
		"  inject server udp 10.0.0.1:1 > 10.0.0.2:9 badsum\n"
		"  continue\n",
	.group = "network",
	.flags = 0,
	.complete = complete_inject,
	.handler = cmd_inject,
};
