/*
 * console.c - the world's console: lines printed by emulated programs.
 */
#include "console.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "world.h"

void kp_console_free(struct kp_console *c)
{
	for (size_t i = 0; i < c->len; i++)
		free(c->lines[i].text);
	free(c->lines);
	c->lines = NULL;
	c->len = c->cap = c->shown = 0;
}

void kp_console_printf(struct kp_world *w, uint16_t host, uint32_t pid,
		       uint64_t time, const char *fmt, ...)
{
	struct kp_console *c = &w->console;
	if (c->len == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct kp_console_line *lines =
			realloc(c->lines, cap * sizeof(*lines));
		if (!lines)
			return;
		c->lines = lines;
		c->cap = cap;
	}
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	c->lines[c->len++] = (struct kp_console_line){
		.time = time, .host = host, .pid = pid, .text = text
	};
}
