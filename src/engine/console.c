/*
 * console.c - the world's console: lines printed by emulated programs.
 * The text of the lines is packed into 64 KiB chunks that are freed with
 * the console: a server printing every datagram costs no malloc per line.
 */
#include "console.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

#define CHUNK_SIZE 65536

void kp_console_free(struct kp_console *c)
{
	for (size_t i = 0; i < c->nr_chunks; i++)
		free(c->chunks[i]);
	free(c->chunks);
	free(c->lines);
	memset(c, 0, sizeof(*c));
}

/* Room for @n bytes of text, or NULL. */
static char *text_alloc(struct kp_console *c, size_t n)
{
	if (c->nr_chunks && c->chunk_size - c->chunk_used >= n) {
		char *p = c->chunks[c->nr_chunks - 1] + c->chunk_used;
		c->chunk_used += n;
		return p;
	}
	if (c->nr_chunks == c->chunks_cap) {
		size_t cap = c->chunks_cap ? c->chunks_cap * 2 : 16;
		char **chunks = realloc(c->chunks, cap * sizeof(*chunks));
		if (!chunks)
			return NULL;
		c->chunks = chunks;
		c->chunks_cap = cap;
	}
	size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
	char *chunk = malloc(size);
	if (!chunk)
		return NULL;
	c->chunks[c->nr_chunks++] = chunk;
	c->chunk_size = size;
	c->chunk_used = n;
	return chunk;
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
	char buf[512], *text;
	const char *src = buf;
	int n;
	va_list ap;
	va_start(ap, fmt);
	if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2]) {
		/* already formatted (u_printf): copy it */
		src = va_arg(ap, const char *);
		n = (int)strlen(src);
	} else {
		n = vsnprintf(buf, sizeof(buf), fmt, ap);
	}
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf) && src == buf) {
		/* longer than the buffer: format again into the chunk */
		text = text_alloc(c, (size_t)n + 1);
		if (!text)
			return;
		va_start(ap, fmt);
		vsnprintf(text, (size_t)n + 1, fmt, ap);
		va_end(ap);
	} else {
		text = text_alloc(c, (size_t)n + 1);
		if (!text)
			return;
		memcpy(text, src, (size_t)n + 1);
	}
	c->lines[c->len++] = (struct kp_console_line){
		.time = time, .host = host, .pid = pid, .text = text
	};
}
