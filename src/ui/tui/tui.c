/*
 * tui.c - the curses TUI's main loop and layout (drawing them is
 * tui_draw.c).
 *
 * The screen: panes in two columns (state on the left: CPU, NIC,
 * sockets, epoll, packet; text on the right: trace, output), a status
 * line with the last stop, and the readline command line.  Each pane is
 * a title row and the lines its render function produced; cells that
 * differ from the pane's content at the previous stop are drawn bold and
 * coloured, so the eye finds what a step moved.
 *
 * Running: `c` (or a typed `continue`) runs the world in slices of
 * ~10 ms of wall time; between slices the loop reads keys (any key stops the run) and
 * redraws at most 30 times a second; what programs print shows in the
 * output pane after each slice.  Steps and typed commands redraw
 * once they return.  The wall clock is only used for that frame rate:
 * the model never sees it.
 */
#include "tui.h"

#include <curses.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/world.h"
#include "sched/host.h"
#include "ui/cmd.h"
#include "ui/console_out.h"
#include "ui/session.h"
#include "ui/tokenize.h"

#define FRAME_NS (1000000000ull / 30)
#define SLICE_NS 10000000ull /* a running slice: 10 ms of wall time */

uint64_t tui_wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const struct tui_pane_ops *const pane_ops[TUI_P_NR] = {
	[TUI_P_CPU] = &tui_pane_cpu,	 [TUI_P_TRACE] = &tui_pane_trace,
	[TUI_P_OUTPUT] = &tui_pane_output, [TUI_P_NIC] = &tui_pane_nic,
	[TUI_P_SOCK] = &tui_pane_sock,	 [TUI_P_EPOLL] = &tui_pane_epoll,
	[TUI_P_PACKET] = &tui_pane_packet,
};

const char *tui_pane_ops_name(int id)
{
	return id >= 0 && id < TUI_P_NR ? pane_ops[id]->name : "?";
}

void tui_set_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->message, sizeof(t->message), fmt, ap);
	va_end(ap);
	t->dirty = true;
}

/* ---- set up ---- */

int tui_init(struct tui *t, struct kp_session *s)
{
	memset(t, 0, sizeof(*t));
	t->s = s;
	for (int i = 0; i < TUI_P_NR; i++) {
		t->panes[i].ops = pane_ops[i];
		t->panes[i].visible = true;
		t->panes[i].cursor = -1;
		tui_lines_init(&t->panes[i].cur);
		tui_lines_init(&t->panes[i].base);
	}
	t->focus = TUI_P_TRACE;
	t->prev_focus = TUI_P_TRACE;
	t->host_sel = -1;
	t->gen = 1;
	kp_strbuf_init(&t->partial);
	tui_output_init(t);
	tui_mark_stop(t);
	return 0;
}

void tui_fini(struct tui *t)
{
	for (int i = 0; i < TUI_P_NR; i++) {
		tui_lines_free(&t->panes[i].cur);
		tui_lines_free(&t->panes[i].base);
	}
	tui_output_free(t);
	kp_strbuf_free(&t->partial);
	free(t->pending_line);
	free(t->last_repeat);
	t->pending_line = t->last_repeat = NULL;
}

struct kp_host *tui_host(struct tui *t)
{
	struct kp_world *w = t->s->world;
	if (!w || w->nr_hosts == 0)
		return NULL;
	if (t->host_sel >= 0 && t->host_sel < w->nr_hosts)
		return w->hosts[t->host_sel];
	const struct kp_stop_ctl *c = &w->stop_ctl;
	if (c->cpu && c->cpu->host_id < w->nr_hosts)
		return w->hosts[c->cpu->host_id];
	const struct kp_trace_rec *r =
		w->trace.seq ? kp_trace_get(&w->trace, w->trace.seq - 1) : NULL;
	if (r && r->host < w->nr_hosts)
		return w->hosts[r->host];
	return w->hosts[0];
}

/* The stop report on one line, for the status bar. */
static void update_status(struct tui *t)
{
	struct kp_session *s = t->s;
	if (!s->started) {
		snprintf(t->status, sizeof(t->status),
			 "Power-on: nothing has run yet.  s steps the boot, "
			 "c boots, ? help");
		return;
	}
	struct kp_strbuf sb;
	struct kp_out out;
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&out, &sb);
	kp_session_report_stop(s, &out);
	const char *p = kp_strbuf_str(&sb);
	size_t n = 0;
	while (*p && n + 1 < sizeof(t->status)) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			if (p[1] && n + 3 < sizeof(t->status)) {
				memcpy(t->status + n, " | ", 3);
				n += 3;
			}
		} else {
			t->status[n++] = *p;
		}
		p++;
	}
	t->status[n] = '\0';
	kp_strbuf_free(&sb);
}

void tui_mark_stop(struct tui *t)
{
	t->gen++;
	update_status(t);
	t->dirty = true;
}

/* ---- layout ---- */

/* How many rows pane @p would fill (title included) if it had them
 * all; panes that scroll (trace, output) take whatever is left. */
static int natural_rows(struct tui *t, struct tui_pane *p, int w, int total)
{
	struct tui_lines l;
	if (p->ops->fill)
		return total;
	tui_lines_init(&l);
	p->ops->render(t, p, &l, total, w);
	int n = l.n + 1;
	tui_lines_free(&l);
	return n;
}

/*
 * Share @total rows among the panes @ids: each gets its title and a line
 * when there is room, then the rest goes by weight, but never more than
 * a pane can fill while another still wants rows; what nobody wants
 * goes by weight again.
 */
static void stack_column(struct tui *t, const int *ids, int n, int y, int x,
			 int w, int total)
{
	int h[TUI_P_NR], need[TUI_P_NR];
	int min = total >= 2 * n ? 2 : 1, left = total;
	for (int i = 0; i < n; i++) {
		h[i] = min <= left ? min : left;
		left -= h[i];
		need[i] = natural_rows(t, &t->panes[ids[i]], w, total);
	}
	for (int pass = 0; left > 0 && pass < 2 * TUI_P_NR + 2; pass++) {
		bool capped = pass < 2 * TUI_P_NR;
		int weight = 0;
		for (int i = 0; i < n; i++)
			if (!capped || h[i] < need[i])
				weight += t->panes[ids[i]].ops->weight;
		if (!weight)
			continue; /* everyone is full: share by weight */
		int give_total = left;
		for (int i = 0; i < n && left > 0; i++) {
			if (capped && h[i] >= need[i])
				continue;
			int g = give_total * t->panes[ids[i]].ops->weight /
				weight;
			if (g < 1)
				g = 1;
			if (capped && g > need[i] - h[i])
				g = need[i] - h[i];
			if (g > left)
				g = left;
			h[i] += g;
			left -= g;
		}
	}
	int used = 0;
	for (int i = 0; i < n; i++) {
		struct tui_pane *p = &t->panes[ids[i]];
		if (i == n - 1)
			h[i] += left;
		if (p->y != y + used || p->x != x || p->w != w || p->h != h[i])
			p->has_base = false; /* moved: nothing to compare */
		p->y = y + used;
		p->x = x;
		p->w = w;
		p->h = h[i];
		used += h[i];
	}
}

void tui_layout(struct tui *t, int rows, int cols)
{
	int left[TUI_P_NR], right[TUI_P_NR], nl = 0, nr = 0;
	t->rows = rows;
	t->cols = cols;
	for (int i = 0; i < TUI_P_NR; i++) {
		struct tui_pane *p = &t->panes[i];
		if (!p->visible) {
			p->h = p->w = 0;
			continue;
		}
		if (p->ops->left)
			left[nl++] = i;
		else
			right[nr++] = i;
	}
	int area = rows - 2; /* status line and command line */
	if (area < 1)
		return;
	if (cols < 60 || !nl || !nr) {
		/* one column: everything stacked */
		int all[TUI_P_NR], n = 0;
		for (int i = 0; i < nl; i++)
			all[n++] = left[i];
		for (int i = 0; i < nr; i++)
			all[n++] = right[i];
		if (n)
			stack_column(t, all, n, 0, 0, cols, area);
		return;
	}
	int lw = cols * 2 / 5;
	if (lw < 36)
		lw = 36;
	stack_column(t, left, nl, 0, 0, lw, area);
	stack_column(t, right, nr, 0, lw + 1, cols - lw - 1, area);
}

void tui_render(struct tui *t)
{
	struct tui_lines fresh;
	tui_follow_stop(t);
	for (int i = 0; i < TUI_P_NR; i++) {
		struct tui_pane *p = &t->panes[i];
		if (!p->visible || p->h < 1)
			continue;
		tui_lines_init(&fresh);
		if (p->h > 1)
			p->ops->render(t, p, &fresh, p->h - 1, p->w);
		if (p->cur_gen != t->gen) {
			/* a new stop: what was shown becomes the baseline */
			tui_lines_free(&p->base);
			p->base = p->cur;
			p->has_base = p->cur_gen != 0;
		} else {
			tui_lines_free(&p->cur);
		}
		p->cur = fresh;
		p->cur_gen = t->gen;
	}
}

/* ---- commands and runs ---- */

/* Is @line a plain `continue` (run it in slices)? */
static bool is_continue(const char *line)
{
	struct kp_args args;
	char err[128];
	int words = 0;
	bool yes = false;
	if (kp_tokenize(line, &args, err, sizeof(err)))
		return false;
	if (args.argc) {
		const struct kp_cmd *cmd =
			kp_cmd_lookup(args.argc, args.argv, &words);
		yes = cmd == &kp_cmd_continue && words == args.argc;
	}
	kp_args_free(&args);
	return yes;
}

void tui_exec(struct tui *t, const char *line)
{
	struct kp_session *s = t->s;
	char echo[600];
	snprintf(echo, sizeof(echo), "(kpath) %s\n", line);
	tui_output_add(t, echo);
	t->message[0] = '\0';
	if (is_continue(line)) {
		tui_start_continue(t);
		return;
	}
	struct kp_world *w = s->world;
	uint64_t seq = w->trace.seq;
	bool started = s->started;
	kp_session_exec(s, line);
	if (s->world != w || s->world->trace.seq != seq ||
	    s->started != started)
		tui_mark_stop(t);
	else
		update_status(t);
	if (s->quit)
		t->quit = true;
	t->dirty = true;
}

bool tui_frame_due(struct tui *t)
{
	return t->dirty &&
	       (!t->running || tui_wall_ns() - t->last_frame_ns >= FRAME_NS);
}

void tui_start_continue(struct tui *t)
{
	t->running = true;
	t->dirty = true;
}

/* One slice of a continue: ~10 ms of wall-clock time in continue mode
 * (a timer stops it at the next probe, as Ctrl-C does), so running under
 * the TUI costs the probes nothing more than in batch. */
void tui_run_slice(struct tui *t)
{
	struct kp_session *s = t->s;
	enum kp_stop_reason r = kp_session_run_slice(s, SLICE_NS);
	uint64_t t1 = tui_wall_ns();
	/* what programs printed during the slice, in order with the stop */
	kp_console_flush(s, &t->out);
	if (r == KP_STOP_REQUEST && s->sliced)
		r = KP_STOP_STEP; /* the slice ended: keep running */
	if (r != KP_STOP_STEP) {
		t->running = false;
		kp_session_report_stop(s, &t->out);
		tui_mark_stop(t);
		return;
	}
	if (t1 - t->last_frame_ns >= FRAME_NS)
		tui_mark_stop(t);
}

/* Stop a continue at a key: report where it stands. */
void tui_stop_running(struct tui *t)
{
	if (!t->running)
		return;
	t->running = false;
	kp_puts(&t->out, "Stopped by a key.\n");
	kp_session_report_stop(t->s, &t->out);
	tui_mark_stop(t);
}

int kp_tui_run(struct kp_session *s,
	       void (*startup)(struct kp_session *s, void *arg), void *arg)
{
	struct tui *t = calloc(1, sizeof(*t));
	struct sigaction ign, old_int;
	if (!t)
		return -1;
	setlocale(LC_ALL, "");
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		free(t);
		return -1;
	}
	set_term(scr);
	tui_init(t, s);
	tui_layout_load(t);
	t->curses = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	tui_init_colors(t);
	/* Ctrl-C interrupts runs (the session's handler, during a run) and
	 * is ignored otherwise instead of killing the screen. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	tui_cmd_open(t);
	tui_output_add(t, "kpath 0.1 - the Linux network stack, one step at "
			  "a time.  s step, c continue, : command, ? help.\n");
	if (startup) {
		startup(s, arg);
		tui_mark_stop(t);
	}
	if (s->quit)
		t->quit = true;

	while (!t->quit) {
		if (tui_frame_due(t))
			tui_draw(t);
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int timeout = t->running ? 0 : t->dirty ? 30 : -1;
		poll(&pfd, 1, timeout);
		int ch;
		while ((ch = getch()) != ERR && !t->quit)
			tui_key(t, ch);
		if (t->pending_line) {
			char *line = t->pending_line;
			t->pending_line = NULL;
			tui_exec(t, line);
			free(line);
		}
		if (t->running && !t->quit)
			tui_run_slice(t);
		if (s->quit)
			t->quit = true;
	}

	tui_cmd_close(t);
	tui_layout_save(t);
	endwin();
	delscreen(scr);
	sigaction(SIGINT, &old_int, NULL);
	tui_fini(t);
	free(t);
	return s->quit && s->quit_code >= 0 ? s->quit_code : 0;
}
