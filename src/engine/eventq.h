/*
 * eventq.h - the world's event queue: a binary min-heap ordered by
 * (time, sequence number).  Ties never depend on addresses: two events
 * at the same virtual time run in the order they were queued.
 *
 * An event may carry a handle (a uint32_t the owner keeps); the heap keeps
 * the event's position there so the owner can cancel it (del_timer, a
 * device re-arming its interrupt throttle timer).
 */
#ifndef KP_ENGINE_EVENTQ_H
#define KP_ENGINE_EVENTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kp_world;

typedef void (*kp_event_fn)(struct kp_world *w, void *arg, uint64_t data);

struct kp_event {
	uint64_t time;
	uint64_t seq;
	kp_event_fn fn;
	void *arg;
	uint64_t data;
	uint32_t *handle; /* 1 + heap index while queued, 0 when not */
};

struct kp_eventq {
	struct kp_event *heap;
	size_t len, cap;
	uint64_t next_seq;
};

void kp_eventq_init(struct kp_eventq *q);
void kp_eventq_free(struct kp_eventq *q);
/* Queue fn(arg, data) at @time.  @handle may be NULL.  Returns 0 or -ENOMEM. */
int kp_eventq_push(struct kp_eventq *q, uint64_t time, kp_event_fn fn,
		   void *arg, uint64_t data, uint32_t *handle);
bool kp_eventq_pop(struct kp_eventq *q, struct kp_event *out);
/* Remove the event whose handle is @handle, if queued. */
void kp_eventq_cancel(struct kp_eventq *q, uint32_t *handle);

static inline uint64_t kp_eventq_next_time(const struct kp_eventq *q)
{
	return q->len ? q->heap[0].time : UINT64_MAX;
}

#endif
