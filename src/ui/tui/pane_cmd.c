/*
 * pane_cmd.c - the command line and the output pane.
 *
 * The command line is GNU readline in callback mode: curses owns the
 * terminal, so readline reads the bytes we hand it (rl_getc_function),
 * draws through our redisplay function on the last row, and prints
 * nothing itself (its output stream is /dev/null).  An accepted line is
 * only stored; the main loop runs it through the session, so a long run
 * never nests inside readline.  History and completion are the REPL's
 * (same command table, same kp_complete_line).
 *
 * The output pane is the session's output sink: every command's text
 * lands in a ring of lines, scrollable with the arrow keys when the pane
 * has focus.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "tui.h"
#include "ui/cmd.h"
#include "ui/complete.h"
#include "ui/complete_rl.h"
#include "ui/rl_line.h"
#include "ui/session.h"

#define PROMPT "(kpath) "

/* readline's callbacks take no context: the TUI being read for. */
static struct tui *rl_tui;

/* ---- output ---- */

static void sb_push(struct tui *t, const char *line, size_t len)
{
	char *copy = strndup(line, len);
	if (!copy)
		return;
	if (t->sb_len == TUI_SCROLLBACK) {
		free(t->scrollback[t->sb_first]);
		t->scrollback[t->sb_first] = copy;
		t->sb_first = (t->sb_first + 1) % TUI_SCROLLBACK;
	} else {
		t->scrollback[(t->sb_first + t->sb_len) % TUI_SCROLLBACK] = copy;
		t->sb_len++;
	}
}

static void out_write(struct kp_out *out, const char *buf, size_t len)
{
	struct tui *t = out->ctx;
	kp_strbuf_append(&t->partial, buf, len);
	const char *p = kp_strbuf_str(&t->partial);
	const char *nl;
	size_t done = 0;
	while ((nl = strchr(p + done, '\n'))) {
		sb_push(t, p + done, (size_t)(nl - (p + done)));
		done = (size_t)(nl - p) + 1;
	}
	if (done) {
		char *rest = strdup(p + done);
		kp_strbuf_reset(&t->partial);
		if (rest) {
			kp_strbuf_append(&t->partial, rest, strlen(rest));
			free(rest);
		}
	}
	t->panes[TUI_P_OUTPUT].scroll = 0; /* new text: back to the end */
	t->dirty = true;
}

void tui_output_init(struct tui *t)
{
	t->out.write = out_write;
	t->out.ctx = t;
	t->saved_out = t->s->out;
	t->s->out = &t->out;
}

void tui_output_free(struct tui *t)
{
	if (t->s && t->s->out == &t->out)
		t->s->out = t->saved_out;
	for (int i = 0; i < t->sb_len; i++)
		free(t->scrollback[(t->sb_first + i) % TUI_SCROLLBACK]);
	t->sb_len = t->sb_first = 0;
}

void tui_output_add(struct tui *t, const char *text)
{
	kp_puts(&t->out, text);
}

/* The last @rows lines, @scroll lines up from the end. */
/* Rows @line takes in a pane @cols wide (long lines wrap). */
static int wrapped_rows(const char *line, int cols)
{
	int len = (int)strlen(line);
	return len <= cols ? 1 : (len + cols - 1) / cols;
}

/* The last @rows screen rows of the scrollback that ends @scroll lines
 * from the end; lines longer than the pane wrap onto the next rows. */
static void output_render(struct tui *t, struct tui_pane *p,
			  struct tui_lines *out, int rows, int cols)
{
	char chunk[512];
	int n = t->sb_len + (t->partial.len ? 1 : 0);
	if (cols < 1)
		cols = 1;
	if (cols > (int)sizeof(chunk) - 1)
		cols = (int)sizeof(chunk) - 1;
	if (p->scroll > n - rows)
		p->scroll = n - rows > 0 ? n - rows : 0;
	int end = n - p->scroll, first = end, used = 0;
	while (first > 0 && used < rows) {
		first--;
		const char *line = first < t->sb_len
			? t->scrollback[(t->sb_first + first) % TUI_SCROLLBACK]
			: kp_strbuf_str(&t->partial);
		used += wrapped_rows(line, cols);
	}
	int skip = used > rows ? used - rows : 0; /* the top line's head */
	for (int i = first; i < end; i++) {
		const char *line = i < t->sb_len
			? t->scrollback[(t->sb_first + i) % TUI_SCROLLBACK]
			: kp_strbuf_str(&t->partial);
		enum tui_attr a = strncmp(line, PROMPT, strlen(PROMPT)) == 0
					  ? TUI_A_HEAD
					  : TUI_A_NORMAL;
		int len = (int)strlen(line), nrows = wrapped_rows(line, cols);
		for (int r = 0; r < nrows; r++) {
			if (skip > 0) {
				skip--;
				continue;
			}
			int off = r * cols;
			int w = len - off < cols ? len - off : cols;
			snprintf(chunk, sizeof(chunk), "%.*s", w > 0 ? w : 0,
				 line + off);
			tui_lines_add(out, a, chunk);
		}
	}
}

static bool output_key(struct tui *t, struct tui_pane *p, int ch)
{
	int page = p->h > 2 ? p->h - 2 : 1;
	switch (ch) {
	case KEY_UP:
	case 'k':
		p->scroll++;
		break;
	case KEY_DOWN:
	case 'j':
		p->scroll = p->scroll > 0 ? p->scroll - 1 : 0;
		break;
	case KEY_PPAGE:
		p->scroll += page;
		break;
	case KEY_NPAGE:
		p->scroll = p->scroll > page ? p->scroll - page : 0;
		break;
	case KEY_HOME:
	case 'g':
		p->scroll = t->sb_len;
		break;
	case KEY_END:
	case 'G':
		p->scroll = 0;
		break;
	default:
		return false;
	}
	t->dirty = true;
	return true;
}

static void output_title(struct tui *t, struct tui_pane *p, char *buf,
			 size_t size)
{
	(void)t;
	if (p->scroll)
		snprintf(buf, size, "%d lines up", p->scroll);
}

const struct tui_pane_ops tui_pane_output = {
	.name = "Output",
	.key = '3',
	.left = false,
	.weight = 2,
	.mark_changes = false,
	.fill = true,
	.render = output_render,
	.on_key = output_key,
	.title = output_title,
};

/* ---- readline ---- */

static int rl_getc_tui(FILE *f)
{
	(void)f;
	struct tui *t = rl_tui;
	if (!t || t->rl_pos >= t->rl_len)
		return EOF;
	return t->rl_buf[t->rl_pos++];
}

static int rl_input_available_tui(void)
{
	return rl_tui && rl_tui->rl_pos < rl_tui->rl_len;
}

static void rl_redisplay_tui(void)
{
	if (rl_tui)
		rl_tui->dirty = true;
}

static void rl_prep_tui(int meta)
{
	(void)meta;
}

static void rl_deprep_tui(void)
{
}

static void on_line(char *line)
{
	struct tui *t = rl_tui;
	if (!t || !line) {
		free(line); /* Ctrl-D: nothing to do in the TUI */
		return;
	}
	line = kp_rl_accept_line(line, &t->last_repeat);
	if (!line)
		return;
	free(t->pending_line);
	t->pending_line = line;
	if (t->cmd_oneshot)
		t->focus = t->prev_focus;
}

static char **complete_tui(const char *text, int start, int end)
{
	struct kp_completions c;
	(void)end;
	rl_attempted_completion_over = 1;
	if (!rl_tui)
		return NULL;
	kp_completions_init(&c, text);
	kp_complete_line(rl_tui->s, rl_line_buffer, (size_t)start, &c);
	if (c.files && c.n == 0) {
		rl_attempted_completion_over = 0;
		kp_completions_free(&c);
		return NULL;
	}
	return kp_completions_to_readline(&c);
}

/* Several matches: list them in the output pane. */
static void display_matches(char **matches, int n, int maxlen)
{
	struct tui *t = rl_tui;
	(void)maxlen;
	if (!t)
		return;
	struct kp_strbuf sb;
	kp_strbuf_init(&sb);
	for (int i = 1; i <= n; i++) {
		kp_strbuf_append(&sb, matches[i], strlen(matches[i]));
		kp_strbuf_append(&sb, i == n ? "\n" : "  ", i == n ? 1 : 2);
	}
	tui_output_add(t, kp_strbuf_str(&sb));
	kp_strbuf_free(&sb);
}

int tui_cmd_open(struct tui *t)
{
	rl_tui = t;
	t->rl_null = fopen("/dev/null", "w");
	rl_readline_name = "kpath";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_getc_function = rl_getc_tui;
	rl_input_available_hook = rl_input_available_tui;
	rl_redisplay_function = rl_redisplay_tui;
	rl_prep_term_function = rl_prep_tui;
	rl_deprep_term_function = rl_deprep_tui;
	rl_completion_display_matches_hook = display_matches;
	rl_attempted_completion_function = complete_tui;
	rl_completer_word_break_characters = " \t\n\"";
	if (t->rl_null)
		rl_outstream = t->rl_null;
	rl_callback_handler_install(PROMPT, on_line);
	t->rl_installed = true;
	return 0;
}

void tui_cmd_close(struct tui *t)
{
	if (t->rl_installed)
		rl_callback_handler_remove();
	t->rl_installed = false;
	rl_outstream = NULL;
	rl_getc_function = rl_getc;
	rl_redisplay_function = rl_redisplay;
	rl_prep_term_function = rl_prep_terminal;
	rl_deprep_term_function = rl_deprep_terminal;
	rl_input_available_hook = NULL;
	rl_completion_display_matches_hook = NULL;
	rl_attempted_completion_function = NULL;
	if (t->rl_null)
		fclose(t->rl_null);
	t->rl_null = NULL;
	rl_tui = NULL;
}

/* Hand @bytes to readline, one rl_callback_read_char each. */
static void feed(struct tui *t, const char *bytes, int n)
{
	if (n > (int)sizeof(t->rl_buf))
		n = (int)sizeof(t->rl_buf);
	memcpy(t->rl_buf, bytes, (size_t)n);
	t->rl_len = n;
	t->rl_pos = 0;
	while (t->rl_pos < t->rl_len && t->rl_installed)
		rl_callback_read_char();
	t->rl_len = t->rl_pos = 0;
}

void tui_cmd_key(struct tui *t, int ch)
{
	const char *seq = NULL;
	char c;
	switch (ch) {
	case KEY_LEFT:
		seq = "\033[D";
		break;
	case KEY_RIGHT:
		seq = "\033[C";
		break;
	case KEY_UP:
		seq = "\033[A";
		break;
	case KEY_DOWN:
		seq = "\033[B";
		break;
	case KEY_HOME:
		seq = "\001";
		break;
	case KEY_END:
		seq = "\005";
		break;
	case KEY_DC:
		seq = "\004";
		break;
	case KEY_BACKSPACE:
	case 8:
		seq = "\177";
		break;
	case KEY_ENTER:
	case '\r':
		seq = "\n";
		break;
	default:
		if (ch < 0 || ch > 0xff)
			return; /* other function keys: nothing for readline */
		c = (char)ch;
		feed(t, &c, 1);
		t->dirty = true;
		return;
	}
	feed(t, seq, (int)strlen(seq));
	t->dirty = true;
}

void tui_cmd_draw(struct tui *t, int row)
{
	if (row < 0)
		return;
	const char *prompt = rl_display_prompt ? rl_display_prompt : PROMPT;
	const char *line = rl_line_buffer ? rl_line_buffer : "";
	int plen = (int)strlen(prompt), point = rl_point;
	int width = t->cols - plen - 1;
	if (width < 1)
		width = 1;
	int first = point > width ? point - width : 0;
	bool active = t->focus == TUI_FOCUS_CMD;
	move(row, 0);
	clrtoeol();
	if (!active && !line[0]) {
		attrset(A_DIM);
		mvaddnstr(row, 0, PROMPT "(press : or start typing a command)",
			  t->cols - 1);
		attrset(A_NORMAL);
		curs_set(0);
		return;
	}
	attrset(A_BOLD);
	mvaddnstr(row, 0, prompt, t->cols - 1);
	attrset(A_NORMAL);
	if (plen < t->cols)
		mvaddnstr(row, plen, line + first, t->cols - plen - 1);
	if (active) {
		move(row, plen + point - first);
		curs_set(1);
	} else {
		curs_set(0);
	}
}
