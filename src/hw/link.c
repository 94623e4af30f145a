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

/*
 * Frames on their way to a port wait on its wire_in list in arrival
 * order, and only the first has an event in the world's queue: a burst
 * of a thousand frames costs the event heap one entry, not a thousand.
 * Each frame takes its sequence number when it is sent, so it arrives in
 * exactly the place among other events that an event of its own would.
 */
struct wire_frame {
	struct list_head list; /* on to->wire_in until it arrives */
	uint64_t time, seq;    /* arrival, and its place among events */
	size_t len;
	int cls;               /* size class (wire_class_bytes), or -1 */
	uint8_t data[];
};

/* Buffers of the frames that arrived wait on the port for the next
 * ones (most frames are small or full-sized): bytes of each class. */
static const size_t wire_class_bytes[2] = { 256, 1536 };
#define WIRE_CACHE_MAX 1024

static struct wire_frame *wire_frame_alloc(struct kp_nic *to, size_t len)
{
	int c = len <= wire_class_bytes[0] ? 0
		: len <= wire_class_bytes[1] ? 1
					     : -1;
	struct wire_frame *f;
	if (c >= 0 && to->wire_cache[c]) {
		f = to->wire_cache[c];
		to->wire_cache[c] = *(void **)f;
		to->wire_cached[c]--;
	} else {
		f = malloc(sizeof(*f) + (c >= 0 ? wire_class_bytes[c] : len));
		if (!f)
			return NULL;
	}
	f->cls = c;
	return f;
}

static void wire_frame_free(struct kp_nic *to, struct wire_frame *f)
{
	int c = f->cls;
	if (c < 0 || to->wire_cached[c] >= WIRE_CACHE_MAX) {
		free(f);
		return;
	}
	*(void **)f = to->wire_cache[c];
	to->wire_cache[c] = f;
	to->wire_cached[c]++;
}

static void wire_arrive(struct kp_world *w, void *arg, uint64_t data);

static int wire_arm(struct kp_world *w, struct kp_nic *to)
{
	struct wire_frame *f =
		list_first_entry(&to->wire_in, struct wire_frame, list);
	return kp_eventq_push_seq(&w->events, f->time, f->seq, wire_arrive, to,
				  0, &to->wire_event);
}

static void wire_arrive(struct kp_world *w, void *arg, uint64_t data)
{
	(void)data;
	struct kp_nic *to = arg;
	if (list_empty(&to->wire_in))
		return;
	struct wire_frame *f =
		list_first_entry(&to->wire_in, struct wire_frame, list);
	list_del(&f->list);
	if (!list_empty(&to->wire_in))
		wire_arm(w, to);
	kp_nic_rx_frame(to, f->data, f->len);
	wire_frame_free(to, f);
}

/* Queue @frame to reach @to at @t; the wire owns a copy. */
static int wire_send(struct kp_world *w, struct kp_nic *to,
		     const uint8_t *frame, size_t len, uint64_t t)
{
	size_t padded = len < ETH_MIN_FRAME ? ETH_MIN_FRAME : len;
	struct wire_frame *f = wire_frame_alloc(to, padded);
	if (!f)
		return -ENOMEM;
	f->time = t;
	f->seq = kp_eventq_take_seq(&w->events);
	f->len = padded;
	memcpy(f->data, frame, len);
	if (padded > len) /* most frames need none: no memset call */
		memset(f->data + len, 0, padded - len);
	/* after every frame arriving no later (they are older) */
	struct list_head *pos = to->wire_in.prev;
	while (pos != &to->wire_in &&
	       list_entry(pos, struct wire_frame, list)->time > t)
		pos = pos->prev;
	list_add(&f->list, pos);
	if (pos != &to->wire_in)
		return 0; /* not the first: the first's event comes before */
	/* the new first: it replaces the event of the old one */
	kp_eventq_cancel(&w->events, &to->wire_event);
	int err = wire_arm(w, to);
	if (err) {
		list_del(&f->list);
		wire_frame_free(to, f);
		if (!list_empty(&to->wire_in))
			wire_arm(w, to);
	}
	return err;
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
	kp_eventq_cancel(&nic->world->events, &nic->wire_event);
	while (!list_empty(&nic->wire_in)) {
		struct wire_frame *f =
			list_first_entry(&nic->wire_in, struct wire_frame, list);
		list_del(&f->list);
		free(f);
	}
	for (int c = 0; c < 2; c++) {
		while (nic->wire_cache[c]) {
			void *next = *(void **)nic->wire_cache[c];
			free(nic->wire_cache[c]);
			nic->wire_cache[c] = next;
		}
		nic->wire_cached[c] = 0;
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
