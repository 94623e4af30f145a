/*
 * tui.h - the curses TUI: one screen of panes (CPU, trace, output, NIC,
 * sockets, epoll, packet), a status line with the last stop, and a
 * readline command line at the bottom that runs the same commands as the
 * REPL through the same session.
 *
 * Every pane renders its content into a struct tui_lines (plain text
 * with a per-line attribute), without curses; tui.c lays the panes out,
 * draws the lines and marks the cells that changed since the previous
 * stop.  So panes are testable without a terminal and the model is
 * only read, never changed, by drawing.
 *
 * All mutable state lives in struct tui, except the pointer readline's
 * callbacks need (pane_cmd.c), as in repl.c.
 */
#ifndef KP_UI_TUI_TUI_H
#define KP_UI_TUI_TUI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ui/out.h"

struct kp_session;
struct kp_host;
struct tui;

/* Line attributes (how a pane wants a line drawn). */
enum tui_attr {
	TUI_A_NORMAL,
	TUI_A_HEAD,    /* a heading inside a pane */
	TUI_A_CURRENT, /* the current line (trace: the stop) */
	TUI_A_DIM,     /* explanations, "(no NIC on this host)" */
	TUI_A_CURSOR,  /* the cursor line of the focused pane */
	TUI_A_ERROR,
	TUI_A_SEL,     /* holds the followed skb (ring, socket queue) */
	TUI_A_NR
};

/* A pane's rendered text. */
struct tui_lines {
	char **v;
	uint8_t *attr;
	int n, cap;
};

void tui_lines_init(struct tui_lines *l);
void tui_lines_free(struct tui_lines *l);
void tui_lines_reset(struct tui_lines *l);
void tui_lines_add(struct tui_lines *l, enum tui_attr attr, const char *text);
void tui_lines_printf(struct tui_lines *l, enum tui_attr attr,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append every line of @text (split at '\n'). */
void tui_lines_add_text(struct tui_lines *l, enum tui_attr attr,
			const char *text);

enum tui_pane_id {
	TUI_P_CPU,
	TUI_P_TRACE,
	TUI_P_OUTPUT,
	TUI_P_NIC,
	TUI_P_SOCK,
	TUI_P_EPOLL,
	TUI_P_PACKET,
	TUI_P_NR
};

#define TUI_FOCUS_CMD (-1)

struct tui_pane;

struct tui_pane_ops {
	const char *name;  /* title and the layout file's word */
	char key;          /* the digit that toggles it */
	bool left;         /* left column (state) or right (text) */
	int weight;        /* share of its column's rows */
	bool mark_changes; /* highlight cells changed since the last stop */
	bool fill;         /* scrolls: takes every row left (trace, output) */
	/* Fill @out for a pane of @rows x @cols (title excluded). */
	void (*render)(struct tui *t, struct tui_pane *p, struct tui_lines *out,
		       int rows, int cols);
	/* A key while the pane has focus; true if it was used. */
	bool (*on_key)(struct tui *t, struct tui_pane *p, int ch);
	/* Extra title text ("client", "skb#3"); may be NULL. */
	void (*title)(struct tui *t, struct tui_pane *p, char *buf,
		      size_t size);
};

struct tui_pane {
	const struct tui_pane_ops *ops;
	bool visible;
	int y, x, h, w;          /* screen area, title row included */
	struct tui_lines cur;    /* what is on screen now */
	struct tui_lines base;   /* the content at the previous stop */
	uint64_t cur_gen;        /* stop generation cur was rendered at */
	bool has_base;
	int scroll;              /* first line shown (panes that scroll) */
	int cursor;              /* cursor line (trace), -1: follow */
	int follow_end;          /* trace: lines from the end when scrolled */
};

/* The output pane's scrollback. */
#define TUI_SCROLLBACK 2000

struct tui {
	struct kp_session *s;
	struct kp_out out;          /* the session prints here */
	struct kp_out *saved_out;   /* the session's sink before the TUI */
	struct kp_strbuf partial;   /* output line not yet ended */
	char *scrollback[TUI_SCROLLBACK];
	int sb_first, sb_len;       /* ring of lines */

	struct tui_pane panes[TUI_P_NR];
	int focus;                  /* a pane, or TUI_FOCUS_CMD */
	int prev_focus;             /* where Esc/Enter return from the command line */
	bool cmd_oneshot;           /* leave the command line after Enter */
	int host_sel;               /* host shown, -1: the stop's host */
	uint32_t skb_sel;           /* skb followed by the packet pane, 0: none */
	int64_t trace_cursor_seq;   /* record under the trace cursor, -1: none */

	/* running (continue in slices) */
	bool running;
	uint64_t last_frame_ns;     /* wall clock of the last drawn frame */
	uint64_t gen;               /* stop generation: bumps at each stop */

	bool quit;
	bool help;                  /* the help overlay is shown */
	bool dirty;
	bool curses;                /* a screen is open */
	bool colors;
	int rows, cols;
	char status[512];
	char message[256];          /* a one-line note from a key */

	/* the command line (pane_cmd.c) */
	unsigned char rl_buf[64];
	int rl_len, rl_pos;
	char *pending_line;         /* accepted by readline, not yet run */
	char *last_repeat;          /* what an empty line repeats */
	FILE *rl_null;              /* readline's output goes nowhere */
	bool rl_installed;
	char config_path[512];      /* layout file; "" when there is none */
};

/* ---- tui.c ---- */

/*
 * Run the TUI on @s until quit.  @startup (may be NULL) runs once the
 * screen is up, with command output going to the output pane (main.c's
 * -c commands and files).  Returns the exit status, or -1 if the
 * terminal could not be used (the caller falls back to the REPL).
 */
int kp_tui_run(struct kp_session *s,
	       void (*startup)(struct kp_session *s, void *arg), void *arg);

/* Without a terminal (tests, bench): set up @t on @s, no screen. */
int tui_init(struct tui *t, struct kp_session *s);
void tui_fini(struct tui *t);
/* Compute the layout for a screen of @rows x @cols. */
void tui_layout(struct tui *t, int rows, int cols);
/* Render every visible pane (no drawing). */
void tui_render(struct tui *t);
/* Render and draw the whole screen (needs curses; tui_draw.c). */
void tui_draw(struct tui *t);
/* The colour pairs tui_draw uses, when the terminal has colours. */
void tui_init_colors(struct tui *t);
/* The wall clock (CLOCK_MONOTONIC) in ns, for the frame rate only. */
uint64_t tui_wall_ns(void);
/* A stop happened: the next render compares against this one. */
void tui_mark_stop(struct tui *t);
/* The host the panes show. */
struct kp_host *tui_host(struct tui *t);
/* Run one command line as if typed (echoed in the output pane). */
void tui_exec(struct tui *t, const char *line);
/* Start a continue that runs in slices, redrawing as it goes; stop it
 * where it stands (a key). */
void tui_start_continue(struct tui *t);
void tui_stop_running(struct tui *t);
/* One slice of a running continue (the main loop calls it between key
 * reads); ends the run at a stop.  The bench drives it too. */
void tui_run_slice(struct tui *t);
/* Is a redraw due (dirty, and not running or a frame time has passed)? */
bool tui_frame_due(struct tui *t);
/* A one-line note on the status line (until the next command). */
void tui_set_message(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- panes ---- */
/* The name of pane @id ("CPU", "Trace", ...). */
const char *tui_pane_ops_name(int id);
extern const struct tui_pane_ops tui_pane_cpu, tui_pane_trace,
	tui_pane_output, tui_pane_nic, tui_pane_sock, tui_pane_epoll,
	tui_pane_packet;

/* pane_epoll.c: a wait-queue entry as "nginx[5] autoremove_wake_function
 * EXCLUSIVE", and a queue as a label line plus one line per entry. */
struct __wait_queue;
struct __wait_queue_head;
void tui_fmt_wait_entry(char *buf, size_t size, const struct __wait_queue *wq);
void tui_wait_queue_lines(struct tui_lines *out, const char *label,
			  const struct __wait_queue_head *q);

/* pane_packet.c: follow the skb of the last stop, if it stopped at one
 * (tui_render calls it first, so every pane marks the same skb). */
void tui_follow_stop(struct tui *t);

/* pane_trace.c: the probe of the trace line under the cursor, or -1. */
int tui_trace_cursor_probe(struct tui *t);

/* pane_cmd.c: the output pane's scrollback and the readline line */
void tui_output_init(struct tui *t);
void tui_output_free(struct tui *t);
void tui_output_add(struct tui *t, const char *text);
int tui_cmd_open(struct tui *t);
void tui_cmd_close(struct tui *t);
/* Feed a key to readline (the command line has focus). */
void tui_cmd_key(struct tui *t, int ch);
/* Draw the command line on the last row. */
void tui_cmd_draw(struct tui *t, int row);

/* tui_keys.c */
void tui_key(struct tui *t, int ch);
void tui_draw_help(struct tui *t);

/* tui_layout_store.c */
void tui_layout_load(struct tui *t);
void tui_layout_save(struct tui *t);

#endif
