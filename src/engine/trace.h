/*
 * trace.h - the trace ring: one fixed-size record per probe hit.
 *
 * The ring keeps the last 2^order records (set by the user with
 * `set trace-size`); seq counts every record ever appended, so `goto SEQ`
 * and reverse execution can name any point of a run.
 */
#ifndef KP_ENGINE_TRACE_H
#define KP_ENGINE_TRACE_H

#include <stddef.h>
#include <stdint.h>

enum kp_ctx_kind {
	KP_CTX_TASK,
	KP_CTX_SOFTIRQ,
	KP_CTX_HARDIRQ,
	KP_CTX_HW,      /* a device acting on its own (DMA, wire) */
	KP_CTX_NR
};

enum kp_trace_flags {
	KP_TRF_HW = 1, /* recorded by a device event, not a CPU */
};

struct kp_trace_rec {
	uint64_t seq;
	uint64_t time;
	uint16_t probe;
	uint8_t host, cpu, ctx, depth, obj_kind, flags;
	uint32_t pid;
	uint32_t obj_id;
	uint64_t arg;
};

struct kp_trace {
	struct kp_trace_rec *ring;
	uint64_t mask;
	uint64_t seq; /* records appended so far; next record's seq */
};

int kp_trace_init(struct kp_trace *t, unsigned order);
void kp_trace_free(struct kp_trace *t);
/* Records still in the ring (at most its size). */
uint64_t kp_trace_available(const struct kp_trace *t);
/* Record number @seq, or NULL if it left the ring or is not written yet. */
const struct kp_trace_rec *kp_trace_get(const struct kp_trace *t, uint64_t seq);

static inline struct kp_trace_rec *kp_trace_append(struct kp_trace *t)
{
	struct kp_trace_rec *r = &t->ring[t->seq & t->mask];
	r->seq = t->seq++;
	return r;
}

const char *kp_ctx_name(enum kp_ctx_kind ctx);

#endif
