/*
 * eventq.c - binary heap of events ordered by (time, seq), plus the small
 * sorted side array of CPU resumes (see eventq.h).  (Measured with bench
 * event_ns: binary 56 ns, 4-ary 60 ns, 8-ary 80 ns, binary with Floyd's
 * bottom-up removal 89 ns: the plain one stays.)
 *
 * A handle holds the position + 1 of its event: the heap index, or
 * SIDE_BIT | side index for an event in the side array.
 */
#include "eventq.h"

#include <errno.h>
#include <stdlib.h>

#define SIDE_BIT KP_EVENTQ_SIDE_BIT

static inline bool ev_before(const struct kp_event *a, const struct kp_event *b)
{
	if (a->time != b->time)
		return a->time < b->time;
	return a->seq < b->seq;
}

static inline void ev_place(struct kp_eventq *q, size_t i,
			    const struct kp_event *e)
{
	q->heap[i] = *e;
	if (e->handle)
		*e->handle = (uint32_t)(i + 1);
}

static inline void side_place(struct kp_eventq *q, size_t i,
			      const struct kp_event *e)
{
	q->side[i] = *e;
	if (e->handle)
		*e->handle = SIDE_BIT | (uint32_t)(i + 1);
}

static inline void update_next_time(struct kp_eventq *q)
{
	const struct kp_event *h = kp_eventq_first_timed(q);
	uint64_t t = h ? h->time : UINT64_MAX;
	if (q->side_len && q->side[0].time < t)
		t = q->side[0].time;
	q->next_time = t;
}

/* Put @e at hole @i, moving parents down while @e comes before them. */
static void sift_up_from(struct kp_eventq *q, size_t i,
			 const struct kp_event *ep)
{
	struct kp_event e = *ep;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ev_before(&e, &q->heap[parent]))
			break;
		ev_place(q, i, &q->heap[parent]);
		i = parent;
	}
	ev_place(q, i, &e);
}

static void sift_up(struct kp_eventq *q, size_t i)
{
	struct kp_event e = q->heap[i];
	sift_up_from(q, i, &e);
}

/* Put @e at hole @i, moving children up while one comes before @e. */
static void sift_down_from(struct kp_eventq *q, size_t i,
			   const struct kp_event *ep)
{
	struct kp_event e = *ep;
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= q->len)
			break;
		if (child + 1 < q->len &&
		    ev_before(&q->heap[child + 1], &q->heap[child]))
			child++;
		if (!ev_before(&q->heap[child], &e))
			break;
		ev_place(q, i, &q->heap[child]);
		i = child;
	}
	ev_place(q, i, &e);
}

static void sift_down(struct kp_eventq *q, size_t i)
{
	struct kp_event e = q->heap[i];
	sift_down_from(q, i, &e);
}

void kp_eventq_init(struct kp_eventq *q)
{
	q->near_len = 0;
	q->heap = NULL;
	q->len = q->cap = 0;
	q->next_seq = 0;
	q->next_time = UINT64_MAX;
	q->side_len = 0;
}

void kp_eventq_free(struct kp_eventq *q)
{
	for (size_t i = 0; i < q->near_len; i++)
		if (q->near[i].handle)
			*q->near[i].handle = 0;
	for (size_t i = 0; i < q->len; i++)
		if (q->heap[i].handle)
			*q->heap[i].handle = 0;
	for (size_t i = 0; i < q->side_len; i++)
		if (q->side[i].handle)
			*q->side[i].handle = 0;
	free(q->heap);
	kp_eventq_init(q);
}

size_t kp_eventq_len(const struct kp_eventq *q)
{
	return q->len + q->side_len + q->near_len;
}

static int heap_push(struct kp_eventq *q, const struct kp_event *e)
{
	if (q->len == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 256;
		struct kp_event *heap = realloc(q->heap, cap * sizeof(*heap));
		if (!heap)
			return -ENOMEM;
		q->heap = heap;
		q->cap = cap;
	}
	sift_up_from(q, q->len++, e);
	return 0;
}

static inline void near_place(struct kp_eventq *q, size_t i,
			      const struct kp_event *e)
{
	q->near[i] = *e;
	if (e->handle)
		*e->handle = KP_EVENTQ_NEAR_BIT | (uint32_t)(i + 1);
}

static void near_remove_at(struct kp_eventq *q, size_t i)
{
	if (q->near[i].handle)
		*q->near[i].handle = 0;
	q->near_len--;
	for (; i < q->near_len; i++)
		near_place(q, i, &q->near[i + 1]);
}

/* Queue @e among the timed events: the near array when it comes before
 * everything in the heap, else the heap. */
static inline __attribute__((always_inline)) int
timed_push(struct kp_eventq *q, const struct kp_event *e)
{
	if (q->len && !ev_before(e, &q->heap[0]))
		return heap_push(q, e);
	size_t i = q->near_len;
	if (i == KP_EVENTQ_NEAR_MAX) {
		if (!ev_before(e, &q->near[0]))
			return heap_push(q, e); /* the heap's new head */
		/* the latest near event becomes the heap's head */
		int err = heap_push(q, &q->near[0]);
		if (err)
			return err;
		q->near[0].handle = NULL;
		near_remove_at(q, 0);
		i = q->near_len;
	}
	/* latest first: move the earlier ones up */
	while (i > 0 && ev_before(&q->near[i - 1], e)) {
		near_place(q, i, &q->near[i - 1]);
		i--;
	}
	near_place(q, i, e);
	q->near_len++;
	return 0;
}

/* One timed event with @seq into the heap (or the near array). */
static inline __attribute__((always_inline)) int
push_timed_seq(struct kp_eventq *q, uint64_t time, uint64_t seq,
	       kp_event_fn fn, void *arg, uint64_t data, uint32_t *handle)
{
	struct kp_event e = {
		.time = time,
		.seq = seq,
		.fn = fn,
		.arg = arg,
		.data = data,
		.handle = handle,
	};
	int err = timed_push(q, &e);
	if (err)
		return err;
	if (time < q->next_time)
		q->next_time = time;
	return 0;
}

int kp_eventq_push_seq(struct kp_eventq *q, uint64_t time, uint64_t seq,
		       kp_event_fn fn, void *arg, uint64_t data,
		       uint32_t *handle)
{
	return push_timed_seq(q, time, seq, fn, arg, data, handle);
}

int kp_eventq_push(struct kp_eventq *q, uint64_t time, kp_event_fn fn,
		   void *arg, uint64_t data, uint32_t *handle)
{
	int err = push_timed_seq(q, time, q->next_seq, fn, arg, data, handle);
	if (!err)
		q->next_seq++;
	return err;
}

int kp_eventq_push_resume(struct kp_eventq *q, uint64_t time, kp_event_fn fn,
			  void *arg, uint64_t data, uint32_t *handle)
{
	if (q->side_len == KP_EVENTQ_SIDE_MAX)
		return kp_eventq_push(q, time, fn, arg, data, handle);
	/* the newest seq: it goes after every entry not later in time */
	return kp_eventq_push_resume_seq(q, time, q->next_seq++, fn, arg,
					 data, handle);
}

int kp_eventq_push_resume_seq(struct kp_eventq *q, uint64_t time,
			      uint64_t seq, kp_event_fn fn, void *arg,
			      uint64_t data, uint32_t *handle)
{
	if (q->side_len == KP_EVENTQ_SIDE_MAX)
		return kp_eventq_push_seq(q, time, seq, fn, arg, data, handle);
	struct kp_event e = {
		.time = time,
		.seq = seq,
		.fn = fn,
		.arg = arg,
		.data = data,
		.handle = handle,
	};
	size_t i = q->side_len++;
	while (i > 0 && ev_before(&e, &q->side[i - 1])) {
		side_place(q, i, &q->side[i - 1]);
		i--;
	}
	side_place(q, i, &e);
	if (time < q->next_time)
		q->next_time = time;
	return 0;
}

static void heap_remove_at(struct kp_eventq *q, size_t i)
{
	if (q->heap[i].handle)
		*q->heap[i].handle = 0;
	q->len--;
	if (i == q->len)
		return;
	q->heap[i] = q->heap[q->len];
	/* The moved event may need to go either way. */
	if (i > 0 && ev_before(&q->heap[i], &q->heap[(i - 1) / 2]))
		sift_up(q, i);
	else
		sift_down(q, i);
}

static void side_remove_at(struct kp_eventq *q, size_t i)
{
	if (q->side[i].handle)
		*q->side[i].handle = 0;
	q->side_len--;
	for (; i < q->side_len; i++)
		side_place(q, i, &q->side[i + 1]);
}

bool kp_eventq_pop(struct kp_eventq *q, struct kp_event *out)
{
	const struct kp_event *h = kp_eventq_first_timed(q);
	if (q->side_len && (!h || ev_before(&q->side[0], h))) {
		*out = q->side[0];
		side_remove_at(q, 0);
	} else if (q->near_len) {
		*out = q->near[--q->near_len];
		if (out->handle)
			*out->handle = 0;
	} else if (q->len) {
		/* heap_remove_at(q, 0) without parking the last event at the
		 * root first: it sifts down from the hole */
		*out = q->heap[0];
		if (out->handle)
			*out->handle = 0;
		if (--q->len)
			sift_down_from(q, 0, &q->heap[q->len]);
	} else {
		return false;
	}
	out->handle = NULL;
	update_next_time(q);
	return true;
}

/* kp_eventq_yield_resume is inline in eventq.h. */

void kp_eventq_cancel(struct kp_eventq *q, uint32_t *handle)
{
	if (!handle || !*handle)
		return;
	if (*handle & KP_EVENTQ_NEAR_BIT)
		near_remove_at(q, (*handle & ~KP_EVENTQ_NEAR_BIT) - 1);
	else if (*handle & SIDE_BIT)
		side_remove_at(q, (*handle & ~SIDE_BIT) - 1);
	else
		heap_remove_at(q, *handle - 1);
	update_next_time(q);
}
