/*
 * eventq.h - the world's event queue: a binary min-heap ordered by
 * (time, sequence number).  Ties never depend on addresses: two events
 * at the same virtual time run in the order they were queued.
 *
 * An event may carry a handle (a uint32_t the owner keeps); the queue
 * keeps the event's position there so the owner can cancel it (del_timer,
 * a device re-arming its interrupt throttle timer).
 *
 * CPU resumes (kp_eventq_push_resume) are the most frequent events and
 * never more than one per CPU: they wait in a small sorted side array
 * instead of the heap, and a pop takes the earlier of the two heads.  They
 * draw their sequence numbers from the same counter, so the order of
 * events is exactly the one a single heap would give.
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
	uint32_t *handle; /* position + 1 while queued (see eventq.c), 0 when not */
};

#define KP_EVENTQ_SIDE_MAX 32
#define KP_EVENTQ_NEAR_MAX 4

struct kp_eventq {
	/* The earliest few non-resume events, when they came in earlier
	 * than the heap's head, wait here instead, latest first: device
	 * events (the next frame on the wire, a DMA completion) are nearly
	 * always the earliest, and this array takes and gives them without
	 * sifting through the timers in the heap.  Invariant: every event
	 * here comes before every event in the heap. */
	struct kp_event near[KP_EVENTQ_NEAR_MAX];
	size_t near_len;
	struct kp_event *heap;
	size_t len, cap;
	uint64_t next_seq;
	/* earliest time queued (heap or side), UINT64_MAX when empty */
	uint64_t next_time;
	/* CPU resumes, sorted by (time, seq) */
	struct kp_event side[KP_EVENTQ_SIDE_MAX];
	size_t side_len;
};

void kp_eventq_init(struct kp_eventq *q);
void kp_eventq_free(struct kp_eventq *q);
/* Queue fn(arg, data) at @time.  @handle may be NULL.  Returns 0 or -ENOMEM. */
int kp_eventq_push(struct kp_eventq *q, uint64_t time, kp_event_fn fn,
		   void *arg, uint64_t data, uint32_t *handle);
/* Take a sequence number now for an event queued later with
 * kp_eventq_push_seq: it keeps its place among events queued in between
 * (a device keeping its own queue, with one event for its head). */
static inline uint64_t kp_eventq_take_seq(struct kp_eventq *q)
{
	return q->next_seq++;
}
int kp_eventq_push_seq(struct kp_eventq *q, uint64_t time, uint64_t seq,
		       kp_event_fn fn, void *arg, uint64_t data,
		       uint32_t *handle);
/* The same, for an event of which only a few are ever queued at once (a
 * CPU's resume): kept out of the heap.  Same order as kp_eventq_push. */
int kp_eventq_push_resume(struct kp_eventq *q, uint64_t time, kp_event_fn fn,
			  void *arg, uint64_t data, uint32_t *handle);
/* The same with a sequence number taken earlier (kp_eventq_take_seq): a
 * CPU that ran device events itself before it queued its resume. */
int kp_eventq_push_resume_seq(struct kp_eventq *q, uint64_t time,
			      uint64_t seq, kp_event_fn fn, void *arg,
			      uint64_t data, uint32_t *handle);
bool kp_eventq_pop(struct kp_eventq *q, struct kp_event *out);
/*
 * A CPU gives way (kp_vcpu_yield): the same as kp_eventq_push_resume of
 * its resume (@time, @fn, @arg, @handle) followed by a pop, when that pop
 * would return a resume (@fn) not later than @limit - done in one step,
 * and without queueing anything when the new resume would come out
 * first.  Returns the popped event's arg (@arg itself in that case) and
 * its time in *@t; NULL when the earliest event is something else,
 * after which nothing has changed.
 */
static inline void *kp_eventq_yield_resume(struct kp_eventq *q,
					   uint64_t time, kp_event_fn fn,
					   void *arg, uint32_t *handle,
					   uint64_t limit, uint64_t *t);
/* Remove the event whose handle is @handle, if queued. */
void kp_eventq_cancel(struct kp_eventq *q, uint32_t *handle);
/* Events queued. */
size_t kp_eventq_len(const struct kp_eventq *q);

static inline uint64_t kp_eventq_next_time(const struct kp_eventq *q)
{
	return q->next_time;
}

/* Position + 1 of an event in the side array, as kept in its handle. */
#define KP_EVENTQ_SIDE_BIT 0x80000000u
/* ... and in the near array. */
#define KP_EVENTQ_NEAR_BIT 0x40000000u

/* The earliest event outside the side array (near array or heap), or
 * NULL. */
static inline const struct kp_event *kp_eventq_first_timed(
	const struct kp_eventq *q)
{
	if (q->near_len)
		return &q->near[q->near_len - 1];
	return q->len ? &q->heap[0] : NULL;
}

/*
 * Take the earliest event when it is the near array's (check that
 * first: kp_eventq_first_timed(q) == &q->near[q->near_len - 1] and no
 * side entry before it), without copying it out: the entry stays
 * readable until the next push.
 */
static inline const struct kp_event *kp_eventq_take_near(struct kp_eventq *q)
{
	const struct kp_event *e = &q->near[--q->near_len];
	if (e->handle)
		*e->handle = 0;
	const struct kp_event *h = kp_eventq_first_timed(q);
	uint64_t t = h ? h->time : UINT64_MAX;
	if (q->side_len && q->side[0].time < t)
		t = q->side[0].time;
	q->next_time = t;
	return e;
}

/* Inline: two busy CPUs hand over at nearly every probe, so this is the
 * engine's hottest path after the probe itself.  The side entries are
 * written in place, no event is built and copied. */
static inline void *kp_eventq_yield_resume(struct kp_eventq *q,
					   uint64_t time, kp_event_fn fn,
					   void *arg, uint32_t *handle,
					   uint64_t limit, uint64_t *t)
{
	uint64_t next_time = q->next_time;
	/* Earlier than everything queued (ties go to the older event): it
	 * would be pushed and popped at once.  Not taking a sequence number
	 * changes no order - only their order matters. */
	if (time < next_time) {
		if (time > limit)
			return NULL;
		*t = time;
		return arg;
	}
	struct kp_event *side = q->side;
	size_t n = q->side_len;
	/* The side head is the earliest event unless the heap's head is
	 * earlier, or as early and older (next_time is the earlier head). */
	const struct kp_event *h = kp_eventq_first_timed(q);
	if (!n || side[0].time != next_time ||
	    (h && h->time == next_time && h->seq < side[0].seq))
		return NULL; /* the heap's head comes first */
	if (side[0].fn != fn || next_time > limit)
		return NULL;
	void *next = side[0].arg;
	*t = next_time;
	if (side[0].handle)
		*side[0].handle = 0;
	/* Take out the head and put the new resume (the newest seq) after
	 * every entry not later than it, in one pass. */
	size_t i = 0;
	while (i + 1 < n && side[i + 1].time <= time) {
		side[i] = side[i + 1];
		if (side[i].handle)
			*side[i].handle = KP_EVENTQ_SIDE_BIT | (uint32_t)(i + 1);
		i++;
	}
	struct kp_event *e = &side[i];
	e->time = time;
	e->seq = q->next_seq++;
	e->fn = fn;
	e->arg = arg;
	e->data = 0;
	e->handle = handle;
	if (handle)
		*handle = KP_EVENTQ_SIDE_BIT | (uint32_t)(i + 1);
	uint64_t nt = side[0].time;
	if (h && h->time < nt)
		nt = h->time;
	q->next_time = nt;
	return next;
}

#endif
