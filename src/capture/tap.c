/*
 * tap.c - tcpdump's receive tap: a packet_type on ptype_all whose func
 * does what af_packet's tpacket_rcv does for a capture socket
 * (net/packet/af_packet.c): run the filter, copy the frame from the MAC
 * header, hand it to user space (here: tcpdump's line on the console and
 * the -w file), consume_skb.  See tap.h for what is left out.
 */
#include "tap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_net.h"
#include "capfile_walk.h"
#include "engine/probe.h"
#include "engine/world.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "sched/sched.h"

struct kp_tap *kp_tap_create(struct net *net, struct net_device *dev,
			     const struct kp_tap_opts *o, char *err,
			     size_t errlen)
{
	struct kp_capture_net *cn = kp_capture_net_get(net);
	struct kp_tap *t = calloc(1, sizeof(*t));

	if (!cn || !t) {
		free(t);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->w = net->host->world;
	t->host = net->host;
	t->net = net;
	t->opts = *o;
	snprintf(t->ifname, sizeof(t->ifname), "%s",
		 dev ? dev->name : "any");
	INIT_LIST_HEAD(&t->list);
	INIT_LIST_HEAD(&t->pt.list);
	kp_tcpdump_state_init(&t->st);
	if (o->filter && *o->filter) {
		t->filter = strdup(o->filter);
		if (kp_bpf_compile(&t->bpf, o->filter, DLT_EN10MB) < 0) {
			snprintf(err, errlen, "tcpdump: %s", t->bpf.error);
			kp_tap_free(t);
			return NULL;
		}
		t->has_filter = true;
	}
	if (o->wfile) {
		t->wfile = strdup(o->wfile);
		if (kp_pcap_out_open(&t->out, o->wfile, KP_PCAP_USEC, 0) < 0) {
			snprintf(err, errlen, "tcpdump: %s", t->out.error);
			kp_tap_free(t);
			return NULL;
		}
		t->writing = true;
	}
	t->opts.filter = t->filter;
	t->opts.wfile = t->wfile;
	t->opts.ifname = t->ifname;
	t->pt.type = ETH_P_ALL;
	t->pt.dev = dev;
	t->pt.func = kp_tap_rcv;
	t->pt.af_packet_priv = t;
	t->pt.name = "tcpdump";
	t->id = ++cn->next_tap_id;
	list_add_tail(&t->list, &cn->taps);
	return t;
}

static const char *ethertype_name(uint16_t type)
{
	switch (type) {
	case 0x0800:
		return "IPv4";
	case 0x0806:
		return "ARP";
	case 0x86dd:
		return "IPv6";
	case 0x8100:
		return "802.1Q";
	case 0x8035:
		return "Reverse ARP";
	default:
		return "Unknown";
	}
}

void kp_tap_add_ether(struct kp_tcpdump_line *line, const uint8_t *frame,
		      uint32_t caplen, uint32_t wirelen)
{
	char head[160], rest[KP_TCPDUMP_LINE_MAX];
	const char *body;
	size_t tslen;
	uint16_t type;
	int n;

	if (caplen < 14)
		return;
	body = strchr(line->text, ' ');
	if (!body)
		return;
	body++;
	tslen = (size_t)(body - line->text);
	type = (uint16_t)(frame[12] << 8 | frame[13]);
	n = snprintf(head, sizeof(head),
		     "%02x:%02x:%02x:%02x:%02x:%02x > "
		     "%02x:%02x:%02x:%02x:%02x:%02x, ethertype %s (0x%04x), "
		     "length %u: ",
		     frame[6], frame[7], frame[8], frame[9], frame[10],
		     frame[11], frame[0], frame[1], frame[2], frame[3],
		     frame[4], frame[5], ethertype_name(type), type, wirelen);
	if (n < 0)
		return;
	/* tcpdump -e drops the protocol word ether_print already said */
	if (!strncmp(body, "IP ", 3))
		body += 3;
	else if (!strncmp(body, "ARP, ", 5))
		body += 5;
	snprintf(rest, sizeof(rest), "%s", body);
	size_t skip = (size_t)(body - line->text) - tslen;
	snprintf(line->text + tslen, sizeof(line->text) - tslen, "%s%s", head,
		 rest);
	line->len = strlen(line->text);
	if (line->more)
		line->exact = line->exact + (size_t)n - skip;
	/* an ICMP error's quoted datagram loses its "IP " too */
	kp_tcpdump_ether_quoted(line);
}

int kp_tap_close_file(struct kp_tap *t)
{
	int err = 0;

	if (!t->writing)
		return 0;
	t->writing = false;
	if (kp_pcap_out_close(&t->out) < 0) {
		snprintf(t->error, sizeof(t->error), "%.100s: %.512s", t->wfile,
			 t->out.error);
		err = -EIO;
	}
	return err;
}

/* A line on the world console, as the tcpdump process would print it. */
static void tap_console(struct kp_tap *t, uint64_t ts, const char *text)
{
	struct kp_console *c = &t->w->console;
	size_t before = c->len;

	kp_console_printf(t->w, t->host->id, 0, ts, "%s", text);
	if (c->len > before)
		snprintf(c->lines[c->len - 1].comm,
			 sizeof(c->lines[c->len - 1].comm), "tcpdump");
}

/* -c N reached: off ptype_all (safe inside __netif_receive_skb_core's
 * walk: the walk has moved past pt_prev when it calls us). */
static void tap_done(struct kp_tap *t)
{
	dev_remove_pack(&t->pt);
	t->active = false;
	kp_tap_close_file(t);
	char msg[128];
	snprintf(msg, sizeof(msg),
		 "%" PRIu64 " packets captured (tcpdump#%d on %s, -c reached)",
		 t->captured, t->id, t->ifname);
	tap_console(t, local_clock(), msg);
}

int kp_tap_rcv(struct sk_buff *skb, struct net_device *dev,
	       struct packet_type *pt, struct net_device *orig_dev)
{
	struct kp_tap *t = pt->af_packet_priv;
	uint32_t maclen, len;
	uint8_t *frame;

	(void)dev;
	(void)orig_dev;
	t->seen++;
	if (!t->active || skb->pkt_type == PACKET_LOOPBACK)
		goto out;
	/* received: data is past the MAC header eth_type_trans pulled;
	 * transmitted (dev_queue_xmit_nit): data is the MAC header */
	const uint8_t *mac = skb->data;
	if (skb->mac_header != (uint16_t)~0u && skb_mac_header(skb) <= skb->data &&
	    skb_mac_header(skb) >= skb->head)
		mac = skb_mac_header(skb);
	maclen = (uint32_t)(skb->data - mac);
	len = maclen + skb->len;
	if (len > KP_CAP_MAX_RECORD)
		len = KP_CAP_MAX_RECORD;
	frame = malloc(len ? len : 1);
	if (!frame)
		goto out;
	memcpy(frame, mac, maclen);
	if (len > maclen &&
	    skb_copy_bits(skb, 0, frame + maclen, (int)(len - maclen)) < 0) {
		free(frame);
		goto out;
	}
	if (t->has_filter && !kp_bpf_match(&t->bpf, frame, len, len)) {
		free(frame);
		goto out;
	}
	t->captured++;
	/* a capture socket turns on receive timestamps (net_enable_timestamp):
	 * the first tap to see the skb stamps it, the others read the stamp */
	if (!skb->tstamp)
		skb->tstamp = local_clock();
	uint64_t ts = skb->tstamp;
	if (t->opts.print) {
		struct kp_tcpdump_line line;
		kp_tcpdump_format(&t->st, ts, frame, len, len, &line);
		if (t->opts.verbose)
			kp_tcpdump_verbose(&line, frame, len, len);
		if (t->opts.ether)
			kp_tap_add_ether(&line, frame, len, len);
		tap_console(t, ts, line.text);
	}
	if (t->writing)
		kp_pcap_out_write(&t->out, ts, frame, len, len);
	if (t->collect)
		t->collect(t->collect_ctx, frame, len, skb->pkt_type, ts);
	free(frame);
	if (t->opts.count && t->captured >= t->opts.count)
		tap_done(t);
out:
	/* tpacket_rcv: the copy is made, let go of deliver_skb's user */
	consume_skb(skb);
	return 0;
}

void kp_tap_free(struct kp_tap *t)
{
	if (!t)
		return;
	list_del_init(&t->pt.list);
	list_del_init(&t->list);
	kp_tap_close_file(t);
	kp_bpf_free(&t->bpf);
	kp_tcpdump_state_free(&t->st);
	free(t->filter);
	free(t->wfile);
	free(t);
}

struct kp_tap *kp_tap_find(struct net *net, int id)
{
	struct kp_tap *t, *found = NULL;

	if (!net->capture)
		return NULL;
	list_for_each_entry(t, &net->capture->taps, list) {
		if (id ? t->id == id : t->active || t->add_pending)
			found = t;
	}
	return found;
}

/* In capture_net.h; here because decode.h's layer bits would clash with
 * probe.h's in capture_net.c. */
bool kp_capture_have_xmit(void)
{
	return kp_probe_lookup("dev_queue_xmit") >= 0;
}
