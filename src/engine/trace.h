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

/* One call frame of the shadow stack that `bt` prints. */
struct kp_frame {
	uint16_t probe;
	uint8_t ctx;
	uint8_t obj_kind;
	uint32_t obj_id;
	uint64_t time;
};

/* The frame is the record's middle: a probe builds it once and stores
 * it twice. */
struct kp_trace_rec {
	uint64_t seq;
	union {
		struct kp_frame call;
		struct {
			uint16_t probe;
			uint8_t ctx, obj_kind;
			uint32_t obj_id;
			uint64_t time;
		};
	};
	/* where: one word, so a probe stores it at once (kp_vcpu's
	 * trace_where plus the depth) */
	union {
		uint64_t where;
		struct {
			uint8_t host, cpu, depth, flags;
			uint32_t pid;
		};
	};
	uint64_t arg;
};

/* The shift that puts a depth into `where` (byte 2 of the struct). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define KP_TRACE_WHERE_DEPTH_SHIFT 16
#else
#define KP_TRACE_WHERE_DEPTH_SHIFT 40
#endif

struct kp_trace_sink;

struct kp_trace {
	struct kp_trace_rec *ring;
	uint64_t mask;
	uint64_t seq; /* records appended so far; next record's seq */
	/* With a file sink (trace_file.h): the seq whose record fills the
	 * ring up to the oldest one not yet written; UINT64_MAX without. */
	uint64_t flush_last;
	struct kp_trace_sink *sink;
};

int kp_trace_init(struct kp_trace *t, unsigned order);
void kp_trace_free(struct kp_trace *t);
/* Records still in the ring (at most its size). */
uint64_t kp_trace_available(const struct kp_trace *t);
/* Record number @seq, or NULL if it left the ring or is not written yet. */
const struct kp_trace_rec *kp_trace_get(const struct kp_trace *t, uint64_t seq);

/* The caller fills the record, then calls kp_trace_flush if
 * kp_trace_must_flush(t, r->seq). */
static inline struct kp_trace_rec *kp_trace_append(struct kp_trace *t)
{
	struct kp_trace_rec *r = &t->ring[t->seq & t->mask];
	r->seq = t->seq++;
	return r;
}

/* Record @seq, just written, leaves no room for the next one without
 * overwriting a record the sink has not written yet. */
static inline int kp_trace_must_flush(const struct kp_trace *t, uint64_t seq)
{
	return seq >= t->flush_last;
}

/* Write the records not yet written to the sink (trace_file.c). */
void kp_trace_flush(struct kp_trace *t);
/* The same, and out of stdio's buffer into the file: at a stop. */
void kp_trace_sync(struct kp_trace *t);

const char *kp_ctx_name(enum kp_ctx_kind ctx);

#endif
