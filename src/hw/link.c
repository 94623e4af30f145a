/*
 * link.c - the Ethernet wire between two NIC ports, and frames injected
 * onto a host's wire from outside (the `inject` command, replay).
 *
 * Per direction the wire is busy while a frame serializes: (bytes + 4 FCS
 * + 20 preamble/IFG) * 8 / bandwidth; a frame sent while the wire is busy
 * waits behind the earlier ones.  It reaches the peer's MAC when its last
 * bit has crossed: serialization end + propagation latency.  A frame is
 * lost with probability cfg.loss, drawn from the world's PRNG when it is
 * sent.  Short frames are padded to 60 bytes as a sending MAC would.
 * Left out: corruption (bad FCS), carrier loss, half duplex.
 */
#include "link.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "nic.h"

#define ETH_MIN_FRAME 60
#define WIRE_MAX_FRAME 65536

struct wire_frame {
	struct list_head list; /* on to->wire_in until it arrives */
	struct kp_nic *to;
	size_t len;
	uint8_t data[];
};

static void wire_arrive(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	(void)data;
	struct wire_frame *f = arg;
	list_del(&f->list);
	kp_nic_rx_frame(f->to, f->data, f->len);
	free(f);
}

/* Queue @frame to reach @to at @t; the event owns a copy. */
static int wire_send(struct kp_world *w, struct kp_nic *to,
		     const uint8_t *frame, size_t len, uint64_t t)
{
	size_t padded = len < ETH_MIN_FRAME ? ETH_MIN_FRAME : len;
	struct wire_frame *f = calloc(1, sizeof(*f) + padded);
	if (!f)
		return -ENOMEM;
	f->to = to;
	f->len = padded;
	memcpy(f->data, frame, len);
	int err = kp_world_at(w, t, wire_arrive, f, 0, NULL);
	if (err) {
		free(f);
		return err;
	}
	/* frames still on the wire at teardown are freed with the NIC */
	list_add_tail(&f->list, &to->wire_in);
	return 0;
}

uint64_t kp_link_ser_ns(const struct kp_link *l, size_t len)
{
	uint64_t bits = (uint64_t)(len + KP_ETH_FCS + KP_ETH_PREAMBLE_IFG) * 8;
	return bits * 1000000000ull / l->cfg.bandwidth_bps;
}

uint64_t kp_link_xmit(struct kp_link *l, int side, const uint8_t *frame,
		      size_t len, uint64_t t)
{
	struct kp_link_dir *d = &l->dir[side];
	uint64_t start = t > d->busy_until ? t : d->busy_until;
	d->busy_until = start + kp_link_ser_ns(l, len);
	d->frames++;
	d->bytes += len;
	bool lost = l->cfg.loss > 0 &&
		    (double)kp_prng_below(&l->world->prng, 1000000) <
			    l->cfg.loss * 1000000.0;
	if (lost || !l->port[!side]) {
		d->lost++;
		return d->busy_until;
	}
	wire_send(l->world, l->port[!side], frame, len,
		  d->busy_until + l->cfg.latency_ns);
	return d->busy_until;
}

int kp_link_connect(struct kp_world *w, struct kp_nic *a, struct kp_nic *b,
		    const struct kp_link_config *cfg)
{
	if (!a || !b || a == b || a->link || b->link || !cfg ||
	    cfg->loss < 0 || cfg->loss > 1)
		return -EINVAL;
	struct kp_link *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	struct kp_link **links =
		realloc(w->links, (size_t)(w->nr_links + 1) * sizeof(*links));
	if (!links) {
		free(l);
		return -ENOMEM;
	}
	w->links = links;
	w->links[w->nr_links++] = l;
	l->world = w;
	l->cfg = *cfg;
	if (!l->cfg.bandwidth_bps)
		l->cfg.bandwidth_bps = 1000000000ull;
	l->port[0] = a;
	l->port[1] = b;
	a->link = l;
	a->link_side = 0;
	b->link = l;
	b->link_side = 1;
	return 0;
}

void kp_nic_wire_free(struct kp_nic *nic)
{
	while (!list_empty(&nic->wire_in)) {
		struct wire_frame *f =
			list_first_entry(&nic->wire_in, struct wire_frame, list);
		list_del(&f->list);
		free(f);
	}
	if (nic->link)
		nic->link->port[nic->link_side] = NULL;
	nic->link = NULL;
}

void kp_links_free(struct kp_world *w)
{
	for (int i = 0; i < w->nr_links; i++) {
		struct kp_link *l = w->links[i];
		for (int s = 0; s < 2; s++)
			if (l->port[s])
				l->port[s]->link = NULL;
		free(l);
	}
	free(w->links);
	w->links = NULL;
	w->nr_links = 0;
}

int kp_wire_inject(struct kp_host *h, const char *ifname,
		   const uint8_t *frame, size_t len, uint64_t at_ns)
{
	struct kp_nic *nic = kp_nic_by_name(h, ifname);
	if (!nic)
		return -ENODEV;
	if (!frame || len < 14 || len > WIRE_MAX_FRAME)
		return -EINVAL;
	struct kp_world *w = nic->world;
	return wire_send(w, nic, frame, len, at_ns > w->now ? at_ns : w->now);
}
