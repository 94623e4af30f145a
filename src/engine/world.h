/*
 * world.h - struct kp_world, the root of one emulation, and the engine's
 * view of a CPU (struct kp_vcpu).
 *
 * Everything mutable hangs off the world: the event queue, the clock, the
 * trace, breakpoints, the PRNG, the object-id counters, and (as opaque
 * pointers the engine never looks into) the hosts and links that the
 * kernel layer builds.  Two worlds can live in one process.
 */
#ifndef KP_ENGINE_WORLD_H
#define KP_ENGINE_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "coro.h"
#include "eventq.h"
#include "ids.h"
#include "prng.h"
#include "trace.h"

#define KP_MAX_DEPTH 96
#define KP_MAX_HOSTS 16
#define KP_MAX_BREAKPOINTS 64
#define KP_NR_PROBES_MAX 1024

struct kp_host;
struct kp_link;
struct kp_vcpu;
struct kp_world;

/* struct kp_frame, one call frame of the shadow stack, is in trace.h. */

/*
 * At the bottom of every coroutine stack, as thread_info was at the bottom
 * of a 3.10 kernel stack.  Interrupts taken while this stack runs nest
 * their frames on it, as they nest on the interrupted stack in Linux.
 */
struct kp_thread_info {
	struct kp_vcpu *cpu; /* the CPU running this stack now */
	void *task;          /* struct task_struct that owns the stack */
	uint32_t depth;
	/* the world: a probe's return finds its stop flag in one load */
	struct kp_world *world;
	struct kp_frame frames[KP_MAX_DEPTH];
};

struct kp_vcpu_ops {
	/* Take the pending hard interrupts now (irqs are enabled). */
	void (*take_irq)(struct kp_vcpu *v);
};

/* The engine's part of a CPU; sched's struct kp_cpu embeds it. */
struct kp_vcpu {
	struct kp_world *world;
	const struct kp_vcpu_ops *ops;
	uint64_t clock;      /* this CPU's virtual time, ns */
	struct kp_coro *coro; /* the stack running on this CPU */
	uint16_t host_id, cpu_id;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* ctx in byte 2 of a zeroed word: the word is a frame head's ctx
	 * part (ctx << 16), which a probe ORs in with one load */
	union {
		uint32_t ctx_head;
		struct {
			uint8_t ctx_zero_[2];
			uint8_t ctx; /* enum kp_ctx_kind of what runs now */
			uint8_t ctx_zero2_;
		};
	};
#else
	uint8_t ctx;          /* enum kp_ctx_kind of what runs now */
#endif
	bool irq_pending;     /* a device raised a vector for this CPU */
	bool irqs_disabled;   /* local_irq_disable() state */
	bool halted;          /* idle in hlt: no resume event queued */
	uint32_t pid;         /* pid of the task the CPU runs: set it with
			       * kp_vcpu_set_pid */
	/* host, cpu and pid as a trace record's `where` (depth 0) */
	uint64_t trace_where;
	uint32_t resume_handle;
	uint64_t idle_ns;     /* time spent halted */
};

enum kp_run_mode {
	KP_RUN_CONTINUE,
	KP_RUN_STEP,   /* stop after count probes, anywhere */
	KP_RUN_NEXT,   /* next probe in the same stack at depth <= depth */
	KP_RUN_FINISH, /* when the frame at depth returns */
	KP_RUN_UNTIL,  /* when virtual time reaches until */
	KP_RUN_SEQ,    /* when the trace reaches record seq */
};

enum kp_stop_reason {
	KP_STOP_NONE,
	KP_STOP_STEP,
	KP_STOP_BREAKPOINT,
	KP_STOP_FINISH,
	KP_STOP_UNTIL,
	KP_STOP_IDLE,     /* nothing left to do */
	KP_STOP_REQUEST,  /* asked for by the model (boot done, watch, ...) */
	KP_STOP_SEQ,
};

struct kp_stop_ctl {
	/* set while the run mode or watches need every probe looked at */
	uint8_t probe_check;
	/* set while a finish needs returns looked at */
	uint8_t exit_check;
	enum kp_run_mode mode;
	uint64_t count;
	struct kp_thread_info *ti;
	uint32_t depth;
	uint64_t until;
	uint64_t target_seq;

	/* where and why the last run stopped */
	bool stopped;
	enum kp_stop_reason reason;
	int bp_number;
	const char *message;       /* for KP_STOP_REQUEST; static text */
	struct kp_vcpu *cpu;       /* CPU stopped at a probe, or NULL */
	struct kp_thread_info *at; /* its stack */
	uint64_t seq;              /* trace record of the stop */
	bool at_exit;              /* stopped on a return (finish) */
	/* the CPU a probe stopped in the middle of its turn: the next run
	 * resumes it first, so where a run stops never changes its order */
	struct kp_vcpu *paused;
};

struct kp_breakpoint {
	int number;
	uint16_t probe;
	bool temporary;
	bool enabled;
	uint64_t hits;
	char *cond_text; /* NULL when unconditional */
	void *cond;      /* parsed condition, owned via world->ops */
};

/*
 * A device event has no stack to stop on: once it stops at one of its
 * step points it runs to its end.  The step points it passes after the
 * stop wait here and are looked at, in order, when the next run starts
 * (breakpoints, steps), as if the device had paused at each.
 */
#define KP_HW_PENDING_MAX 32
struct kp_hw_pending {
	uint64_t seq; /* its trace record */
	uint16_t probe;
	bool has_obj;
	struct kp_obj obj;
};

/* Hooks the kernel layer installs. */
struct kp_world_ops {
	/* Release hosts and links. */
	void (*teardown)(struct kp_world *w);
	/* Debug builds (KP_DEBUG): check the model's invariants after each
	 * event (packet conservation); aborts with a message when broken. */
	void (*check)(struct kp_world *w);
};

/* Hooks the debugger (src/ui) installs. */
struct kp_debug_ops {
	/* Evaluate a breakpoint condition at a probe: true to stop. */
	bool (*cond_eval)(struct kp_world *w, void *cond,
			  const struct kp_vcpu *v, const struct kp_obj *obj);
	void (*cond_free)(void *cond);
	/* Watchpoints and displays: called at probes while probe_check has
	 * KP_CHECK_WATCH set; true to stop. */
	bool (*watch_check)(struct kp_world *w);
};

enum kp_check_bits {
	KP_CHECK_RUNMODE = 1,
	KP_CHECK_WATCH = 2,
};

struct kp_world {
	struct kp_eventq events;
	uint64_t now; /* time of the event being dispatched */
	struct kp_coro engine; /* the engine's own (main) context */
	struct kp_vcpu *running; /* CPU executing now, NULL in the engine */
	struct kp_prng prng;
	uint64_t seed;
	struct kp_trace trace;
	struct kp_console console;
	struct kp_ids ids;
	struct kp_stop_ctl stop_ctl;
	const struct kp_world_ops *ops;
	const struct kp_debug_ops *dbg;
	void *dbg_data; /* owned by the debugger */

	uint8_t bp_count[KP_NR_PROBES_MAX]; /* breakpoints per probe */
	struct kp_breakpoint bps[KP_MAX_BREAKPOINTS];
	int nr_bps;
	int next_bp_number;

	uint32_t probe_cost[KP_NR_PROBES_MAX];

	struct kp_hw_pending hw_pending[KP_HW_PENDING_MAX];
	unsigned nr_hw_pending, hw_pending_next;
	/* latest virtual time any CPU reached (an idle world's time) */
	uint64_t reached;

	struct kp_host *hosts[KP_MAX_HOSTS];
	int nr_hosts;
	struct kp_link **links;
	int nr_links;
	void *kernel; /* the kernel layer's world-wide state */
};

int kp_world_init(struct kp_world *w, uint64_t seed, unsigned trace_order);
void kp_world_destroy(struct kp_world *w);

/* Run events until a stop condition; returns why it stopped. */
enum kp_stop_reason kp_world_run(struct kp_world *w);
/* Set up the next run (clears the previous stop). */
void kp_world_set_mode(struct kp_world *w, enum kp_run_mode mode,
		       uint64_t arg);
/* Ask the run loop to stop after the current event or probe. */
void kp_world_request_stop(struct kp_world *w, const char *message);

/* Queue an event at absolute virtual time @t. */
static inline int kp_world_at(struct kp_world *w, uint64_t t, kp_event_fn fn,
			      void *arg, uint64_t data, uint32_t *handle)
{
	return kp_eventq_push(&w->events, t, fn, arg, data, handle);
}

/* CPUs */
void kp_vcpu_init(struct kp_vcpu *v, struct kp_world *w,
		  const struct kp_vcpu_ops *ops, uint16_t host_id,
		  uint16_t cpu_id);
/* The task @v runs now (its pid in trace records). */
static inline void kp_vcpu_set_pid(struct kp_vcpu *v, uint32_t pid)
{
	struct kp_trace_rec r = { .host = (uint8_t)v->host_id,
				  .cpu = (uint8_t)v->cpu_id,
				  .pid = pid };
	v->pid = pid;
	v->trace_where = r.where;
}
/* Queue a resume of @v at its clock and switch to the engine. */
void kp_vcpu_yield(struct kp_vcpu *v);
/* Yield until @v is the earliest, then take pending interrupts (the
 * usual end of a probe's slow path). */
void kp_vcpu_catch_up(struct kp_vcpu *v);
/* Idle: switch to the engine with no resume queued; a kick resumes. */
void kp_vcpu_halt(struct kp_vcpu *v);
/* Make a halted CPU run again at time @t (an interrupt, an IPI). */
void kp_vcpu_kick(struct kp_vcpu *v, uint64_t t);
/* Start a CPU's first context at time @t. */
void kp_vcpu_start(struct kp_vcpu *v, struct kp_coro *first, uint64_t t);

/* A device event seen as a step point: trace record + stop checks. */
void kp_probe_hw(struct kp_world *w, int probe, uint16_t host,
		 const struct kp_obj *obj, uint64_t arg);
/* At the start of a run: stop at a device step point passed after the
 * last stop (see struct kp_hw_pending); true if the run stops there. */
bool kp_probe_hw_pending(struct kp_world *w);

/* Breakpoints */
int kp_break_add(struct kp_world *w, int probe, bool temporary,
		 char *cond_text, void *cond);
int kp_break_delete(struct kp_world *w, int number);
void kp_break_delete_all(struct kp_world *w);
struct kp_breakpoint *kp_break_find(struct kp_world *w, int number);

/* Time of the stop point: the stopped CPU's clock, else the world's. */
uint64_t kp_world_time(const struct kp_world *w);
/* The latest virtual time anything reached: CPUs run past the last event
 * before they halt ("Nothing left to do at t=..."). */
uint64_t kp_world_time_reached(const struct kp_world *w);

#endif
