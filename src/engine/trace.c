/*
 * trace.c - the bounded trace ring.
 */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>

#include "trace_file.h"

int kp_trace_init(struct kp_trace *t, unsigned order)
{
	if (order < 4 || order > 26)
		return -EINVAL;
	size_t n = (size_t)1 << order;
	struct kp_trace_rec *ring = calloc(n, sizeof(*ring));
	if (!ring)
		return -ENOMEM;
	if (t->sink)
		kp_trace_flush(t); /* before the ring goes */
	else
		t->flush_last = UINT64_MAX;
	free(t->ring);
	t->ring = ring;
	t->mask = n - 1;
	if (t->sink)
		t->flush_last = t->seq + t->mask;
	return 0;
}

void kp_trace_free(struct kp_trace *t)
{
	if (t->sink)
		kp_trace_sink_close(t);
	free(t->ring);
	t->ring = NULL;
}

uint64_t kp_trace_available(const struct kp_trace *t)
{
	return t->seq < t->mask + 1 ? t->seq : t->mask + 1;
}

const struct kp_trace_rec *kp_trace_get(const struct kp_trace *t, uint64_t seq)
{
	if (seq >= t->seq || t->seq - seq > t->mask + 1)
		return NULL;
	return &t->ring[seq & t->mask];
}

const char *kp_ctx_name(enum kp_ctx_kind ctx)
{
	switch (ctx) {
	case KP_CTX_TASK:
		return "task";
	case KP_CTX_SOFTIRQ:
		return "softirq";
	case KP_CTX_HARDIRQ:
		return "hardirq";
	case KP_CTX_HW:
		return "hw";
	default:
		return "?";
	}
}
