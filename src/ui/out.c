/*
 * out.c - output sinks: FILE, string buffer, tee; and kp_printf.
 */
#include "out.h"

#include <stdlib.h>
#include <string.h>

void kp_puts(struct kp_out *out, const char *s)
{
	kp_out_write(out, s, strlen(s));
}

void kp_vprintf(struct kp_out *out, const char *fmt, va_list ap)
{
	char small[512];
	va_list ap2;

	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		kp_out_write(out, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big)
		return;
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	kp_out_write(out, big, (size_t)n);
	free(big);
}

void kp_printf(struct kp_out *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kp_vprintf(out, fmt, ap);
	va_end(ap);
}

/* ---- FILE ---- */

static void file_write(struct kp_out *out, const char *buf, size_t len)
{
	fwrite(buf, 1, len, (FILE *)out->ctx);
}

void kp_out_init_file(struct kp_out *out, FILE *f)
{
	out->write = file_write;
	out->ctx = f;
}

/* ---- string buffer ---- */

void kp_strbuf_init(struct kp_strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void kp_strbuf_free(struct kp_strbuf *sb)
{
	free(sb->buf);
	kp_strbuf_init(sb);
}

void kp_strbuf_reset(struct kp_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void kp_strbuf_append(struct kp_strbuf *sb, const char *buf, size_t len)
{
	if (sb->len + len + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 256;
		while (cap < sb->len + len + 1)
			cap *= 2;
		char *nbuf = realloc(sb->buf, cap);
		if (!nbuf)
			return; /* out of memory: the capture loses text */
		sb->buf = nbuf;
		sb->cap = cap;
	}
	memcpy(sb->buf + sb->len, buf, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

const char *kp_strbuf_str(const struct kp_strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void kp_strbuf_move(struct kp_strbuf *to, struct kp_strbuf *from)
{
	free(to->buf);
	*to = *from;
	kp_strbuf_init(from);
}

static void strbuf_write(struct kp_out *out, const char *buf, size_t len)
{
	kp_strbuf_append(out->ctx, buf, len);
}

void kp_out_init_strbuf(struct kp_out *out, struct kp_strbuf *sb)
{
	out->write = strbuf_write;
	out->ctx = sb;
}

/* ---- tee ---- */

static void tee_write(struct kp_out *out, const char *buf, size_t len)
{
	struct kp_tee *tee = out->ctx;
	kp_out_write(tee->a, buf, len);
	kp_out_write(tee->b, buf, len);
}

struct kp_out *kp_tee_init(struct kp_tee *tee, struct kp_out *a,
			   struct kp_out *b)
{
	tee->out.write = tee_write;
	tee->out.ctx = tee;
	tee->a = a;
	tee->b = b;
	return &tee->out;
}
