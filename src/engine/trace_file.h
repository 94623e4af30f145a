/*
 * trace_file.h - streaming the trace to a file as it is made (`trace file
 * FILE`), and reading such a file back (`trace dump FILE`).
 *
 * The sink hangs off struct kp_trace.  Records are not copied one by one
 * as probes make them: the ring is the buffer.  A probe that fills the
 * ring up to the oldest record not yet written (kp_trace_must_flush)
 * takes its slow path, which writes the ring out; every run writes the
 * rest when it stops.  So the file always holds every record up to the
 * last stop, in order, and the probes' fast path gains one compare.
 * No kernel counterpart: ftrace's trace_pipe / trace-cmd record.
 *
 * Two formats.  text: one line per record,
 *
 *	SEQ TIME HOST CPU CTX PID DEPTH FUNCTION [KIND#ID] [arg=N]
 *
 * e.g. "1042 0.000153210 server cpu1 softirq 0 7 ip_rcv skb#12"; TIME is
 * virtual seconds with 9 decimals, CPU is "hw" for a device's step point
 * (CTX "hw" too), PID the task the CPU ran (0: none).  `trace dump FILE`
 * prints a binary file in this same form.
 *
 * bin (the default, a few bytes per record): the header
 *
 *	"KPTRACE1", then varints: version (1), first SEQ, the number of
 *	function names, object kind names and host names, then each name
 *	as a varint length and its bytes;
 *
 * then one record after another, each relative to the one before it
 * (all fields start at 0):
 *
 *	byte M: bit 0 time changed, bit 1 place changed, bit 2 object
 *	changed, bit 3 arg non-zero, bit 4 device record, bit 7 a jump in
 *	SEQ (records missing) - then, in this order: [SEQ varint if bit 7]
 *	PROBE varint, DEPTH byte, [time delta, zigzag varint, if bit 0]
 *	[HOST byte, CPU byte, CTX byte, PID varint if bit 1]
 *	[KIND byte, ID varint if bit 2] [ARG varint if bit 3].
 *
 * Varints are LEB128 (7 bits a byte, low first).  SEQ of a record is
 * the one before it + 1 unless bit 7 says otherwise.
 */
#ifndef KP_ENGINE_TRACE_FILE_H
#define KP_ENGINE_TRACE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

enum kp_trace_file_format {
	KP_TRACE_FILE_BIN,
	KP_TRACE_FILE_TEXT,
};

/* The names a record's numbers stand for. */
struct kp_trace_names {
	const char *const *probes;
	unsigned nr_probes;
	const char *const *kinds;
	unsigned nr_kinds;
	const char *const *hosts;
	unsigned nr_hosts;
};

/* Stream @t's records from now on to @path (truncated).  @hosts names
 * the hosts (copied).  0, or -errno; a sink already open is closed. */
int kp_trace_sink_open(struct kp_trace *t, const char *path,
		       enum kp_trace_file_format format,
		       const char *const *hosts, unsigned nr_hosts);
/* Write what is left and close: 0, or -errno of the first failure. */
int kp_trace_sink_close(struct kp_trace *t);
/* Records written so far, and the file's name (NULL when none). */
uint64_t kp_trace_sink_records(const struct kp_trace *t);
const char *kp_trace_sink_path(const struct kp_trace *t);
enum kp_trace_file_format kp_trace_sink_format(const struct kp_trace *t);

/* One record in the text form, with its newline; returns the length
 * (as snprintf). */
int kp_trace_rec_text(char *buf, size_t size, const struct kp_trace_rec *r,
		      const struct kp_trace_names *names);

/* ---- reading a bin file back ---- */

struct kp_trace_reader {
	FILE *f;
	uint64_t offset; /* bytes read */
	struct kp_trace_names names;
	char **strings; /* every name, owned */
	unsigned nr_strings;
	struct kp_trace_rec cur; /* the last record read */
	uint64_t next_seq;
};

/* 0, or -errno with a one-line reason in @why. */
int kp_trace_reader_open(struct kp_trace_reader *rd, const char *path,
			 char *why, size_t why_size);
/* 1 with the next record in *@out, 0 at the end, -EINVAL (reason in
 * @why) for a damaged record. */
int kp_trace_reader_next(struct kp_trace_reader *rd, struct kp_trace_rec *out,
			 char *why, size_t why_size);
void kp_trace_reader_close(struct kp_trace_reader *rd);

#endif
