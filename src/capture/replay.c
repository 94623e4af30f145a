/*
 * replay.c - the capture-fed port (see replay.h): a self re-arming
 * engine event that streams a capture file onto a host NIC's wire.
 * Mirrors no kernel file: it is the other machine, or tcpreplay.
 */
#include "replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_net.h"
#include "csum.h"
#include "engine/world.h"
#include "hw/hw.h"
#include "linktype.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "tap.h"

/* 1 Gbit/s: preamble, FCS and the interframe gap add 24 bytes */
#define LINE_RATE_NS(len) ((uint64_t)((len) + 24) * 8)

static void note(struct kp_replay *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct kp_replay *r, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;

	if (r->nr_notes >= KP_REPLAY_MAX_NOTES) {
		r->notes_dropped++;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (text)
		r->notes[r->nr_notes++] = text;
}

static void snapshot(struct kp_replay *r)
{
	struct net *net = r->net;
	struct net_device *dev = dev_get_by_name(net, r->ifname);
	struct kp_replay_devsnap *d = &r->dev0;

	memcpy(r->mib0, net->mib, sizeof(r->mib0));
	memcpy(r->drops0, net->drops, sizeof(r->drops0));
	r->skb_dropped0 = net->skb.dropped;
	r->skb_consumed0 = net->skb.consumed;
	if (!dev)
		return;
	d->stats = dev->stats;
	d->rx_dropped = dev->rx_dropped;
	d->rx_nohandler = dev->rx_nohandler;
	const struct ethtool_ops *ops = dev->ethtool_ops;
	if (!ops || !ops->get_sset_count || !ops->get_strings ||
	    !ops->get_ethtool_stats)
		return;
	int n = ops->get_sset_count(dev);
	if (n <= 0 || n > KP_REPLAY_MAX_ETHTOOL)
		return;
	d->ethtool_names = calloc((size_t)n, ETH_GSTRING_LEN);
	if (!d->ethtool_names)
		return;
	ops->get_strings(dev, (char *)d->ethtool_names);
	ops->get_ethtool_stats(dev, d->ethtool);
	d->nr_ethtool = n;
}

static void finish(struct kp_replay *r)
{
	if (r->done)
		return;
	r->done = true;
	if (r->in_open)
		kp_pcap_in_close(&r->in);
	r->in_open = false;
	struct kp_console *c = &r->w->console;
	size_t before = c->len;
	kp_console_printf(r->w, r->host->id, 0, r->w->now,
			  "replay#%d %s: file consumed, %" PRIu64
			  " frames read, %" PRIu64
			  " injected ('replay status' reports)",
			  r->id, r->path, r->read, r->injected);
	if (c->len > before)
		snprintf(c->lines[c->len - 1].comm,
			 sizeof(c->lines[c->len - 1].comm), "replay");
}

static bool is_rcv_addr(const struct kp_replay *r, uint32_t a)
{
	for (int i = 0; i < r->nr_rcv_addrs; i++)
		if (r->rcv_addrs[i] == a)
			return true;
	return false;
}

/* Decode the frame as the stack will get it; count and note damage. */
static void check_frame(struct kp_replay *r, const struct kp_pcap_frame *f,
			const struct kp_decoded *d)
{
	if (!d->nproblems)
		return;
	r->damaged++;
	for (unsigned i = 0; i < d->nproblems; i++) {
		char what[200];
		const struct kp_problem_rec *p = &d->problems[i];
		r->problems[p->id]++;
		kp_problem_format(p, what, sizeof(what));
		note(r, "%s: frame %" PRIu64 " at byte %" PRIu64 ": %s: %s",
		     r->path, f->number, f->offset, kp_problem_name(p->id),
		     what);
	}
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * --fix-csum (tcprewrite -C): captures taken on a sender with checksum
 * offload hold checksums the NIC would have filled in.  Recompute the
 * IPv4 header checksum and, for a whole unfragmented datagram, the
 * TCP/UDP/ICMP one.  True if a byte changed.
 */
static bool fix_csum(uint8_t *f, uint32_t caplen, const struct kp_decoded *d)
{
	const struct kp_ipv4_view *ip = &d->ip;
	uint8_t before[2];
	bool changed = false;

	if (!(d->layers & KP_LAYER_IPV4) || ip->off + ip->hlen > caplen ||
	    ip->hlen < 20)
		return false;
	uint8_t *iph = f + ip->off;
	memcpy(before, iph + 10, 2);
	put16(iph + 10, 0);
	put16(iph + 10, kp_cap_csum_fold(kp_cap_csum_add(0, iph, ip->hlen)));
	changed |= memcmp(before, iph + 10, 2) != 0;
	if (ip->mf || ip->frag_bytes || ip->tot_len < ip->hlen ||
	    ip->off + ip->tot_len > caplen)
		return changed;
	uint32_t l4len = ip->tot_len - ip->hlen;
	uint8_t *l4 = iph + ip->hlen;
	unsigned off;
	uint32_t sum = 0;
	if (ip->protocol == 6 && l4len >= 20)
		off = 16;
	else if (ip->protocol == 17 && l4len >= 8 && (l4[6] || l4[7]))
		off = 6;
	else if (ip->protocol == 1 && l4len >= 8)
		off = 2;
	else
		return changed;
	if (ip->protocol != 1)
		sum = kp_cap_csum_pseudo(ip->saddr, ip->daddr, ip->protocol,
					 l4len);
	memcpy(before, l4 + off, 2);
	put16(l4 + off, 0);
	uint16_t c = kp_cap_csum_fold(kp_cap_csum_add(sum, l4, l4len));
	if (ip->protocol == 17 && c == 0)
		c = 0xffff;
	put16(l4 + off, c);
	return changed | (memcmp(before, l4 + off, 2) != 0);
}

/* Put the frame @f (its bytes at @data, decoded in @d) on the wire at
 * @t; in TCP receiver mode moved into kpath's sequence space first.
 * True if injected, with its arrival time in *at. */
static bool inject_frame(struct kp_replay *r, struct kp_pcap_frame *f,
			 uint8_t *data, struct kp_decoded *d, uint64_t t,
			 uint64_t *at)
{
	if (r->opts.as_receiver && (d->layers & KP_LAYER_TCP) &&
	    is_rcv_addr(r, d->ip.daddr)) {
		r->tcp_to_receiver++;
		if (kp_replay_tcp_translate(&r->tcpmap, data, d))
			kp_decode_frame(d, data, f->caplen, f->wirelen);
	}
	int err = kp_wire_inject(r->host, r->ifname, data, f->caplen, t);
	if (err < 0) {
		r->refused++;
		note(r, "%s: frame %" PRIu64 " at byte %" PRIu64
		     ": %u bytes, the wire refused it (%s); not injected",
		     r->path, f->number, f->offset, f->caplen,
		     err == -EINVAL ? "shorter than an Ethernet header or "
				      "longer than 65536 bytes"
				    : strerror(-err));
		return false;
	}
	check_frame(r, f, d);
	r->injected++;
	r->bytes += f->caplen;
	r->last_at = r->opts.fast ? t + LINE_RATE_NS(f->caplen < 60 ? 60 : f->caplen)
				  : t;
	r->end_at = t;
	*at = t;
	return true;
}

/* Just in time: keep a copy of the frame until @t. */
static bool hold_frame(struct kp_replay *r, const struct kp_pcap_frame *f,
		       uint64_t t)
{
	if (f->caplen > r->held_cap) {
		uint8_t *b = realloc(r->held, f->caplen);
		if (!b)
			return false;
		r->held = b;
		r->held_cap = f->caplen;
	}
	memcpy(r->held, f->data, f->caplen);
	r->held_f = *f;
	r->held_f.data = r->held;
	r->held_f.raw = NULL;
	r->held_at = t;
	r->have_held = true;
	r->last_at = t;
	return true;
}

/* The held frame's time has come: decode it again (now) and inject. */
static bool release_held(struct kp_replay *r, uint64_t *at)
{
	struct kp_decoded d;

	r->have_held = false;
	kp_decode_frame(&d, r->held, r->held_f.caplen, r->held_f.wirelen);
	return inject_frame(r, &r->held_f, r->held, &d, r->held_at, at);
}

/* One frame read: filter, re-address, inject (or hold, just in time).
 * True if injected, with its arrival time in *at. */
static bool feed_frame(struct kp_replay *r, struct kp_pcap_frame *f,
		       uint64_t *at)
{
	uint8_t *data = r->in.buf; /* == f->data, ours to change */
	struct kp_decoded d;

	if (r->has_filter &&
	    !kp_bpf_match(&r->bpf, f->raw, f->raw_caplen, f->raw_wirelen)) {
		r->filtered++;
		return false;
	}
	kp_decode_frame(&d, f->data, f->caplen, f->wirelen);
	if (r->opts.as_receiver && (d.layers & KP_LAYER_IPV4) &&
	    is_rcv_addr(r, d.ip.saddr)) {
		r->responses++;
		kp_resp_add(&r->file_resp, &d, f->ts_ns);
		kp_replay_tcp_synack(&r->tcpmap, &d, false);
		return false;
	}
	if (r->opts.fix_csum && fix_csum(data, f->caplen, &d)) {
		r->csum_fixed++;
		kp_decode_frame(&d, f->data, f->caplen, f->wirelen);
	}
	if (f->caplen >= 6 && !(data[0] & 1) &&
	    (r->in.dlt != KP_DLT_EN10MB || !r->opts.keep_mac))
		memcpy(data, r->mac, ETH_ALEN);

	uint64_t t;
	if (!r->have_first) {
		r->have_first = true;
		r->first_ts = f->ts_ns;
		t = r->start_ns;
	} else if (r->opts.fast) {
		t = r->last_at;
	} else {
		uint64_t dt = f->ts_ns > r->first_ts ? f->ts_ns - r->first_ts
						     : 0;
		double speed = r->opts.speed > 0 ? r->opts.speed : 1.0;
		t = r->start_ns + (uint64_t)((double)dt / speed);
	}
	if (t < r->last_at && !r->opts.fast)
		t = r->last_at; /* timestamps going back: keep file order */
	if (r->jit && t > kp_world_time(r->w) && hold_frame(r, f, t))
		return false;
	return inject_frame(r, f, data, &d, t, at);
}

static void replay_feed(struct kp_world *w, void *arg, uint64_t data)
{
	struct kp_replay *r = arg;
	uint64_t ats[KP_REPLAY_BATCH + 1]; /* + a held frame released */
	int n = 0;

	(void)data;
	if (r->have_held && release_held(r, &ats[n]))
		n++;
	for (int i = 0; i < KP_REPLAY_BATCH && !r->done && !r->have_held;
	     i++) {
		struct kp_pcap_frame f;
		int st = kp_pcap_in_next(&r->in, &f);
		r->read = r->in.frames;
		switch (st) {
		case KP_PCAP_END:
			finish(r);
			break;
		case KP_PCAP_BROKEN:
			r->broken = true;
			note(r, "%s", r->in.error);
			finish(r);
			break;
		case KP_PCAP_SKIPPED:
			r->skipped++;
			note(r, "%s", r->in.error);
			break;
		default:
			if (feed_frame(r, &f, &ats[n]))
				n++;
			if (r->opts.limit && r->injected >= r->opts.limit)
				finish(r);
			break;
		}
	}
	if (r->have_held)
		kp_world_at(w, r->held_at, replay_feed, r, 0, &r->feed_handle);
	else if (!r->done)
		kp_world_at(w, n ? ats[n / 2] : w->now, replay_feed, r, 0,
			    &r->feed_handle);
}

void kp_replay_stop(struct kp_replay *r)
{
	if (!r)
		return;
	kp_eventq_cancel(&r->w->events, &r->feed_handle);
	finish(r);
}

void kp_replay_collect(void *arg, const uint8_t *frame, uint32_t len,
		       int pkt_type, uint64_t ts)
{
	struct kp_replay *r = arg;
	struct kp_decoded d;

	if (!r || pkt_type != PACKET_OUTGOING)
		return;
	kp_decode_frame(&d, frame, len, len);
	kp_resp_add(&r->own_resp, &d, ts);
	kp_replay_tcp_synack(&r->tcpmap, &d, true);
}

void kp_replay_free(struct kp_replay *r)
{
	if (!r)
		return;
	kp_eventq_cancel(&r->w->events, &r->feed_handle);
	if (r->resp_tap) {
		/* off ptype_all between runs: no CPU is walking it */
		dev_remove_pack(&r->resp_tap->pt);
		kp_tap_free(r->resp_tap);
	}
	kp_resp_free(&r->file_resp);
	kp_resp_free(&r->own_resp);
	kp_replay_tcp_free(&r->tcpmap);
	free(r->held);
	if (r->in_open)
		kp_pcap_in_close(&r->in);
	kp_bpf_free(&r->bpf);
	for (unsigned i = 0; i < r->nr_notes; i++)
		free(r->notes[i]);
	free(r->dev0.ethtool_names);
	free(r->filter);
	free(r->path);
	free(r);
}

/* Walk up to 100000 frames of @path; for each decoded IPv4 frame call
 * @fn.  0 or -EINVAL with @err set. */
static int scan(const char *path, struct kp_replay *r,
		void (*fn)(struct kp_replay *r, const struct kp_decoded *d),
		char *err, size_t errlen)
{
	struct kp_pcap_in in;
	struct kp_pcap_frame f;
	struct kp_decoded d;
	int st, n = 0;

	if (kp_pcap_in_open(&in, path) < 0) {
		snprintf(err, errlen, "%s", in.error);
		return -EINVAL;
	}
	while ((st = kp_pcap_in_next(&in, &f)) != KP_PCAP_END &&
	       n++ < 100000) {
		if (st != KP_PCAP_FRAME)
			continue;
		kp_decode_frame(&d, f.data, f.caplen, f.wirelen);
		if (d.layers & KP_LAYER_IPV4)
			fn(r, &d);
	}
	kp_pcap_in_close(&in);
	return 0;
}

/* The receiver: whoever gets the first SYN, else the first IPv4 frame
 * (rcv_addrs[1] holds the latter while scanning). */
static void scan_receiver(struct kp_replay *r, const struct kp_decoded *d)
{
	bool syn = (d->layers & KP_LAYER_TCP) && (d->tcp.flags & 0x12) == 0x02;

	if (r->nr_rcv_addrs == 0) {
		r->rcv_addrs[1] = d->ip.daddr;
		r->nr_rcv_addrs = -1;
	}
	if (syn && r->nr_rcv_addrs != 1) {
		r->rcv_addrs[0] = d->ip.daddr;
		r->nr_rcv_addrs = 1;
	}
}

static void add_port(uint16_t *ports, int *n, uint16_t port)
{
	for (int i = 0; i < *n; i++)
		if (ports[i] == port)
			return;
	if (*n < KP_REPLAY_MAX_PORTS)
		ports[(*n)++] = port;
}

static void add_peer(struct kp_replay *r, const struct kp_decoded *d)
{
	for (int i = 0; i < r->nr_peers; i++)
		if (r->peer_addrs[i] == d->ip.saddr)
			return;
	if (r->nr_peers == KP_REPLAY_MAX_PEERS || is_rcv_addr(r, d->ip.saddr))
		return;
	r->peer_addrs[r->nr_peers] = d->ip.saddr;
	memcpy(r->peer_macs[r->nr_peers], d->eth.src, ETH_ALEN);
	r->nr_peers++;
}

static void scan_ports(struct kp_replay *r, const struct kp_decoded *d)
{
	if (!is_rcv_addr(r, d->ip.daddr))
		return;
	add_peer(r, d);
	if (d->layers & KP_LAYER_UDP)
		add_port(r->udp_ports, &r->nr_udp_ports, d->udp.dport);
	if ((d->layers & KP_LAYER_TCP) && (d->tcp.flags & 0x12) == 0x02)
		add_port(r->tcp_ports, &r->nr_tcp_ports, d->tcp.dport);
}

int kp_replay_scan_receiver(const char *path, struct kp_replay *r, char *err,
			    size_t errlen)
{
	r->nr_rcv_addrs = 0;
	r->nr_udp_ports = 0;
	r->nr_tcp_ports = 0;
	r->nr_peers = 0;
	if (scan(path, r, scan_receiver, err, errlen) < 0)
		return -EINVAL;
	if (r->nr_rcv_addrs == -1) {
		r->rcv_addrs[0] = r->rcv_addrs[1];
		r->nr_rcv_addrs = 1;
	}
	if (!r->nr_rcv_addrs) {
		snprintf(err, errlen,
			 "%s: no IPv4 frame, so no receiver to play", path);
		return -ENOENT;
	}
	return scan(path, r, scan_ports, err, errlen);
}

int kp_replay_start(struct kp_host *h, const char *ifname, const char *path,
		    const struct kp_replay_opts *o, struct kp_replay **out,
		    char *err, size_t errlen)
{
	struct net *net = h->net;
	struct kp_capture_net *cn;
	struct net_device *dev;
	struct kp_replay *r;

	if (!net || !(dev = dev_get_by_name(net, ifname))) {
		snprintf(err, errlen, "%s has no device %s", h->name, ifname);
		return -ENODEV;
	}
	if (!kp_nic_by_name(h, dev->name)) {
		snprintf(err, errlen,
			 "%s %s has no wire to feed (replay into a NIC: eth0)",
			 h->name, dev->name);
		return -ENODEV;
	}
	cn = kp_capture_net_get(net);
	r = calloc(1, sizeof(*r));
	if (!cn || !r) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->w = h->world;
	r->host = h;
	r->net = net;
	snprintf(r->ifname, sizeof(r->ifname), "%s", dev->name);
	memcpy(r->mac, dev->dev_addr, ETH_ALEN);
	r->path = strdup(path);
	r->opts = *o;
	if (o->filter) {
		r->filter = strdup(o->filter);
		r->opts.filter = r->filter;
	}
	if (kp_pcap_in_open(&r->in, path) < 0) {
		snprintf(err, errlen, "%s", r->in.error);
		kp_replay_free(r);
		return -EINVAL;
	}
	r->in_open = true;
	r->dlt = r->in.dlt;
	r->pcapng = r->in.format == KP_CAPFILE_PCAPNG;
	if (o->filter && *o->filter) {
		if (kp_bpf_compile(&r->bpf, o->filter, r->in.dlt) < 0) {
			snprintf(err, errlen, "%s", r->bpf.error);
			kp_replay_free(r);
			return -EINVAL;
		}
		r->has_filter = true;
	}
	if (o->as_receiver &&
	    kp_replay_scan_receiver(path, r, err, errlen) < 0) {
		kp_replay_free(r);
		return -EINVAL;
	}
	r->jit = o->as_receiver && r->nr_tcp_ports > 0;
	r->start_ns = kp_world_time(r->w);
	r->last_at = r->start_ns;
	snapshot(r);
	if (kp_world_at(r->w, r->start_ns, replay_feed, r, 0,
			&r->feed_handle) < 0) {
		snprintf(err, errlen, "out of memory");
		kp_replay_free(r);
		return -ENOMEM;
	}
	kp_replay_free(cn->replay);
	r->id = ++cn->next_replay_id;
	cn->replay = r;
	*out = r;
	return 0;
}
