/*
 * cmd_trace_file.c - the trace streamed to a file as it is made, and
 * such a file read back:
 *
 *   trace file FILE [--format bin|text] | trace file off | trace file
 *   trace dump FILE [N]
 *
 * The sink and both file forms are src/engine/trace_file.h.  Unlike
 * `trace save`, which writes what is still in the ring, a trace file
 * keeps every record from the moment it is opened, however long the
 * run.  No kernel counterpart: ftrace's trace_pipe and `trace-cmd
 * record` are the model.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine/trace_file.h"
#include "sched/host.h"
#include "session.h"

static const char *format_name(enum kp_trace_file_format f)
{
	return f == KP_TRACE_FILE_TEXT ? "text" : "bin";
}

static int trace_file_off(struct kp_session *s, struct kp_out *out)
{
	struct kp_trace *t = &s->world->trace;
	const char *path = kp_trace_sink_path(t);
	if (!path) {
		kp_puts(out, "No trace file is open.\n");
		return 0;
	}
	char *name = strdup(path);
	kp_trace_flush(t);
	uint64_t n = kp_trace_sink_records(t);
	int err = kp_trace_sink_close(t);
	if (err) {
		int ret = kp_cmd_error(s, out, "trace file: error writing "
					       "'%s': %s",
				       name ? name : "?", strerror(-err));
		free(name);
		return ret;
	}
	kp_printf(out, "Closed trace file %s: %" PRIu64 " record%s.\n",
		  name ? name : "?", n, n == 1 ? "" : "s");
	free(name);
	return 0;
}

static int cmd_trace_file(struct kp_session *s, int argc, char **argv,
			  struct kp_out *out)
{
	struct kp_world *w = s->world;
	struct kp_trace *t = &w->trace;
	const char *file = NULL, *format = "bin";

	if (argc == 0) {
		const char *path = kp_trace_sink_path(t);
		if (!path)
			kp_puts(out, "No trace file is open ('trace file FILE' "
				     "opens one).\n");
		else
			kp_printf(out, "Tracing to %s (%s): %" PRIu64
				       " records written so far.\n",
				  path, format_name(kp_trace_sink_format(t)),
				  kp_trace_sink_records(t));
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "off") == 0)
		return trace_file_off(s, out);
	if (!kp_cmd_file_format_args(argc, argv, &file, &format))
		return KP_CMD_USAGE;
	enum kp_trace_file_format f;
	if (strcmp(format, "bin") == 0)
		f = KP_TRACE_FILE_BIN;
	else if (strcmp(format, "text") == 0)
		f = KP_TRACE_FILE_TEXT;
	else
		return kp_cmd_error(s, out, "unknown format '%s'; use bin or "
					    "text",
				    format);
	const char *hosts[KP_MAX_HOSTS];
	unsigned nr = 0;
	for (int i = 0; i < w->nr_hosts && i < KP_MAX_HOSTS; i++)
		hosts[nr++] = w->hosts[i]->name;
	const char *old = kp_trace_sink_path(t);
	if (old)
		kp_printf(out, "Closed trace file %s.\n", old);
	int err = kp_trace_sink_open(t, file, f, hosts, nr);
	if (err)
		return kp_cmd_error(s, out, "trace file: cannot write '%s': %s",
				    file, strerror(-err));
	kp_printf(out, "Tracing to %s (%s) from #seq %" PRIu64 ".\n", file,
		  format, t->seq);
	return 0;
}

const struct kp_cmd kp_cmd_trace_file = {
	.name = "trace file",
	.aliases = NULL,
	.usage = "trace file FILE [--format bin|text] | trace file off | "
		 "trace file",
	.summary = "stream every trace record to a file as it is made",
	.help = "Writes every trace record from now on to FILE, however\n"
		"long the run: the ring only keeps the last 'trace-size'.\n"
		"The file is complete up to the last stop; 'trace file off'\n"
		"closes it, 'trace file' alone says where it goes.  A reboot\n"
		"or going back (goto, reverse-*) builds a new world and ends\n"
		"the file.\n"
		"\n"
		"bin (the default) takes a few bytes a record and costs the\n"
		"run little; 'trace dump FILE' prints it as text.  text writes\n"
		"that form directly, one line a record:\n"
		"  SEQ TIME HOST CPU CTX PID DEPTH FUNCTION [KIND#ID] [arg=N]\n"
		"TIME in virtual seconds, CPU 'hw' (and CTX 'hw') for a\n"
		"device, PID the task the CPU ran.\n"
		"\n"
		"Example:\n"
		"  trace file /tmp/run.kpt\n"
		"  replay capture.pcap on server\n"
		"  trace file off\n"
		"  trace dump /tmp/run.kpt 20\n",
	.group = "status",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_trace_file,
};

static int cmd_trace_dump(struct kp_session *s, int argc, char **argv,
			  struct kp_out *out)
{
	unsigned long long max = UINT64_MAX;
	char why[160], line[256];
	struct kp_trace_reader rd;
	if (argc < 1 || argc > 2)
		return KP_CMD_USAGE;
	if (argc == 2) {
		char *end;
		max = strtoull(argv[1], &end, 10);
		if (*end || argv[1][0] == '-' || !max)
			return kp_cmd_error(s, out, "trace dump takes a number "
						    "of records, e.g. 'trace "
						    "dump %s 50'",
					    argv[0]);
	}
	int err = kp_trace_reader_open(&rd, argv[0], why, sizeof(why));
	if (err)
		return kp_cmd_error(s, out, "trace dump: %s: %s", argv[0], why);
	struct kp_trace_rec r;
	unsigned long long n = 0;
	while (n < max &&
	       (err = kp_trace_reader_next(&rd, &r, why, sizeof(why))) > 0) {
		kp_trace_rec_text(line, sizeof(line), &r, &rd.names);
		kp_puts(out, line);
		n++;
	}
	kp_trace_reader_close(&rd);
	if (err < 0)
		return kp_cmd_error(s, out, "trace dump: %s: %s (after %llu "
					    "records)",
				    argv[0], why, n);
	return 0;
}

const struct kp_cmd kp_cmd_trace_dump = {
	.name = "trace dump",
	.aliases = NULL,
	.usage = "trace dump FILE [N]",
	.summary = "print a bin trace file as text",
	.help = "Prints the records of a file written by 'trace file FILE'\n"
		"(bin form), the first N or all, one line a record:\n"
		"  SEQ TIME HOST CPU CTX PID DEPTH FUNCTION [KIND#ID] [arg=N]\n"
		"the form 'trace file FILE --format text' writes.  The names\n"
		"come from the file, so it reads files of other kpath builds.\n"
		"A damaged file is read up to the fault, which is named with\n"
		"its byte offset.\n"
		"\n"
		"Example:\n"
		"  trace dump /tmp/run.kpt 20\n",
	.group = "status",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_trace_dump,
};
