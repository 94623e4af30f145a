/*
 * probe.h - step points.  Every emulated kernel function that matters
 * starts with
 *
 *	KP_FUNC(ip_rcv, skb);
 *
 * which pushes a frame on the running stack's shadow call stack (popped on
 * return through the cleanup attribute), charges the function's cost to the
 * CPU's clock, appends a trace record, and yields to the engine when a
 * step, a breakpoint, a pending interrupt or an earlier event elsewhere
 * asks for it.  The second argument is the object the function works on
 * (any struct with a `struct kp_obj kp` member) or NULL.
 */
#ifndef KP_ENGINE_PROBE_H
#define KP_ENGINE_PROBE_H

#include <stdint.h>

#include "coro.h"
#include "ids.h"
#include "trace.h"
#include "world.h"

enum kp_layer {
	KP_LAYER_BOOT,
	KP_LAYER_SCHED,
	KP_LAYER_IRQ,
	KP_LAYER_SOFTIRQ,
	KP_LAYER_TIMER,
	KP_LAYER_HW,
	KP_LAYER_DRIVER,
	KP_LAYER_DEV,
	KP_LAYER_GRO,
	KP_LAYER_SKB,
	KP_LAYER_IP,
	KP_LAYER_NETFILTER,
	KP_LAYER_ROUTE,
	KP_LAYER_NEIGH,
	KP_LAYER_ICMP,
	KP_LAYER_UDP,
	KP_LAYER_TCP,
	KP_LAYER_SOCK,
	KP_LAYER_SYSCALL,
	KP_LAYER_EPOLL,
	KP_LAYER_USER,
	KP_LAYER_NR
};

enum kp_probe_id {
#define KP_PROBE(name, file, layer, cost, desc) KP_P_##name,
#include "probes.def"
#undef KP_PROBE
	KP_NR_PROBES
};

struct kp_probe_info {
	const char *name;
	const char *file;
	enum kp_layer layer;
	uint32_t cost_ns;
	const char *desc;
};

extern const struct kp_probe_info kp_probes[KP_NR_PROBES];

const char *kp_layer_name(enum kp_layer layer);
/* Probe id by function name, or -1. */
int kp_probe_lookup(const char *name);

/* The probe's slow path, on the probe's own stack (it finds its thread
 * and CPU itself: the probed function keeps fewer values live across the
 * call). */
void kp_probe_slow(enum kp_probe_id id, const struct kp_obj *obj);
/* A return while a finish is armed (on the returning stack). */
void kp_probe_exit_slow(void);
__attribute__((noreturn, cold)) void
kp_probe_overflow(struct kp_thread_info *ti, enum kp_probe_id id);
void kp_probe_name_mismatch(enum kp_probe_id id, const char *func);

/* The first word of a frame (probe, ctx, obj_kind, obj_id), built in a
 * register and stored at once. */
static inline uint64_t kp_frame_head(enum kp_probe_id id, uint8_t ctx,
				     const struct kp_obj *obj)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t head = (uint64_t)id | (uint64_t)ctx << 16;
	if (obj)
		head |= obj->head;
	return head;
#else
	struct kp_frame fr = { .probe = (uint16_t)id, .ctx = ctx };
	if (obj) {
		fr.obj_kind = obj->kind;
		fr.obj_id = obj->id;
	}
	uint64_t head;
	__builtin_memcpy(&head, &fr, sizeof(head));
	return head;
#endif
}

static inline struct kp_frame *kp_probe_enter(enum kp_probe_id id,
					      const struct kp_obj *obj,
					      uint64_t arg)
{
	struct kp_thread_info *ti = kp_current_thread_info();
	struct kp_vcpu *v = ti->cpu;
	struct kp_world *w = v->world;
	uint32_t depth = ti->depth;

	if (__builtin_expect(depth >= KP_MAX_DEPTH, 0))
		kp_probe_overflow(ti, id);
	/* Each field read once, just before its first use, and the frame
	 * and record written as whole words: few values live at once, so
	 * the probed function needs few registers saved around it. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t head = (uint64_t)id | v->ctx_head;
	if (obj)
		head |= obj->head;
#else
	uint64_t head = kp_frame_head(id, v->ctx, obj);
#endif
	uint64_t time = v->clock;
	struct kp_frame *f = &ti->frames[depth];
	ti->depth = ++depth;
	__builtin_memcpy(f, &head, sizeof(head));
	f->time = time;
	uint64_t clock = time + w->probe_cost[id];
	v->clock = clock;
	uint64_t seq = w->trace.seq;
	w->trace.seq = seq + 1;
	struct kp_trace_rec *r = &w->trace.ring[seq & w->trace.mask];
	r->seq = seq;
	__builtin_memcpy(&r->call, &head, sizeof(head));
	r->time = time;
	r->where = v->trace_where | (uint64_t)(uint8_t)depth
					    << KP_TRACE_WHERE_DEPTH_SHIFT;
	r->arg = arg;

	if (__builtin_expect(w->stop_ctl.probe_check | w->bp_count[id] |
				     v->irq_pending,
			     0) ||
	    __builtin_expect(kp_eventq_next_time(&w->events) < clock, 0) ||
	    __builtin_expect(kp_trace_must_flush(&w->trace, seq), 0))
		kp_probe_slow(id, obj);
	/* the frame is popped by depth, not through this pointer: not
	 * returning it keeps it out of the registers saved across the
	 * slow call */
	(void)f;
	return (struct kp_frame *)0;
}

static inline void kp_probe_exit(struct kp_frame **fp)
{
	(void)fp;
	struct kp_thread_info *ti = kp_current_thread_info();
	ti->depth--;
	if (__builtin_expect(ti->world->stop_ctl.exit_check, 0))
		kp_probe_exit_slow();
}

#ifdef KP_DEBUG
#define KP_PROBE_CHECK_NAME(fn)                                               \
	do {                                                                  \
		if (__builtin_strcmp(__func__, #fn))                          \
			kp_probe_name_mismatch(KP_P_##fn, __func__);          \
	} while (0)
#else
#define KP_PROBE_CHECK_NAME(fn) ((void)0)
#endif

/* For KP_FUNC_ARG on a function with no object. */
struct kp_no_obj {
	struct kp_obj kp;
};
/* The object's kp member; KP_NOOBJ is chosen at compile time, so no
 * member access through a null pointer is ever formed for it. */
#define KP_OBJ_OF(obj)                                                        \
	_Generic((obj), struct kp_no_obj *: (const struct kp_obj *)0,         \
		 default: ((obj) ? &(obj)->kp : (const struct kp_obj *)0))
#define KP_NOOBJ ((struct kp_no_obj *)0)

/* Step point for function @fn working on @obj (may be NULL). */
#define KP_FUNC(fn, obj) KP_FUNC_ARG(fn, obj, 0)
/* ... with a small argument recorded in the trace (a length, a vector). */
#define KP_FUNC_ARG(fn, obj, arg)                                             \
	KP_PROBE_CHECK_NAME(fn);                                              \
	struct kp_frame *__kp_frame __attribute__((cleanup(kp_probe_exit),   \
						   unused)) =                 \
		kp_probe_enter(KP_P_##fn, KP_OBJ_OF(obj), (uint64_t)(arg))
/* Step point with no object. */
#define KP_FUNC0(fn)                                                          \
	KP_PROBE_CHECK_NAME(fn);                                              \
	struct kp_frame *__kp_frame __attribute__((cleanup(kp_probe_exit),   \
						   unused)) =                 \
		kp_probe_enter(KP_P_##fn, (const struct kp_obj *)0, 0)

#endif
