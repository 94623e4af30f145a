/*
 * session.h - one debugging session: the world and how to rebuild it, the
 * settings, where command output goes, the script position for messages,
 * and what scripts and `expect` need to remember (the last command's
 * output, failed expects, errors).  Everything mutable that the UI keeps
 * hangs off struct kp_session, the way the model's state hangs off
 * struct kp_world; the REPL, batch mode and the TUI each drive one.
 *
 * The world starts lazily.  kp_session_new builds it at power-on (nothing
 * has run); the first command that needs a booted world starts it:
 * "starting" is running from power-on until the run stops - when nothing
 * is left to do (boot finished) or at a breakpoint.  Commands flagged
 * KP_CMD_SETUP never start it; commands flagged KP_CMD_RUNS (step,
 * continue...) make their own run the first one.
 */
#ifndef KP_UI_SESSION_H
#define KP_UI_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/world.h"
#include "kernel/kernel.h"
#include "out.h"

/* Output remembered by `save output NAME`. */
struct kp_saved_output {
	char *name;
	char *text;
	struct kp_saved_output *next;
};

struct kp_session {
	/* the world, and the configuration of the next one (reboot) */
	struct kp_world *world;
	struct kp_world_config cfg;
	bool started;     /* has run from power-on */
	bool interrupted; /* the last run was stopped by Ctrl-C */
	bool sliced;      /* ... or by the end of its wall-clock slice */

	/* settings that are not world configuration */
	bool echo_commands;

	/* where commands print: stdout, or a TUI pane */
	struct kp_out *out;
	/* the output of the command running now (s->out plus the captures
	 * of it and of the commands around it, e.g. source) */
	struct kp_out *cur_out;
	bool batch; /* no human watching: pause does not wait */

	/* position in the script being run, for "FILE:LINE: " messages;
	 * file is NULL outside scripts */
	const char *file;
	int line;
	const char *dir;  /* directory `source` resolves relative names in */
	int source_depth;

	/* results */
	int errors;          /* failed commands in scripts and batch */
	int expects;         /* expects evaluated */
	int expect_failures; /* ... of which failed */
	bool quit;
	int quit_code;       /* -1: the default exit status */
	struct kp_strbuf last_output;
	struct kp_saved_output *saved;

	/* input log, watchpoints, displays, trace filter (debugger.h) */
	struct kp_dbg *dbg;
};

/* A session printing to @out with a world built from @cfg; NULL if the
 * world could not be built. */
struct kp_session *kp_session_new(const struct kp_world_config *cfg,
				  struct kp_out *out);
void kp_session_free(struct kp_session *s);

/*
 * Run one command line.  Its output goes to s->out and is captured as the
 * last output (unless the command keeps the previous one).  Returns 0 or
 * a negative error that was already reported.
 */
int kp_session_exec(struct kp_session *s, const char *line);
int kp_session_exec_argv(struct kp_session *s, int argc, char **argv);

/* Where output goes now: through the captures of the commands running
 * (a sourced script's output is part of `source`'s), to s->out. */
struct kp_out *kp_session_out(struct kp_session *s);

/* "FILE:LINE: " when running a script, nothing otherwise. */
void kp_session_print_location(struct kp_session *s, struct kp_out *out);

/* The exit status of batch mode: 2 after an error, 1 after a failed
 * expect, else 0 (or the code given to quit). */
int kp_session_exit_status(const struct kp_session *s);

/* ---- the world (run.c) ---- */

/* Make sure the world has started; prints the stop if the start did not
 * simply finish booting (a breakpoint during boot). */
int kp_session_start(struct kp_session *s, struct kp_out *out);
/* One run of the world in @mode (kp_world_set_mode + kp_world_run),
 * interruptible with Ctrl-C when a human is watching. */
enum kp_stop_reason kp_session_run(struct kp_session *s,
				   enum kp_run_mode mode, uint64_t arg);
/* A continue that also ends after @wall_ns of wall-clock time (the TUI's
 * slices): then it returns KP_STOP_REQUEST with s->sliced set, stopped at
 * a proper stop point like Ctrl-C.  Stops never change the run's order,
 * so where slices end leaves the trace as one continue would. */
enum kp_stop_reason kp_session_run_slice(struct kp_session *s,
					 uint64_t wall_ns);
/* Print where and why the last run stopped. */
void kp_session_report_stop(struct kp_session *s, struct kp_out *out);
/* Replace the world with a new one at power-on built from s->cfg,
 * keeping breakpoints (same numbers) and settings. */
int kp_session_reboot(struct kp_session *s);

/* ---- scripts (script.c) ---- */

/*
 * Run one line of a script or of batch input at FILE:LINE (@file may be
 * NULL for -c commands): blank lines and "#" comments are skipped; an
 * error is counted in s->errors.  Returns 0 or the negative error.
 */
int kp_script_exec_line(struct kp_session *s, const char *file, int line,
			const char *text);
/* Run the commands of @f (named @name in messages) until the end, an
 * error, or quit.  @dir: where `source` finds relative names (NULL: the
 * current directory). */
int kp_script_run_stream(struct kp_session *s, FILE *f, const char *name,
			 const char *dir);
/* `source FILE`: @path relative to the running script's directory. */
int kp_script_source(struct kp_session *s, const char *path,
		     struct kp_out *out);

/* ---- remembered outputs ---- */

int kp_session_save_output(struct kp_session *s, const char *name);
const char *kp_session_saved_output(const struct kp_session *s,
				    const char *name);

#endif
