/*
 * out.h - where command output goes.  A command handler never prints to
 * stdout: it writes through a struct kp_out, so one handler serves the
 * REPL, the TUI's command line, scripts, `expect output contains` (which
 * reads a captured copy) and unit tests.
 *
 * Sinks: a FILE (stdout), a growable string buffer, and a tee that writes
 * to two sinks at once (print and capture).
 */
#ifndef KP_UI_OUT_H
#define KP_UI_OUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct kp_out {
	void (*write)(struct kp_out *out, const char *buf, size_t len);
	void *ctx;
};

static inline void kp_out_write(struct kp_out *out, const char *buf,
				size_t len)
{
	if (len)
		out->write(out, buf, len);
}

void kp_puts(struct kp_out *out, const char *s);
void kp_printf(struct kp_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kp_vprintf(struct kp_out *out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* A sink writing to @f (stdout for the REPL and batch mode). */
void kp_out_init_file(struct kp_out *out, FILE *f);

/* A growable, always NUL-terminated string. */
struct kp_strbuf {
	char *buf;
	size_t len, cap;
};

void kp_strbuf_init(struct kp_strbuf *sb);
void kp_strbuf_free(struct kp_strbuf *sb);
void kp_strbuf_reset(struct kp_strbuf *sb);
void kp_strbuf_append(struct kp_strbuf *sb, const char *buf, size_t len);
/* The text so far ("" when empty, never NULL). */
const char *kp_strbuf_str(const struct kp_strbuf *sb);
/* Move @from's text into @to (to's old text is freed); @from is empty. */
void kp_strbuf_move(struct kp_strbuf *to, struct kp_strbuf *from);

/* A sink appending to @sb. */
void kp_out_init_strbuf(struct kp_out *out, struct kp_strbuf *sb);

/* A sink writing to both @a and @b. */
struct kp_tee {
	struct kp_out out;
	struct kp_out *a, *b;
};

struct kp_out *kp_tee_init(struct kp_tee *tee, struct kp_out *a,
			   struct kp_out *b);

#endif
