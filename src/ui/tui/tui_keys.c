/*
 * tui_keys.c - what each key does, and the help overlay that lists them.
 *
 * Debugger keys as gdb's single-key mode (s step, n next, f finish,
 * c continue) and the F-keys of common debuggers (F5 continue, F10 next,
 * F11 step, Shift-F11 or F12 finish) act while a pane has focus; the
 * F-keys also act from the command line.  Any other printable key opens
 * the command line with that character, so typing `ps` Enter just works.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "engine/probe.h"
#include "sched/host.h"
#include "tui.h"
#include "ui/cmd.h"
#include "ui/session.h"

#define KEY_CTRL(c) ((c) & 0x1f)

static const char *const help_text[] = {
	"kpath TUI keys",
	"",
	"  s  F11        step: to the next step point, any CPU",
	"  n  F10        next: over calls, same stack",
	"  f  F12 S-F11  finish: until the function returns",
	"  c  F5         continue (any key stops the run)",
	"  b             break on the function under the trace cursor",
	"  r             reverse-step: back to the previous step point",
	"  h             cycle the host the panes show (or follow the stop)",
	"  Tab S-Tab     focus the next / previous pane",
	"  1..7          show/hide CPU Trace Output NIC Sockets epoll Packet",
	"  Up Down PgUp PgDn Home End   scroll / move the cursor",
	"  : or Enter    the command line (any REPL command; Tab completes)",
	"  Esc           leave the command line",
	"  Ctrl-L        redraw      ?  F1  this help      q  quit",
	"",
	"Bold yellow cells changed at the last step.  The packet pane's skb",
	"(the last stop's) is marked where it is: '@' in a NIC ring, [skb#N]",
	"on a socket queue, the line highlighted.  The layout is kept in",
	"~/.config/kpath/tui.  Press any key to close.",
};

void tui_draw_help(struct tui *t)
{
	int n = (int)(sizeof(help_text) / sizeof(help_text[0]));
	int w = 0;
	for (int i = 0; i < n; i++)
		if ((int)strlen(help_text[i]) > w)
			w = (int)strlen(help_text[i]);
	w += 4;
	if (w > t->cols)
		w = t->cols;
	int h = n + 2 < t->rows ? n + 2 : t->rows;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2;
	attrset(A_REVERSE);
	for (int r = 0; r < h; r++) {
		move(y + r, x);
		for (int c = 0; c < w; c++)
			addch(' ');
		int i = r - 1;
		if (i >= 0 && i < n)
			mvaddnstr(y + r, x + 2, help_text[i], w - 3);
	}
	attrset(A_NORMAL);
}

static int next_visible(struct tui *t, int from, int dir)
{
	for (int k = 1; k <= TUI_P_NR; k++) {
		int i = ((from + dir * k) % TUI_P_NR + TUI_P_NR) % TUI_P_NR;
		if (t->panes[i].visible && t->panes[i].h > 1)
			return i;
	}
	return from;
}

static void toggle_pane(struct tui *t, int id)
{
	struct tui_pane *p = &t->panes[id];
	int shown = 0;
	for (int i = 0; i < TUI_P_NR; i++)
		shown += t->panes[i].visible;
	if (p->visible && shown == 1) {
		tui_set_message(t, "The last pane stays; show another first");
		return;
	}
	p->visible = !p->visible;
	tui_layout(t, t->rows, t->cols);
	if (!p->visible && t->focus == id)
		t->focus = next_visible(t, id, 1);
	tui_layout_save(t);
	t->dirty = true;
}

static void open_cmd(struct tui *t, int first)
{
	if (t->focus != TUI_FOCUS_CMD)
		t->prev_focus = t->focus;
	t->focus = TUI_FOCUS_CMD;
	t->cmd_oneshot = true;
	if (first > 0)
		tui_cmd_key(t, first);
	t->dirty = true;
}

static void leave_cmd(struct tui *t)
{
	rl_replace_line("", 1);
	rl_point = rl_end = 0;
	t->focus = t->prev_focus >= 0 ? t->prev_focus : TUI_P_TRACE;
	t->dirty = true;
}

static void break_under_cursor(struct tui *t)
{
	char line[160];
	int probe = tui_trace_cursor_probe(t);
	if (probe < 0) {
		tui_set_message(t, "No function under the cursor: focus the "
				   "trace pane (Tab) and move to a call line");
		return;
	}
	snprintf(line, sizeof(line), "break %s", kp_probes[probe].name);
	tui_exec(t, line);
}

static void cycle_host(struct tui *t)
{
	int n = t->s->world ? t->s->world->nr_hosts : 0;
	if (t->host_sel < 0 && n > 1 && tui_host(t))
		t->host_sel = (tui_host(t)->id + 1) % n; /* pin the other */
	else
		t->host_sel = t->host_sel + 1 >= n ? -1 : t->host_sel + 1;
	if (t->host_sel < 0)
		tui_set_message(t, "Panes follow the host of the stop");
	else
		tui_set_message(t, "Panes show host %s",
				t->s->world->hosts[t->host_sel]->name);
}

/* Keys that work whatever has focus; true if @ch was one. */
static bool global_key(struct tui *t, int ch)
{
	switch (ch) {
	case KEY_RESIZE:
		tui_layout(t, LINES, COLS);
		t->dirty = true;
		return true;
	case KEY_CTRL('l'):
		clearok(curscr, TRUE);
		t->dirty = true;
		return true;
	case KEY_F(1):
		t->help = !t->help;
		t->dirty = true;
		return true;
	case KEY_F(5):
		tui_start_continue(t);
		return true;
	case KEY_F(10):
		tui_exec(t, "next");
		return true;
	case KEY_F(11):
		tui_exec(t, "step");
		return true;
	case KEY_F(12):
	case KEY_F(23): /* Shift-F11 */
		tui_exec(t, "finish");
		return true;
	}
	return false;
}

static void pane_key(struct tui *t, int ch)
{
	if (t->focus >= 0) {
		struct tui_pane *p = &t->panes[t->focus];
		if (p->ops->on_key && p->ops->on_key(t, p, ch))
			return;
	}
	switch (ch) {
	case 'q':
		t->quit = true;
		return;
	case '?':
		t->help = true;
		t->dirty = true;
		return;
	case 's':
		tui_exec(t, "step");
		return;
	case 'n':
		tui_exec(t, "next");
		return;
	case 'f':
		tui_exec(t, "finish");
		return;
	case 'c':
		tui_exec(t, "continue");
		return;
	case 'b':
		break_under_cursor(t);
		return;
	case 'r': {
		char *argv[] = { "reverse-step", NULL };
		if (kp_cmd_lookup(1, argv, NULL))
			tui_exec(t, "reverse-step");
		else
			tui_set_message(t, "reverse-step does not exist yet "
					   "in kpath");
		return;
	}
	case 'h':
		cycle_host(t);
		return;
	case '\t':
		t->focus = next_visible(t, t->focus, 1);
		t->dirty = true;
		return;
	case KEY_BTAB:
		t->focus = next_visible(t, t->focus, -1);
		t->dirty = true;
		return;
	case ':':
	case '\r':
	case '\n':
	case KEY_ENTER:
		open_cmd(t, -1);
		return;
	case 27:
		t->message[0] = '\0';
		t->dirty = true;
		return;
	}
	if (ch >= '1' && ch < '1' + TUI_P_NR) {
		for (int i = 0; i < TUI_P_NR; i++)
			if (t->panes[i].ops->key == ch)
				toggle_pane(t, i);
		return;
	}
	if (ch > ' ' && ch < 0x7f)
		open_cmd(t, ch); /* start typing a command */
}

void tui_key(struct tui *t, int ch)
{
	if (t->running && ch != KEY_RESIZE) {
		tui_stop_running(t);
		if (ch == 'q')
			t->quit = true;
		return;
	}
	if (t->help && ch != KEY_RESIZE) {
		t->help = false;
		t->dirty = true;
		return;
	}
	if (global_key(t, ch))
		return;
	if (t->focus == TUI_FOCUS_CMD) {
		if (ch == 27) {
			leave_cmd(t);
			return;
		}
		tui_cmd_key(t, ch);
		return;
	}
	pane_key(t, ch);
}
