/*
 * pane_nic.c - the NIC pane: each network device of the host shown (flags,
 * counters, its NAPI instances and whether they sit on a poll_list), and
 * each NIC's descriptor rings as the device sees them - a row of
 * descriptors split by the head/tail registers the hardware and the
 * driver move:
 *
 *   RX  '.' the device's (an empty buffer it may fill: RDH..RDT)
 *       '*' being written by DMA right now (RDH..next_fetch)
 *       'd' the driver's (filled and not cleaned yet, or not refilled)
 *   TX  'q' queued for the device (TDH..TDT), '*' in DMA, '.' the driver's
 *
 * With the driver up (hw/nic_view.h) each ring is drawn from the
 * driver's view instead: per descriptor its owner, DD (written back),
 * in-DMA, the skb it holds - the packet pane's skb as '@', its ring
 * line highlighted - and the
 * driver's next_to_use/next_to_clean beside the registers.
 *
 * A large ring is drawn scaled, one cell per several descriptors (the
 * busiest state of the group wins).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw.h"
#include "hw/nic.h"
#include "hw/nic_view.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "sched/host.h"
#include "tui.h"

/* Is @i in the circular interval [from, to) of a ring of @n? */
static bool in_range(uint32_t i, uint32_t from, uint32_t to, uint32_t n)
{
	if (from <= to)
		return i >= from && i < to;
	return i >= from || i < to;
}

static int cell_rank(char c)
{
	return c == '@' ? 5 : c == '*' ? 4 : c == 'D' ? 3
	       : c == 'q' || c == 'd' ? 2 : 1;
}

/* One cell of the driver's view: '@' the followed skb, '*' in DMA,
 * 'D' done (DD set, not cleaned), '.' the device's, 'd' the driver's
 * (RX); 'q' posted for the device, '.' free (TX). */
static char view_cell(const struct kp_desc_view *d, bool rx, uint32_t sel)
{
	if (sel && d->skb_id == sel)
		return '@';
	if (d->in_dma)
		return '*';
	if (d->owner == KP_DESC_DEVICE)
		return rx ? '.' : 'q';
	if (d->dd)
		return 'D';
	return rx ? 'd' : '.';
}

static void view_lines(struct tui_lines *out, const char *label, bool rx,
		       const struct kp_ring_view *v, uint32_t sel, int cols)
{
	char cells[512];
	int width = cols - 16;
	if (width < 8)
		width = 8;
	if (width > (int)sizeof(cells) - 1)
		width = (int)sizeof(cells) - 1;
	uint32_t n = v->count, per = (n + (uint32_t)width - 1) / (uint32_t)width;
	if (per == 0)
		per = 1;
	int ncell = (int)((n + per - 1) / per);
	bool held = false; /* a slot holds the followed skb */
	for (int c = 0; c < ncell; c++) {
		char best = ' ';
		for (uint32_t i = (uint32_t)c * per;
		     i < (uint32_t)(c + 1) * per && i < n; i++) {
			char s = view_cell(&v->desc[i], rx, sel);
			held = held || s == '@';
			if (best == ' ' || cell_rank(s) > cell_rank(best))
				best = s;
		}
		cells[c] = best;
	}
	cells[ncell] = '\0';
	tui_lines_printf(out, TUI_A_NORMAL,
			 "  %s %u desc ntu %u ntc %u %s %u %s %u DMA %u "
			 "pkts %llu drops %llu",
			 label, n, v->next_to_use, v->next_to_clean,
			 rx ? "RDH" : "TDH", v->head, rx ? "RDT" : "TDT",
			 v->tail, v->in_dma, (unsigned long long)v->packets,
			 (unsigned long long)v->drops);
	tui_lines_printf(out, held ? TUI_A_SEL : TUI_A_NORMAL, "   [%s]%s",
			 cells, per > 1 ? " (scaled)" : "");
}

/* The driver's rings of @dev; false when it has none to show. */
static bool render_driver_rings(struct tui_lines *out, struct net_device *dev,
				uint32_t sel, int cols)
{
	char label[16];
	bool any = false;
	for (int rx = 1; rx >= 0; rx--) {
		for (int q = 0; q < KP_MAX_QUEUES; q++) {
			int count = kp_nic_ring_count(dev, rx, q);
			if (count <= 0)
				break;
			struct kp_ring_view v;
			memset(&v, 0, sizeof(v));
			v.desc = calloc((size_t)count, sizeof(*v.desc));
			if (!v.desc)
				return any;
			int err = rx ? kp_nic_rx_ring_view(dev, q, &v)
				     : kp_nic_tx_ring_view(dev, q, &v);
			if (!err && v.count <= (uint32_t)count) {
				snprintf(label, sizeof(label), "%s%d",
					 rx ? "rx" : "tx", q);
				view_lines(out, label, rx, &v, sel, cols);
				any = true;
			}
			free(v.desc);
		}
	}
	return any;
}

static void ring_lines(struct tui_lines *out, const char *label, bool rx,
		       uint32_t n, uint32_t head, uint32_t tail,
		       uint32_t fetch, int cols)
{
	char cells[512];
	int width = cols - 12;
	if (width < 8)
		width = 8;
	if (width > (int)sizeof(cells) - 1)
		width = (int)sizeof(cells) - 1;
	uint32_t per = (n + (uint32_t)width - 1) / (uint32_t)width;
	if (per == 0)
		per = 1;
	int ncell = (int)((n + per - 1) / per);
	for (int c = 0; c < ncell; c++) {
		char best = ' ';
		for (uint32_t i = (uint32_t)c * per; i < (uint32_t)(c + 1) * per &&
						    i < n; i++) {
			char s;
			if (in_range(i, head % n, fetch % n, n))
				s = '*';
			else if (in_range(i, head % n, tail % n, n))
				s = rx ? '.' : 'q';
			else
				s = rx ? 'd' : '.';
			if (best == ' ' || cell_rank(s) > cell_rank(best))
				best = s;
		}
		cells[c] = best;
	}
	cells[ncell] = '\0';
	uint32_t dma = fetch >= head ? fetch - head : fetch + n - head;
	tui_lines_printf(out, TUI_A_NORMAL,
			 "  %s %u desc  %s %u  %s %u  in DMA %u%s", label, n,
			 rx ? "RDH" : "TDH", head, rx ? "RDT" : "TDT", tail, dma,
			 per > 1 ? "  (1 cell = several)" : "");
	tui_lines_printf(out, TUI_A_NORMAL, "   [%s]", cells);
}

static void render_nic(struct tui_lines *out, struct kp_nic *nic,
		       const char *name, int cols)
{
	char label[16];
	tui_lines_printf(out, TUI_A_HEAD, "%s device %s  queues %d", name,
			 nic->slot, nic->nr_queues);
	for (int q = 0; q < nic->nr_queues && q < KP_NIC_MAX_QUEUES; q++) {
		const struct kp_nic_rxq *r = &nic->rxq[q];
		if (r->rdlen / 16 == 0)
			continue;
		snprintf(label, sizeof(label), "rx%d", q);
		ring_lines(out, label, true, r->rdlen / 16, r->rdh, r->rdt,
			   r->next_fetch, cols);
	}
	for (int q = 0; q < nic->nr_queues && q < KP_NIC_MAX_QUEUES; q++) {
		const struct kp_nic_txq *tq = &nic->txq[q];
		if (tq->tdlen / 16 == 0)
			continue;
		snprintf(label, sizeof(label), "tx%d", q);
		ring_lines(out, label, false, tq->tdlen / 16, tq->tdh, tq->tdt,
			   tq->next_fetch, cols);
	}
}

static void render_netdev(struct tui_lines *out, struct net_device *dev,
			  uint32_t sel, int cols, bool *rings)
{
	struct napi_struct *napi;
	tui_lines_printf(out, TUI_A_HEAD,
			 "%s %s%s mtu %u  rx %llu tx %llu  drop %llu "
			 "missed %llu",
			 dev->name, dev->flags & IFF_UP ? "UP" : "DOWN",
			 dev->flags & IFF_LOWER_UP ? ",LOWER_UP" : "", dev->mtu,
			 (unsigned long long)dev->stats.rx_packets,
			 (unsigned long long)dev->stats.tx_packets,
			 (unsigned long long)(dev->stats.rx_dropped +
					      dev->rx_dropped),
			 (unsigned long long)dev->stats.rx_missed_errors);
	if (render_driver_rings(out, dev, sel, cols))
		*rings = true;
	if (!dev->napi_list.next)
		return;
	list_for_each_entry(napi, &dev->napi_list, dev_list) {
		bool sched = test_bit(NAPI_STATE_SCHED, &napi->state);
		char where[40] = "";
		if (sched && napi->cpu >= 0)
			snprintf(where, sizeof(where), " on cpu%d poll_list",
				 napi->cpu);
		tui_lines_printf(out, TUI_A_NORMAL,
				 "  napi#%u %s %s%s  polls %llu pkts %llu",
				 napi->kp.id, napi->name,
				 sched ? "SCHED" : "idle", where,
				 (unsigned long long)napi->polls,
				 (unsigned long long)napi->packets);
	}
}

/* The cell legend: one line when it fits in @cols, else two. */
static void legend(struct tui_lines *out, int cols, const char *rx,
		   const char *tx)
{
	if ((int)(strlen(rx) + strlen(tx)) + 2 <= cols) {
		tui_lines_printf(out, TUI_A_DIM, "%s |%s", rx, tx + 1);
		return;
	}
	tui_lines_add(out, TUI_A_DIM, rx);
	tui_lines_add(out, TUI_A_DIM, tx);
}

static void nic_render(struct tui *t, struct tui_pane *p,
		       struct tui_lines *out, int rows, int cols)
{
	(void)p;
	(void)rows;
	struct kp_host *h = tui_host(t);
	struct net_device *dev;
	char name[16];
	int shown = 0;
	bool rings = false;
	if (!h) {
		tui_lines_add(out, TUI_A_DIM, "(no host)");
		return;
	}
	struct net *net = h->net;
	if (net && net->dev_base_head.next) {
		list_for_each_entry(dev, &net->dev_base_head, dev_list) {
			render_netdev(out, dev, t->skb_sel, cols, &rings);
			shown++;
		}
	}
	/* no driver view: the rings as the device's registers say */
	for (int i = 0; !rings && i < KP_MAX_QUEUES; i++) {
		snprintf(name, sizeof(name), "eth%d", i);
		struct kp_nic *nic = kp_nic_by_name(h, name);
		if (!nic)
			break;
		render_nic(out, nic, nic->ifname[0] ? nic->ifname : name, cols);
		shown++;
	}
	if (!shown)
		tui_lines_add(out, TUI_A_DIM, "(no NIC on this host)");
	else if (rings)
		legend(out, cols, "  RX . device's * DMA D done d driver's",
		       "  TX q posted . free | @ followed skb");
	else
		legend(out, cols, "  RX . device's  * DMA  d driver's",
		       "  TX q queued  * DMA  . free");
}

static void nic_title(struct tui *t, struct tui_pane *p, char *buf,
		      size_t size)
{
	(void)p;
	struct kp_host *h = tui_host(t);
	snprintf(buf, size, "%s", h ? h->name : "?");
}

const struct tui_pane_ops tui_pane_nic = {
	.name = "NIC",
	.key = '4',
	.left = true,
	.weight = 3,
	.mark_changes = true,
	.render = nic_render,
	.on_key = NULL,
	.title = nic_title,
};
