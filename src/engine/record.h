/*
 * record.h - the input log: every input that changed the world (an
 * injected frame, a started program, a sysctl or ethtool change, a manual
 * syscall, a replayed capture...) with the point of the run at which it
 * applied.  Going back in time rebuilds the world from its configuration
 * and runs it forward, applying each logged input again at its point
 * (deterministic re-execution, DESIGN.md "Stepping").
 *
 * The engine keeps only the data: an input is opaque text (the command
 * line that made it) plus its position; the UI re-executes the text.
 *
 * A position is where the world stood when the input applied:
 *
 *	boot          before the world ran at all (power-on)
 *	probe SEQ     stopped at trace record SEQ (step, break, watch...)
 *	exit SEQ D    stopped on a return (finish) after record SEQ, the
 *	              finished frame at depth D
 *	idle N        nothing left to do, N records written
 *	until N T     stopped at virtual time T, N records written
 *	event N       stopped after an event asked for it (a network tool's
 *	              kernel call), N records written
 *
 * and is written "@SEQ", "@SEQ:exit:D", "@N:idle", "@N:until:T",
 * "@N:event", "@boot" in saved records.  Its key orders positions: by
 * records written, then a probe before a return before a stop between
 * events; an input applies on the way to a target when its key is not
 * greater than the target's.
 */
#ifndef KP_ENGINE_RECORD_H
#define KP_ENGINE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kp_world;

enum kp_pos_kind {
	KP_POS_BOOT,
	KP_POS_PROBE,
	KP_POS_EXIT,
	KP_POS_IDLE,
	KP_POS_UNTIL,
	KP_POS_EVENT,
};

struct kp_pos {
	enum kp_pos_kind kind;
	uint64_t seq; /* record (probe, exit) or records written (others) */
	uint64_t arg; /* exit: depth; until: time */
};

struct kp_input {
	struct kp_pos pos;
	/* the world's event time (kp_world.now) when it applied: an idle
	 * world's clock depends on where earlier runs stopped, so replays
	 * put it back (saved as ",t=NS" after the position) */
	uint64_t now;
	char *line; /* the command line that made the input */
};

struct kp_input_log {
	struct kp_input *v;
	size_t n, cap;
	/* inputs [0, applied) are in the current world; the rest are the
	 * recorded future after going back */
	size_t applied;
};

void kp_input_log_init(struct kp_input_log *log);
void kp_input_log_free(struct kp_input_log *log);
/* Drop the recorded future: inputs from index @n on. */
void kp_input_log_truncate(struct kp_input_log *log, size_t n);
/* Append (copies @line); -ENOMEM on failure. */
int kp_input_log_append(struct kp_input_log *log, const struct kp_pos *pos,
			uint64_t now, const char *line);

/* Where @w stands now; @started: it has run since power-on. */
void kp_pos_of_world(const struct kp_world *w, bool started,
		     struct kp_pos *pos);
/* Order of positions (see above). */
uint64_t kp_pos_key(const struct kp_pos *pos);
bool kp_pos_equal(const struct kp_pos *a, const struct kp_pos *b);
/* "@123", "@40:idle", ... into @buf. */
void kp_pos_format(const struct kp_pos *pos, char *buf, size_t size);
/* Parse "@..." (a position word); 0 or -EINVAL. */
int kp_pos_parse(const char *text, struct kp_pos *pos);
/* A position word with an optional ",t=NS" (*@now, else 0). */
int kp_pos_parse_now(const char *text, struct kp_pos *pos, uint64_t *now);

#endif
