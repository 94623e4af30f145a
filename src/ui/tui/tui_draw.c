/*
 * tui_draw.c - drawing the TUI's screen with curses: each pane's title
 * row and lines (the cells that changed since the last stop bold and
 * coloured), the line between the columns, the status line, and the
 * colours they use.  The layout and the lines come from tui.c and the
 * panes' render functions; this file only puts them on the screen.
 */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

enum { PAIR_TITLE = 1, PAIR_FOCUS, PAIR_CHANGED, PAIR_CURRENT, PAIR_DIM,
       PAIR_HEAD, PAIR_STATUS, PAIR_ERROR, PAIR_SEL };

void tui_init_colors(struct tui *t)
{
	if (!has_colors())
		return;
	start_color();
	use_default_colors();
	t->colors = true;
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_FOCUS, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_CHANGED, COLOR_YELLOW, -1);
	init_pair(PAIR_CURRENT, COLOR_BLACK, COLOR_GREEN);
	init_pair(PAIR_DIM, COLOR_CYAN, -1);
	init_pair(PAIR_HEAD, COLOR_GREEN, -1);
	init_pair(PAIR_STATUS, COLOR_WHITE, COLOR_MAGENTA);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_SEL, COLOR_BLACK, COLOR_YELLOW);
}

static attr_t attr_of(struct tui *t, enum tui_attr a)
{
	switch (a) {
	case TUI_A_HEAD:
		return A_BOLD | (t->colors ? COLOR_PAIR(PAIR_HEAD) : 0);
	case TUI_A_CURRENT:
		return A_BOLD | (t->colors ? COLOR_PAIR(PAIR_CURRENT)
					   : A_REVERSE);
	case TUI_A_CURSOR:
		return A_REVERSE;
	case TUI_A_DIM:
		return t->colors ? COLOR_PAIR(PAIR_DIM) : A_DIM;
	case TUI_A_ERROR:
		return A_BOLD | (t->colors ? COLOR_PAIR(PAIR_ERROR) : 0);
	case TUI_A_SEL:
		return A_BOLD | (t->colors ? COLOR_PAIR(PAIR_SEL) : A_REVERSE);
	default:
		return A_NORMAL;
	}
}

static void draw_text(int y, int x, int w, const char *text, attr_t a)
{
	attrset(a);
	move(y, x);
	int i = 0;
	for (; text && text[i] && i < w; i++) {
		unsigned char c = (unsigned char)text[i];
		addch(c >= ' ' && c < 0x7f ? c : '?');
	}
	for (; i < w; i++)
		addch(' ');
	attrset(A_NORMAL);
}

static void draw_pane(struct tui *t, struct tui_pane *p, int id)
{
	char title[160], extra[96] = "";
	if (p->h < 1 || p->w < 1)
		return;
	if (p->ops->title)
		p->ops->title(t, p, extra, sizeof(extra));
	snprintf(title, sizeof(title), " %c %s%s%s ", p->ops->key,
		 p->ops->name, extra[0] ? ": " : "", extra);
	bool focused = t->focus == id;
	attr_t ta = focused ? A_BOLD | A_REVERSE : A_REVERSE;
	if (t->colors)
		ta = A_BOLD | COLOR_PAIR(focused ? PAIR_FOCUS : PAIR_TITLE);
	attrset(ta);
	move(p->y, p->x);
	for (int i = 0; i < p->w; i++)
		addch(i < 2 ? ' ' : ACS_HLINE);
	mvaddnstr(p->y, p->x + 1, title, p->w - 1);
	attrset(A_NORMAL);

	bool mark = p->ops->mark_changes && p->has_base;
	attr_t changed = A_BOLD | (t->colors ? COLOR_PAIR(PAIR_CHANGED)
					     : A_UNDERLINE);
	for (int r = 0; r < p->h - 1; r++) {
		const char *line = r < p->cur.n ? p->cur.v[r] : "";
		attr_t a = r < p->cur.n ? attr_of(t, p->cur.attr[r])
					: A_NORMAL;
		if (!mark) {
			draw_text(p->y + 1 + r, p->x, p->w, line, a);
			continue;
		}
		const char *old = r < p->base.n ? p->base.v[r] : NULL;
		size_t len = strlen(line), olen = old ? strlen(old) : 0;
		move(p->y + 1 + r, p->x);
		for (int c = 0; c < p->w; c++) {
			unsigned char ch = (size_t)c < len ? (unsigned char)
								     line[c]
							   : ' ';
			unsigned char och =
				old && (size_t)c < olen ? (unsigned char)old[c]
							: ' ';
			bool diff = !old ? ch != ' ' : ch != och;
			attrset(diff ? changed : a);
			addch(ch >= ' ' && ch < 0x7f ? ch : '?');
		}
		attrset(A_NORMAL);
	}
}

/* The vertical line between the columns. */
static void draw_separator(struct tui *t)
{
	int x = -1, y1 = 0;
	for (int i = 0; i < TUI_P_NR; i++) {
		struct tui_pane *p = &t->panes[i];
		if (p->visible && p->h && p->x > 0) {
			x = p->x - 1;
			break;
		}
	}
	if (x < 0)
		return;
	for (int i = 0; i < TUI_P_NR; i++)
		if (t->panes[i].visible && t->panes[i].h &&
		    t->panes[i].y + t->panes[i].h > y1)
			y1 = t->panes[i].y + t->panes[i].h;
	attrset(t->colors ? COLOR_PAIR(PAIR_TITLE) : A_NORMAL);
	mvvline(0, x, ACS_VLINE, y1);
	attrset(A_NORMAL);
}

static void draw_status(struct tui *t)
{
	char right[48];
	int row = t->rows - 2;
	if (row < 0)
		return;
	snprintf(right, sizeof(right), "%s",
		 t->running ? " [running: any key stops] "
		 : t->focus == TUI_FOCUS_CMD ? " [Esc: panes  Tab: complete] "
					     : " [? help  : command  q quit] ");
	attr_t a = t->colors ? COLOR_PAIR(PAIR_STATUS) | A_BOLD : A_REVERSE;
	const char *text = t->message[0] ? t->message : t->status;
	int rw = (int)strlen(right);
	/* the stop's text first: the key hint only where it fits */
	if (rw > t->cols / 2 ||
	    (!t->running && (int)strlen(text) + rw > t->cols))
		rw = 0;
	draw_text(row, 0, t->cols - rw, text, a);
	if (rw)
		draw_text(row, t->cols - rw, rw, right, a);
}

void tui_draw(struct tui *t)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	tui_layout(t, rows, cols); /* content decides the heights */
	tui_render(t);
	erase();
	for (int i = 0; i < TUI_P_NR; i++)
		if (t->panes[i].visible)
			draw_pane(t, &t->panes[i], i);
	draw_separator(t);
	draw_status(t);
	if (t->help)
		tui_draw_help(t);
	tui_cmd_draw(t, t->rows - 1);
	refresh();
	t->last_frame_ns = tui_wall_ns();
	t->dirty = false;
}
