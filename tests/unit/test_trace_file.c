/*
 * test_trace_file.c - the trace's file sink and reader
 * (src/engine/trace_file.c, trace_file_read.c): records written through
 * a small ring come back whole and in order, the text form, and damaged
 * files give a named fault instead of a crash.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/probe.h"
#include "engine/trace_file.h"
#include "kp_test.h"

static void tmp_path(char *buf, size_t n, const char *what)
{
	snprintf(buf, n, "%s/kp-test-trace-%s-%d.kpt",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", what,
		 (int)getpid());
}

/* A record made as a probe would, with varied fields. */
static void fill(struct kp_trace *t, uint64_t i)
{
	struct kp_trace_rec *r = kp_trace_append(t);
	r->time = 1000 + i * 37 - (i % 3) * 50; /* CPUs' clocks interleave */
	r->probe = (uint16_t)(i % KP_NR_PROBES);
	r->host = (uint8_t)(i % 2);
	r->cpu = (uint8_t)(i % 5 == 0 ? 0xff : i % 2);
	r->ctx = (uint8_t)(i % 5 == 0 ? KP_CTX_HW : i % 3);
	r->depth = (uint8_t)(1 + i % 9);
	r->obj_kind = (uint8_t)(i % 4 ? KP_OBJ_SKB : KP_OBJ_NONE);
	r->flags = i % 5 == 0 ? KP_TRF_HW : 0;
	r->pid = (uint32_t)(i / 7);
	r->obj_id = r->obj_kind ? (uint32_t)(i / 4 + 1) : 0;
	r->arg = i % 11 == 0 ? i * 100000 : 0;
	if (kp_trace_must_flush(t, r->seq))
		kp_trace_flush(t);
}

static bool same(const struct kp_trace_rec *a, const struct kp_trace_rec *b)
{
	return a->seq == b->seq && a->time == b->time &&
	       a->probe == b->probe && a->host == b->host &&
	       a->cpu == b->cpu && a->ctx == b->ctx && a->depth == b->depth &&
	       a->obj_kind == b->obj_kind && a->flags == b->flags &&
	       a->pid == b->pid && a->obj_id == b->obj_id && a->arg == b->arg;
}

KP_TEST(bin_file_holds_every_record_past_the_ring)
{
	char path[256], why[160];
	static const char *const hosts[] = { "client", "server" };
	struct kp_trace t = { 0 }, ref = { 0 };
	tmp_path(path, sizeof(path), "bin");
	KP_CHECK_EQ(st, kp_trace_init(&t, 4), 0);    /* a 16-record ring */
	KP_CHECK_EQ(st, kp_trace_init(&ref, 12), 0); /* keeps them all */
	for (uint64_t i = 0; i < 5; i++)
		fill(&t, i); /* before the file: not in it */
	KP_CHECK_EQ(st, kp_trace_sink_open(&t, path, KP_TRACE_FILE_BIN, hosts,
					   2),
		    0);
	for (uint64_t i = 0; i < 5; i++)
		fill(&ref, i);
	for (uint64_t i = 5; i < 1000; i++) {
		fill(&t, i);
		fill(&ref, i);
	}
	KP_CHECK_EQ(st, kp_trace_sink_close(&t), 0);

	struct kp_trace_reader rd;
	KP_CHECK_EQ(st, kp_trace_reader_open(&rd, path, why, sizeof(why)), 0);
	KP_CHECK_STR(st, rd.names.hosts[1], "server");
	KP_CHECK_STR(st, rd.names.probes[KP_P_ip_rcv], "ip_rcv");
	struct kp_trace_rec r;
	uint64_t n = 0, bad = 0;
	while (kp_trace_reader_next(&rd, &r, why, sizeof(why)) > 0) {
		if (!same(&r, kp_trace_get(&ref, 5 + n)))
			bad++;
		n++;
	}
	KP_CHECK_EQ(st, n, 995);
	KP_CHECK_EQ(st, bad, 0);
	kp_trace_reader_close(&rd);
	kp_trace_free(&t);
	kp_trace_free(&ref);
	unlink(path);
}

KP_TEST(text_form_is_one_line_a_record)
{
	char line[256];
	static const char *const probes[] = { "start_kernel", "ip_rcv" };
	static const char *const kinds[] = { "", "skb" };
	static const char *const hosts[] = { "client", "server" };
	struct kp_trace_names n = { probes, 2, kinds, 2, hosts, 2 };
	struct kp_trace_rec r = { .seq = 1042, .time = 153210, .probe = 1,
				  .host = 1, .cpu = 1, .ctx = KP_CTX_SOFTIRQ,
				  .depth = 7, .obj_kind = 1, .obj_id = 12 };
	kp_trace_rec_text(line, sizeof(line), &r, &n);
	KP_CHECK_STR(st, line,
		     "1042 0.000153210 server cpu1 softirq 0 7 ip_rcv skb#12\n");
	r = (struct kp_trace_rec){ .seq = 3, .time = 2000000001, .probe = 9,
				   .host = 7, .cpu = 0xff, .ctx = KP_CTX_HW,
				   .depth = 1, .flags = KP_TRF_HW, .arg = 60 };
	kp_trace_rec_text(line, sizeof(line), &r, &n);
	KP_CHECK_STR(st, line, "3 2.000000001 ? hw hw 0 1 ? arg=60\n");
}

static int write_bytes(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(b, 1, n, f);
	return fclose(f);
}

KP_TEST(damaged_files_name_their_fault)
{
	char path[256], bad[256], why[160], line[256];
	struct kp_trace t = { 0 };
	struct kp_trace_reader rd;
	struct kp_trace_rec r = { 0 };
	tmp_path(path, sizeof(path), "good");
	tmp_path(bad, sizeof(bad), "bad");
	KP_CHECK_EQ(st, kp_trace_init(&t, 6), 0);
	KP_CHECK_EQ(st, kp_trace_sink_open(&t, path, KP_TRACE_FILE_BIN, NULL,
					   0),
		    0);
	for (uint64_t i = 0; i < 50; i++)
		fill(&t, i);
	KP_CHECK_EQ(st, kp_trace_sink_close(&t), 0);
	kp_trace_free(&t);

	/* not a trace file */
	KP_CHECK_EQ(st, write_bytes(bad, "hello, world\n", 13), 0);
	KP_CHECK_EQ(st, kp_trace_reader_open(&rd, bad, why, sizeof(why)),
		    -EINVAL);
	KP_CHECK(st, strstr(why, "not a kpath trace file") != NULL);
	/* missing */
	KP_CHECK(st, kp_trace_reader_open(&rd, "/nonexistent/x.kpt", why,
					  sizeof(why)) < 0);

	/* every truncation of the good file: a fault or a clean end, never
	 * more records than were written */
	FILE *f = fopen(path, "rb");
	static uint8_t buf[1 << 16];
	size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	KP_CHECK(st, len > 8);
	int faults = 0;
	for (size_t cut = 0; cut < len; cut += 7) {
		write_bytes(bad, buf, cut);
		if (kp_trace_reader_open(&rd, bad, why, sizeof(why)) < 0) {
			faults++;
			continue;
		}
		int n = 0, err;
		while ((err = kp_trace_reader_next(&rd, &r, why,
						   sizeof(why))) > 0)
			n++;
		KP_CHECK(st, n <= 50);
		if (err < 0) {
			faults++;
			KP_CHECK(st, strstr(why, "at byte") != NULL);
		}
		kp_trace_reader_close(&rd);
	}
	KP_CHECK(st, faults > 0);
	/* flipped bytes in the records: never a crash */
	for (size_t i = len > 200 ? len - 200 : 8; i < len; i++) {
		uint8_t save = buf[i];
		buf[i] ^= 0xa5;
		write_bytes(bad, buf, len);
		if (kp_trace_reader_open(&rd, bad, why, sizeof(why)) == 0) {
			int guard = 0;
			while (kp_trace_reader_next(&rd, &r, why, sizeof(why)) >
				       0 &&
			       guard < 10000)
				guard++;
			kp_trace_rec_text(line, sizeof(line), &r, &rd.names);
			kp_trace_reader_close(&rd);
		}
		buf[i] = save;
	}
	unlink(bad);
	unlink(path);
}

KP_TEST_MAIN(bin_file_holds_every_record_past_the_ring,
	     text_form_is_one_line_a_record, damaged_files_name_their_fault)
