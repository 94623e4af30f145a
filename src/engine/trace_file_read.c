/*
 * trace_file_read.c - reading a bin trace file back (`trace dump`), and
 * the text form of one record shared by the text sink and the dump (see
 * trace_file.h for both forms).  A damaged file never crashes the
 * reader: every length and name index is checked and the first fault is
 * named with its byte offset.
 */
#include "trace_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_MAX 65536
#define NAME_LEN_MAX 4096

static const char *name_at(const char *const *names, unsigned n, unsigned i)
{
	return i < n && names[i] ? names[i] : "?";
}

int kp_trace_rec_text(char *buf, size_t size, const struct kp_trace_rec *r,
		      const struct kp_trace_names *n)
{
	char cpu[8], obj[48] = "", arg[32] = "";
	bool hw = r->flags & KP_TRF_HW;
	if (hw)
		memcpy(cpu, "hw", 3);
	else
		snprintf(cpu, sizeof(cpu), "cpu%u", r->cpu);
	if (r->obj_kind)
		snprintf(obj, sizeof(obj), " %s#%u",
			 name_at(n->kinds, n->nr_kinds, r->obj_kind),
			 r->obj_id);
	if (r->arg)
		snprintf(arg, sizeof(arg), " arg=%" PRIu64, r->arg);
	return snprintf(buf, size,
			"%" PRIu64 " %" PRIu64 ".%09" PRIu64
			" %s %s %s %u %u %s%s%s\n",
			r->seq, r->time / 1000000000, r->time % 1000000000,
			name_at(n->hosts, n->nr_hosts, r->host), cpu,
			kp_ctx_name((enum kp_ctx_kind)r->ctx), r->pid,
			r->depth, name_at(n->probes, n->nr_probes, r->probe),
			obj, arg);
}

/* ---- reading ---- */

static int get_byte(struct kp_trace_reader *rd, uint8_t *b)
{
	int c = getc(rd->f);
	if (c == EOF)
		return -1;
	rd->offset++;
	*b = (uint8_t)c;
	return 0;
}

static int get_varint(struct kp_trace_reader *rd, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		uint8_t b;
		if (get_byte(rd, &b) < 0)
			return -1;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1; /* longer than any 64-bit value */
}

static int fail(char *why, size_t size, const char *what, uint64_t offset)
{
	snprintf(why, size, "%s at byte %" PRIu64, what, offset);
	return -EINVAL;
}

/* @n names into a new array (kept in rd->strings). */
static int read_names(struct kp_trace_reader *rd, unsigned n,
		      const char *const **out, char *why, size_t size)
{
	const char **names = calloc(n ? n : 1, sizeof(*names));
	if (!names)
		return -ENOMEM;
	*out = names;
	/* the array itself is freed with the strings */
	rd->strings[rd->nr_strings++] = (char *)names;
	for (unsigned i = 0; i < n; i++) {
		uint64_t len;
		if (get_varint(rd, &len) < 0 || len > NAME_LEN_MAX)
			return fail(why, size, "bad name length", rd->offset);
		char *s = malloc((size_t)len + 1);
		if (!s)
			return -ENOMEM;
		if (fread(s, 1, (size_t)len, rd->f) != len) {
			free(s);
			return fail(why, size, "truncated name", rd->offset);
		}
		rd->offset += len;
		s[len] = '\0';
		names[i] = s;
		rd->strings[rd->nr_strings++] = s;
	}
	return 0;
}

int kp_trace_reader_open(struct kp_trace_reader *rd, const char *path,
			 char *why, size_t why_size)
{
	char magic[8];
	uint64_t version, first, np, nk, nh;
	memset(rd, 0, sizeof(*rd));
	rd->f = fopen(path, "rb");
	if (!rd->f) {
		int err = -errno;
		snprintf(why, why_size, "%s", strerror(errno));
		return err;
	}
	int err;
	if (fread(magic, 1, 8, rd->f) != 8 || memcmp(magic, "KPTRACE1", 8)) {
		err = fail(why, why_size,
			   "not a kpath trace file (no KPTRACE1 magic)", 0);
		goto out;
	}
	rd->offset = 8;
	if (get_varint(rd, &version) < 0 || get_varint(rd, &first) < 0 ||
	    get_varint(rd, &np) < 0 || get_varint(rd, &nk) < 0 ||
	    get_varint(rd, &nh) < 0) {
		err = fail(why, why_size, "truncated header", rd->offset);
		goto out;
	}
	if (version != 1) {
		err = fail(why, why_size, "unknown version", rd->offset);
		goto out;
	}
	if (np > NAMES_MAX || nk > 256 || nh > 256) {
		err = fail(why, why_size, "too many names", rd->offset);
		goto out;
	}
	rd->strings = calloc((size_t)(np + nk + nh + 3), sizeof(char *));
	if (!rd->strings) {
		err = -ENOMEM;
		goto out;
	}
	rd->names.nr_probes = (unsigned)np;
	rd->names.nr_kinds = (unsigned)nk;
	rd->names.nr_hosts = (unsigned)nh;
	err = read_names(rd, (unsigned)np, &rd->names.probes, why, why_size);
	if (!err)
		err = read_names(rd, (unsigned)nk, &rd->names.kinds, why,
				 why_size);
	if (!err)
		err = read_names(rd, (unsigned)nh, &rd->names.hosts, why,
				 why_size);
	if (err == -ENOMEM)
		snprintf(why, why_size, "out of memory");
	if (err)
		goto out;
	rd->next_seq = first;
	rd->cur.seq = first - 1;
	return 0;
out:
	kp_trace_reader_close(rd);
	return err;
}

int kp_trace_reader_next(struct kp_trace_reader *rd, struct kp_trace_rec *out,
			 char *why, size_t why_size)
{
	struct kp_trace_rec *r = &rd->cur;
	uint64_t start = rd->offset, v;
	uint8_t m, b[3];
	if (get_byte(rd, &m) < 0)
		return 0; /* the end, between records */
	if (m & 0x60)
		return fail(why, why_size, "bad record flags", start);
	uint64_t seq = r->seq + 1;
	if ((m & 0x80) && get_varint(rd, &seq) < 0)
		goto truncated;
	if (get_varint(rd, &v) < 0 || get_byte(rd, &b[0]) < 0)
		goto truncated;
	if (v > 0xffff)
		return fail(why, why_size, "bad function number", start);
	r->seq = seq;
	r->probe = (uint16_t)v;
	r->depth = b[0];
	if (m & 0x01) {
		if (get_varint(rd, &v) < 0)
			goto truncated;
		int64_t d = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
		r->time += (uint64_t)d;
	}
	if (m & 0x02) {
		if (get_byte(rd, &b[0]) < 0 || get_byte(rd, &b[1]) < 0 ||
		    get_byte(rd, &b[2]) < 0 || get_varint(rd, &v) < 0)
			goto truncated;
		if (v > UINT32_MAX)
			return fail(why, why_size, "bad pid", start);
		r->host = b[0];
		r->cpu = b[1];
		r->ctx = b[2];
		r->pid = (uint32_t)v;
	}
	if (m & 0x04) {
		if (get_byte(rd, &b[0]) < 0 || get_varint(rd, &v) < 0)
			goto truncated;
		if (v > UINT32_MAX)
			return fail(why, why_size, "bad object id", start);
		r->obj_kind = b[0];
		r->obj_id = (uint32_t)v;
	}
	r->arg = 0;
	if ((m & 0x08) && get_varint(rd, &r->arg) < 0)
		goto truncated;
	r->flags = (m & 0x10) ? KP_TRF_HW : 0;
	*out = *r;
	return 1;
truncated:
	return fail(why, why_size, "truncated record", start);
}

void kp_trace_reader_close(struct kp_trace_reader *rd)
{
	if (rd->f)
		fclose(rd->f);
	for (unsigned i = 0; i < rd->nr_strings; i++)
		free(rd->strings[i]);
	free(rd->strings);
	memset(rd, 0, sizeof(*rd));
}
