/*
 * pane_trace.c - the trace pane: the last records of the trace ring in
 * ftrace function_graph style (format_trace.c renders them, as for the
 * `trace` command), the record of the last stop marked '>' as the
 * current line, and a cursor for `b` (break on the function under it).
 *
 * Narrow panes keep the function column readable by replacing the
 * formatter's time/host/CPU/context/task columns with a short
 * "host cpuN C|" prefix (C: T task, S softirq, H hardirq, D device).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "sched/host.h"
#include "tui.h"
#include "ui/format_trace.h"
#include "ui/session.h"

#define WIDE_COLS 100

/* The record the last run stopped at, or -1. */
static int64_t stop_seq(struct tui *t)
{
	const struct kp_stop_ctl *c = &t->s->world->stop_ctl;
	if (!t->s->started || !c->stopped)
		return -1;
	switch (c->reason) {
	case KP_STOP_STEP:
	case KP_STOP_BREAKPOINT:
	case KP_STOP_FINISH:
	case KP_STOP_SEQ:
	case KP_STOP_REQUEST:
		return (int64_t)c->seq;
	default:
		return -1;
	}
}

static char ctx_char(uint8_t ctx)
{
	switch (ctx) {
	case KP_CTX_SOFTIRQ:
		return 'S';
	case KP_CTX_HARDIRQ:
		return 'H';
	case KP_CTX_HW:
		return 'D';
	default:
		return 'T';
	}
}

/* A closing-brace line: only '}' after the '|'. */
static bool is_close(const char *body)
{
	return body[strspn(body, " ")] == '}';
}

struct trace_line {
	char *text;
	int64_t seq; /* -1 for a closing brace */
};

static void trace_render(struct tui *t, struct tui_pane *p,
			 struct tui_lines *out, int rows, int cols)
{
	struct kp_world *w = t->s->world;
	const struct kp_trace *tr = &w->trace;
	t->trace_cursor_seq = -1;
	if (tr->seq == 0) {
		tui_lines_add(out, TUI_A_DIM, "(no trace records yet: s steps "
					      "the boot, c runs it)");
		return;
	}
	if (cols >= WIDE_COLS && rows > 1) {
		/* the formatter's column names */
		struct kp_strbuf hb;
		struct kp_out ho;
		kp_strbuf_init(&hb);
		kp_out_init_strbuf(&ho, &hb);
		kp_fmt_trace_header(&ho);
		char *nl = strchr(hb.buf ? hb.buf : "", '\n');
		if (nl)
			*nl = '\0';
		tui_lines_printf(out, TUI_A_HEAD, " %s", kp_strbuf_str(&hb));
		kp_strbuf_free(&hb);
		rows--;
	}
	uint64_t back = (uint64_t)p->follow_end;
	if (back >= tr->seq)
		back = p->follow_end = (int)(tr->seq - 1);
	uint64_t end = tr->seq - back;
	uint64_t want = (uint64_t)rows * 2 + 8;
	uint64_t first = end > want ? end - want : 0;

	struct kp_strbuf sb;
	struct kp_out sink;
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&sink, &sb);
	kp_fmt_trace_range(&sink, w, first, end);

	/* split, numbering the record lines */
	struct trace_line *lines = NULL;
	int n = 0, cap = 0;
	uint64_t oldest = tr->seq - kp_trace_available(tr);
	uint64_t seq = first > oldest ? first : oldest;
	for (const char *s = kp_strbuf_str(&sb); *s;) {
		size_t len = strcspn(s, "\n");
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct trace_line *nl = realloc(lines, (size_t)cap *
								  sizeof(*nl));
			if (!nl)
				break;
			lines = nl;
		}
		char *text = strndup(s, len);
		const char *bar = text ? strstr(text, "| ") : NULL;
		lines[n].text = text;
		lines[n].seq = bar && !is_close(bar + 2) ? (int64_t)seq++ : -1;
		n++;
		s += len;
		if (*s)
			s++;
	}
	kp_strbuf_free(&sb);

	int start = n > rows ? n - rows : 0;
	int64_t cur = stop_seq(t);
	if (p->cursor >= n - start)
		p->cursor = n - start - 1;
	bool focused = t->focus == TUI_P_TRACE;
	for (int i = start; i < n; i++) {
		const struct trace_line *l = &lines[i];
		const char *text = l->text ? l->text : "";
		const char *bar = strstr(text, "| ");
		char buf[512];
		if (cols < WIDE_COLS && bar) {
			char prefix[32] = "";
			const struct kp_trace_rec *r =
				l->seq >= 0 ? kp_trace_get(tr, (uint64_t)l->seq)
					    : NULL;
			if (r) {
				char cpu[8];
				if (r->flags & KP_TRF_HW)
					snprintf(cpu, sizeof(cpu), "hw");
				else
					snprintf(cpu, sizeof(cpu), "cpu%u",
						 r->cpu);
				snprintf(prefix, sizeof(prefix), "%-6.6s %-4s %c",
					 r->host < w->nr_hosts
						 ? w->hosts[r->host]->name
						 : "?",
					 cpu, ctx_char(r->ctx));
			}
			snprintf(buf, sizeof(buf), "%c%-13s|%s",
				 l->seq == cur && cur >= 0 ? '>' : ' ', prefix,
				 bar + 1);
		} else {
			snprintf(buf, sizeof(buf), "%c%s",
				 l->seq == cur && cur >= 0 ? '>' : ' ', text);
		}
		enum tui_attr a = l->seq == cur && cur >= 0 ? TUI_A_CURRENT
							   : TUI_A_NORMAL;
		if (focused && p->cursor == i - start) {
			a = TUI_A_CURSOR;
			t->trace_cursor_seq = l->seq;
		}
		tui_lines_add(out, a, buf);
	}
	if (focused && p->cursor < 0) {
		/* no cursor yet: `b` takes the current (or last) call */
		t->trace_cursor_seq = cur;
		for (int i = n - 1; i >= start && t->trace_cursor_seq < 0; i--)
			t->trace_cursor_seq = lines[i].seq;
	}
	for (int i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
}

static bool trace_key(struct tui *t, struct tui_pane *p, int ch)
{
	int rows = p->h - 1, page = rows > 1 ? rows - 1 : 1;
	switch (ch) {
	case KEY_UP:
	case 'k':
		if (p->cursor < 0)
			p->cursor = rows - 1;
		if (p->cursor > 0)
			p->cursor--;
		else
			p->follow_end++;
		break;
	case KEY_DOWN:
	case 'j':
		if (p->cursor < 0)
			break;
		if (p->cursor < rows - 1)
			p->cursor++;
		else if (p->follow_end > 0)
			p->follow_end--;
		break;
	case KEY_PPAGE:
		p->follow_end += page;
		if (p->cursor < 0)
			p->cursor = 0;
		break;
	case KEY_NPAGE:
		p->follow_end = p->follow_end > page ? p->follow_end - page : 0;
		break;
	case KEY_END:
	case 'G':
		p->follow_end = 0;
		p->cursor = -1;
		break;
	default:
		return false;
	}
	t->dirty = true;
	return true;
}

static void trace_title(struct tui *t, struct tui_pane *p, char *buf,
			size_t size)
{
	const struct kp_trace *tr = &t->s->world->trace;
	if (p->follow_end)
		snprintf(buf, size, "%llu records, %d back (End: follow)",
			 (unsigned long long)tr->seq, p->follow_end);
	else
		snprintf(buf, size, "%llu records", (unsigned long long)tr->seq);
}

int tui_trace_cursor_probe(struct tui *t)
{
	if (t->trace_cursor_seq < 0)
		return -1;
	const struct kp_trace_rec *r =
		kp_trace_get(&t->s->world->trace, (uint64_t)t->trace_cursor_seq);
	return r ? r->probe : -1;
}

const struct tui_pane_ops tui_pane_trace = {
	.name = "Trace",
	.key = '2',
	.left = false,
	.weight = 3,
	.mark_changes = false,
	.fill = true,
	.render = trace_render,
	.on_key = trace_key,
	.title = trace_title,
};
