/*
 * console.h - what emulated programs print (ping's lines, a server's log).
 * Lines are kept in order with their time, host and pid; the UI prints
 * the new ones after each run and the TUI shows them in a pane.
 */
#ifndef KP_ENGINE_CONSOLE_H
#define KP_ENGINE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

struct kp_console_line {
	uint64_t time;
	uint16_t host;
	uint32_t pid;
	char *text;    /* in the console's text chunks; lives as long as it */
	char comm[16]; /* the task's name when it printed (it may be gone) */
};

struct kp_console {
	struct kp_console_line *lines;
	size_t len, cap;
	size_t shown; /* lines the UI has printed already */
	/* the lines' text, packed into large chunks (no malloc per line) */
	char **chunks;
	size_t nr_chunks, chunks_cap;
	size_t chunk_used, chunk_size; /* in the last chunk */
};

struct kp_world;

void kp_console_free(struct kp_console *c);
void kp_console_printf(struct kp_world *w, uint16_t host, uint32_t pid,
		       uint64_t time, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
