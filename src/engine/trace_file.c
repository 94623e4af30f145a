/*
 * trace_file.c - the trace's file sink: writes the ring out as records
 * are made, in the bin or text form of trace_file.h, through a large
 * stdio buffer.  No kernel counterpart (ftrace's trace_pipe is the
 * model).  Leaves out: compression, rotating files.
 */
#include "trace_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "probe.h"

#define SINK_BUF (1u << 20)
/* A record in bin form is at most this long. */
#define REC_MAX 64

struct kp_trace_sink {
	FILE *f;
	char *path;
	enum kp_trace_file_format format;
	uint64_t next;    /* seq of the next record to write */
	uint64_t records; /* written */
	int error;        /* -errno of the first failure, or 0 */
	struct kp_trace_rec prev; /* bin: what records are relative to */
	char **hosts;
	unsigned nr_hosts;
	char *buf; /* stdio's buffer */
	/* text: the names records stand for */
	const char *probe_names[KP_NR_PROBES];
	const char *kind_names[KP_OBJ_NR];
	struct kp_trace_names names;
};

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static void put_name(FILE *f, const char *name)
{
	uint8_t len[10];
	size_t n = strlen(name);
	fwrite(len, 1, (size_t)(put_varint(len, n) - len), f);
	fwrite(name, 1, n, f);
}

static void write_header(struct kp_trace_sink *s)
{
	uint8_t b[64], *p = b;
	fwrite("KPTRACE1", 1, 8, s->f);
	p = put_varint(p, 1);
	p = put_varint(p, s->next);
	p = put_varint(p, KP_NR_PROBES);
	p = put_varint(p, KP_OBJ_NR);
	p = put_varint(p, s->nr_hosts);
	fwrite(b, 1, (size_t)(p - b), s->f);
	for (unsigned i = 0; i < KP_NR_PROBES; i++)
		put_name(s->f, kp_probes[i].name);
	for (unsigned i = 0; i < KP_OBJ_NR; i++)
		put_name(s->f, kp_obj_kind_name((enum kp_obj_kind)i));
	for (unsigned i = 0; i < s->nr_hosts; i++)
		put_name(s->f, s->hosts[i]);
}

/* One record relative to s->prev; returns its end. */
static uint8_t *encode(struct kp_trace_sink *s, const struct kp_trace_rec *r,
		       uint8_t *p)
{
	struct kp_trace_rec *q = &s->prev;
	uint8_t *m = p++;
	uint8_t bits = 0;
	if (r->seq != q->seq + 1) {
		bits |= 0x80;
		p = put_varint(p, r->seq);
	}
	p = put_varint(p, r->probe);
	*p++ = r->depth;
	if (r->time != q->time) {
		int64_t d = (int64_t)(r->time - q->time);
		bits |= 0x01;
		p = put_varint(p, ((uint64_t)d << 1) ^ (uint64_t)(d >> 63));
	}
	if (r->host != q->host || r->cpu != q->cpu || r->ctx != q->ctx ||
	    r->pid != q->pid) {
		bits |= 0x02;
		*p++ = r->host;
		*p++ = r->cpu;
		*p++ = r->ctx;
		p = put_varint(p, r->pid);
	}
	if (r->obj_kind != q->obj_kind || r->obj_id != q->obj_id) {
		bits |= 0x04;
		*p++ = r->obj_kind;
		p = put_varint(p, r->obj_id);
	}
	if (r->arg) {
		bits |= 0x08;
		p = put_varint(p, r->arg);
	}
	if (r->flags & KP_TRF_HW)
		bits |= 0x10;
	*m = bits;
	*q = *r;
	return p;
}

static void write_text(struct kp_trace_sink *s, const struct kp_trace *t,
		       uint64_t first, uint64_t end)
{
	char line[256];
	for (uint64_t seq = first; seq < end; seq++) {
		int len = kp_trace_rec_text(line, sizeof(line),
					    &t->ring[seq & t->mask], &s->names);
		if (len > (int)sizeof(line) - 1)
			len = (int)sizeof(line) - 1;
		fwrite(line, 1, (size_t)len, s->f);
	}
}

void kp_trace_flush(struct kp_trace *t)
{
	struct kp_trace_sink *s = t->sink;
	if (!s)
		return;
	uint64_t end = t->seq;
	uint64_t first = s->next;
	/* records that left the ring before they could be written (cannot
	 * happen while probes flush in time; the jump is marked) */
	if (end - first > t->mask + 1)
		first = end - (t->mask + 1);
	if (s->format == KP_TRACE_FILE_TEXT) {
		write_text(s, t, first, end);
	} else {
		uint8_t chunk[256 * REC_MAX];
		uint8_t *p = chunk;
		for (uint64_t seq = first; seq < end; seq++) {
			p = encode(s, &t->ring[seq & t->mask], p);
			if (p > chunk + sizeof(chunk) - REC_MAX) {
				fwrite(chunk, 1, (size_t)(p - chunk), s->f);
				p = chunk;
			}
		}
		fwrite(chunk, 1, (size_t)(p - chunk), s->f);
	}
	s->records += end - first;
	s->next = end;
	t->flush_last = end + t->mask;
	if (!s->error && ferror(s->f))
		s->error = -EIO;
}

void kp_trace_sync(struct kp_trace *t)
{
	struct kp_trace_sink *s = t->sink;
	if (!s)
		return;
	kp_trace_flush(t);
	if (fflush(s->f) && !s->error)
		s->error = -EIO;
}

static void sink_free(struct kp_trace_sink *s)
{
	for (unsigned i = 0; i < s->nr_hosts; i++)
		free(s->hosts[i]);
	free(s->hosts);
	free(s->path);
	free(s->buf);
	free(s);
}

int kp_trace_sink_open(struct kp_trace *t, const char *path,
		       enum kp_trace_file_format format,
		       const char *const *hosts, unsigned nr_hosts)
{
	if (t->sink)
		kp_trace_sink_close(t);
	struct kp_trace_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->format = format;
	s->path = strdup(path);
	s->hosts = calloc(nr_hosts ? nr_hosts : 1, sizeof(*s->hosts));
	s->buf = malloc(SINK_BUF);
	if (!s->path || !s->hosts || !s->buf) {
		sink_free(s);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < nr_hosts; i++) {
		s->hosts[i] = strdup(hosts[i] ? hosts[i] : "?");
		if (!s->hosts[i]) {
			sink_free(s);
			return -ENOMEM;
		}
		s->nr_hosts = i + 1;
	}
	s->f = fopen(path, "w");
	if (!s->f) {
		int err = -errno;
		sink_free(s);
		return err;
	}
	setvbuf(s->f, s->buf, _IOFBF, SINK_BUF);
	for (unsigned i = 0; i < KP_NR_PROBES; i++)
		s->probe_names[i] = kp_probes[i].name;
	for (unsigned i = 0; i < KP_OBJ_NR; i++)
		s->kind_names[i] = kp_obj_kind_name((enum kp_obj_kind)i);
	s->names = (struct kp_trace_names){
		.probes = s->probe_names,
		.nr_probes = KP_NR_PROBES,
		.kinds = s->kind_names,
		.nr_kinds = KP_OBJ_NR,
		.hosts = (const char *const *)s->hosts,
		.nr_hosts = s->nr_hosts,
	};
	s->next = t->seq;
	/* the first record is relative to an all-zero one at next - 1 */
	s->prev.seq = s->next - 1;
	if (format == KP_TRACE_FILE_BIN)
		write_header(s);
	t->sink = s;
	t->flush_last = t->seq + t->mask;
	return 0;
}

int kp_trace_sink_close(struct kp_trace *t)
{
	struct kp_trace_sink *s = t->sink;
	if (!s)
		return 0;
	kp_trace_flush(t);
	int err = s->error;
	if (fclose(s->f) && !err)
		err = -EIO;
	t->sink = NULL;
	t->flush_last = UINT64_MAX;
	sink_free(s);
	return err;
}

uint64_t kp_trace_sink_records(const struct kp_trace *t)
{
	return t->sink ? t->sink->records : 0;
}

const char *kp_trace_sink_path(const struct kp_trace *t)
{
	return t->sink ? t->sink->path : NULL;
}

enum kp_trace_file_format kp_trace_sink_format(const struct kp_trace *t)
{
	return t->sink ? t->sink->format : KP_TRACE_FILE_BIN;
}
