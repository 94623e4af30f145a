/*
 * pane_packet.c - the packet pane: the skb being followed (the object of
 * the last stop when it is an skb, else the one followed before), where
 * it is now (skb->kp_where: a ring slot, a queue, a socket), its
 * metadata, and its bytes decoded as tcpdump prints them plus the
 * header fields (src/capture decoders, as `show skb`).  Once the skb is
 * freed the pane says so.
 */
#include <stdio.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/tcpdump_fmt.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "sched/host.h"
#include "tui.h"
#include "ui/session.h"

static struct sk_buff *find_skb(struct tui *t, uint32_t id, int *host)
{
	struct kp_world *w = t->s->world;
	for (int i = 0; i < w->nr_hosts; i++) {
		struct net *net = w->hosts[i]->net;
		struct sk_buff *skb;
		if (!net || !net->skb_alive.next)
			continue;
		list_for_each_entry(skb, &net->skb_alive, kp_alive)
			if (skb->kp.id == id) {
				*host = i;
				return skb;
			}
	}
	return NULL;
}

void tui_follow_stop(struct tui *t)
{
	struct kp_world *w = t->s->world;
	const struct kp_stop_ctl *c = &w->stop_ctl;
	if (!t->s->started || !c->stopped || !w->trace.seq)
		return;
	const struct kp_trace_rec *r = kp_trace_get(&w->trace, c->seq);
	if (r && r->obj_kind == KP_OBJ_SKB)
		t->skb_sel = r->obj_id;
}

static void render_decoded(struct tui_lines *out, const struct sk_buff *skb)
{
	const uint8_t *frame = skb->data;
	if (skb->mac_header != (uint16_t)~0u &&
	    skb->head + skb->mac_header <= skb->data)
		frame = skb->head + skb->mac_header;
	const uint8_t *end = skb_tail_pointer(skb);
	if (end <= frame) {
		tui_lines_add(out, TUI_A_DIM, "  (no bytes yet)");
		return;
	}
	uint32_t caplen = (uint32_t)(end - frame);
	struct kp_tcpdump_state st;
	struct kp_tcpdump_line line;
	kp_tcpdump_state_init(&st);
	kp_tcpdump_format(&st, skb->tstamp, frame, caplen,
			  caplen + skb->data_len, &line);
	kp_tcpdump_state_free(&st);
	tui_lines_printf(out, TUI_A_NORMAL, "  %.*s", (int)line.len, line.text);

	struct kp_decoded d;
	kp_decode_frame(&d, frame, caplen, caplen + skb->data_len);
	if (d.layers & KP_LAYER_ETH)
		tui_lines_printf(out, TUI_A_NORMAL,
				 "  eth %02x:%02x:%02x:%02x:%02x:%02x > "
				 "%02x:%02x:%02x:%02x:%02x:%02x type 0x%04x",
				 d.eth.src[0], d.eth.src[1], d.eth.src[2],
				 d.eth.src[3], d.eth.src[4], d.eth.src[5],
				 d.eth.dst[0], d.eth.dst[1], d.eth.dst[2],
				 d.eth.dst[3], d.eth.dst[4], d.eth.dst[5],
				 d.eth.proto);
	if (d.layers & KP_LAYER_IPV4)
		tui_lines_printf(out, TUI_A_NORMAL,
				 "  ip ihl %u tot_len %u id %u ttl %u proto %u "
				 "csum %s",
				 d.ip.hlen, d.ip.tot_len, d.ip.id, d.ip.ttl,
				 d.ip.protocol, d.ip.csum_ok ? "ok" : "BAD");
	if (d.layers & KP_LAYER_UDP)
		tui_lines_printf(out, TUI_A_NORMAL, "  udp %u > %u len %u",
				 d.udp.sport, d.udp.dport, d.udp.len);
	if (d.layers & KP_LAYER_TCP)
		tui_lines_printf(out, TUI_A_NORMAL,
				 "  tcp %u > %u seq %u ack %u win %u",
				 d.tcp.sport, d.tcp.dport, d.tcp.seq, d.tcp.ack,
				 d.tcp.window);
	if (d.nproblems)
		tui_lines_printf(out, TUI_A_ERROR, "  %u problem(s) in the "
						  "bytes", d.nproblems);
}

static void packet_render(struct tui *t, struct tui_pane *p,
			  struct tui_lines *out, int rows, int cols)
{
	(void)p;
	(void)rows;
	(void)cols;
	int host = 0;
	if (!t->skb_sel) {
		tui_lines_add(out, TUI_A_DIM, "(no skb selected: stop at a "
					      "function of an skb)");
		return;
	}
	struct sk_buff *skb = find_skb(t, t->skb_sel, &host);
	if (!skb) {
		tui_lines_printf(out, TUI_A_DIM, "skb#%u is gone (freed)",
				 t->skb_sel);
		return;
	}
	/* where: the queue or stage it was last put in (kp_skb_where) */
	tui_lines_printf(out, TUI_A_HEAD, "skb#%u on %s: %s", skb->kp.id,
			 t->s->world->hosts[host]->name,
			 skb->kp_where ? skb->kp_where : "on no queue");
	tui_lines_printf(out, TUI_A_NORMAL,
			 "  len %u data_len %u truesize %u users %d dev %s "
			 "proto 0x%04x",
			 skb->len, skb->data_len, skb->truesize, skb->users,
			 skb->dev ? skb->dev->name : "-", skb->protocol);
	render_decoded(out, skb);
}

static void packet_title(struct tui *t, struct tui_pane *p, char *buf,
			 size_t size)
{
	(void)p;
	if (t->skb_sel)
		snprintf(buf, size, "skb#%u", t->skb_sel);
}

const struct tui_pane_ops tui_pane_packet = {
	.name = "Packet",
	.key = '7',
	.left = true,
	.weight = 2,
	.mark_changes = true,
	.render = packet_render,
	.on_key = NULL,
	.title = packet_title,
};
