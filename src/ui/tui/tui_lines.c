/*
 * tui_lines.c - the text a pane renders: lines with an attribute each.
 * Kept apart from curses so panes can be rendered and tested without a
 * terminal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

void tui_lines_init(struct tui_lines *l)
{
	memset(l, 0, sizeof(*l));
}

void tui_lines_reset(struct tui_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

void tui_lines_free(struct tui_lines *l)
{
	tui_lines_reset(l);
	free(l->v);
	free(l->attr);
	tui_lines_init(l);
}

static void add_owned(struct tui_lines *l, enum tui_attr attr, char *text)
{
	if (!text)
		return;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		char **v = realloc(l->v, (size_t)cap * sizeof(*v));
		if (!v) {
			free(text);
			return;
		}
		l->v = v;
		uint8_t *a = realloc(l->attr, (size_t)cap);
		if (!a) {
			free(text);
			return;
		}
		l->attr = a;
		l->cap = cap;
	}
	l->v[l->n] = text;
	l->attr[l->n] = (uint8_t)attr;
	l->n++;
}

void tui_lines_add(struct tui_lines *l, enum tui_attr attr, const char *text)
{
	add_owned(l, attr, strdup(text));
}

void tui_lines_printf(struct tui_lines *l, enum tui_attr attr,
		      const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	add_owned(l, attr, text);
}

void tui_lines_add_text(struct tui_lines *l, enum tui_attr attr,
			const char *text)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		add_owned(l, attr, strndup(text, len));
		text += len;
		if (*text == '\n')
			text++;
	}
}
