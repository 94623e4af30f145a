/*
 * cmd_trace_save.c - trace exporters and the trace filter:
 *
 *   trace save FILE [--format text|json|chrome]
 *   trace filter [skb#N] [host H] [cpu N|hw] [layer L] | trace filter off
 *
 * text is the function_graph view of `trace` (or one line per record
 * when a filter is on); json is one JSON object per record (JSON lines);
 * chrome is the Chrome trace event format that Perfetto and
 * chrome://tracing open: one process per host, one thread per CPU and
 * context (task, softirq, hardirq) plus one for the host's devices, and
 * B/E events made from the call depths of the records (a record at depth
 * d ends the open calls at depth >= d of its track).  No kernel
 * counterpart; ftrace's trace_pipe and trace-cmd's exports are the model.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "debugger.h"
#include "engine/ids.h"
#include "engine/probe.h"
#include "format_sched.h"
#include "format_trace.h"
#include "sched/host.h"
#include "session.h"

bool kp_trace_filter_match(const struct kp_trace_filter *f,
			   const struct kp_trace_rec *r)
{
	if (!f->active)
		return true;
	if (f->skb >= 0 && (r->obj_kind != KP_OBJ_SKB ||
			    r->obj_id != (uint32_t)f->skb))
		return false;
	if (f->host >= 0 && r->host != f->host)
		return false;
	if (f->cpu == -2 && !(r->flags & KP_TRF_HW))
		return false;
	if (f->cpu >= 0 && ((r->flags & KP_TRF_HW) || r->cpu != f->cpu))
		return false;
	if (f->layer >= 0 && (r->probe >= KP_NR_PROBES ||
			      (int)kp_probes[r->probe].layer != f->layer))
		return false;
	return true;
}

static const char *host_name(struct kp_world *w, int host)
{
	return host < w->nr_hosts ? w->hosts[host]->name : "?";
}

/* One record on one line: the filtered `trace` and text export. */
static void print_flat(struct kp_out *out, struct kp_world *w,
		       const struct kp_trace_rec *r)
{
	char cpu[8];
	bool hw = r->flags & KP_TRF_HW;
	snprintf(cpu, sizeof(cpu), hw ? "hw" : "cpu%u", r->cpu);
	kp_printf(out, "%8" PRIu64 " %4" PRIu64 ".%09" PRIu64 " %-6s %-4s "
		       "%-7s %-16s %*s%s",
		  r->seq, r->time / 1000000000, r->time % 1000000000,
		  host_name(w, r->host), cpu,
		  kp_ctx_name((enum kp_ctx_kind)r->ctx),
		  hw ? "-" : kp_task_comm(w, r->host, r->cpu, r->pid),
		  2 * (r->depth ? r->depth - 1 : 0), "",
		  r->probe < KP_NR_PROBES ? kp_probes[r->probe].name : "?");
	if (r->obj_kind)
		kp_printf(out, "  /* %s#%u */",
			  kp_obj_kind_name((enum kp_obj_kind)r->obj_kind),
			  r->obj_id);
	kp_puts(out, "\n");
}

static uint64_t first_kept(struct kp_world *w, uint64_t count)
{
	uint64_t end = w->trace.seq;
	uint64_t avail = kp_trace_available(&w->trace);
	if (count > avail)
		count = avail;
	return end - count;
}

/* The last @count records that pass the filter, one a line. */
static void print_filtered(struct kp_out *out, struct kp_world *w,
			   const struct kp_trace_filter *f, uint64_t count)
{
	uint64_t end = w->trace.seq, first = first_kept(w, UINT64_MAX);
	uint64_t start = end, n = 0;
	while (start > first && n < count) {
		const struct kp_trace_rec *r = kp_trace_get(&w->trace,
							    start - 1);
		start--;
		if (r && kp_trace_filter_match(f, r))
			n++;
	}
	kp_puts(out, "#    SEQ         TIME HOST   CPU  CTX     TASK"
		     "              FUNCTION\n");
	for (uint64_t i = start; i < end; i++) {
		const struct kp_trace_rec *r = kp_trace_get(&w->trace, i);
		if (r && kp_trace_filter_match(f, r))
			print_flat(out, w, r);
	}
}

void kp_trace_print(struct kp_session *s, struct kp_out *out, uint64_t count)
{
	struct kp_dbg *d = s->dbg;
	if (d && d->filter.active)
		print_filtered(out, s->world, &d->filter, count);
	else
		kp_fmt_trace_last(out, s->world, count);
}

/* ---- JSON ---- */

static void json_rec(FILE *f, struct kp_world *w,
		     const struct kp_trace_rec *r)
{
	bool hw = r->flags & KP_TRF_HW;
	fprintf(f, "{\"seq\":%" PRIu64 ",\"time_ns\":%" PRIu64
		   ",\"host\":\"%s\",",
		r->seq, r->time, host_name(w, r->host));
	if (hw)
		fprintf(f, "\"cpu\":\"hw\",");
	else
		fprintf(f, "\"cpu\":%u,", r->cpu);
	fprintf(f, "\"ctx\":\"%s\",\"pid\":%u,\"depth\":%u,\"func\":\"%s\","
		   "\"layer\":\"%s\"",
		kp_ctx_name((enum kp_ctx_kind)r->ctx), r->pid, r->depth,
		r->probe < KP_NR_PROBES ? kp_probes[r->probe].name : "?",
		r->probe < KP_NR_PROBES
			? kp_layer_name(kp_probes[r->probe].layer)
			: "?");
	if (r->obj_kind)
		fprintf(f, ",\"obj\":\"%s#%u\"",
			kp_obj_kind_name((enum kp_obj_kind)r->obj_kind),
			r->obj_id);
	if (r->arg)
		fprintf(f, ",\"arg\":%" PRIu64, r->arg);
	fputs("}\n", f);
}

/* ---- Chrome trace events ---- */

#define TRACKS_PER_HOST 256
#define HW_TID 255

struct track {
	uint8_t depth[KP_MAX_DEPTH]; /* open calls, by depth */
	uint16_t probe[KP_MAX_DEPTH];
	int open;
	bool named;
};

static int track_tid(const struct kp_trace_rec *r)
{
	if (r->flags & KP_TRF_HW)
		return HW_TID;
	int tid = r->cpu * 4 + (r->ctx < KP_CTX_HW ? r->ctx : 0);
	return tid < HW_TID ? tid : HW_TID - 1;
}

static void chrome_ts(FILE *f, uint64_t ns)
{
	fprintf(f, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

static void chrome_end(FILE *f, int pid, int tid, uint16_t probe,
		       uint64_t ns, bool *first)
{
	fprintf(f, "%s{\"ph\":\"E\",\"pid\":%d,\"tid\":%d,\"name\":\"%s\","
		   "\"ts\":",
		*first ? "" : ",\n", pid, tid,
		probe < KP_NR_PROBES ? kp_probes[probe].name : "?");
	chrome_ts(f, ns);
	fputs("}", f);
	*first = false;
}

static int save_chrome(FILE *f, struct kp_world *w,
		       const struct kp_trace_filter *flt, uint64_t first,
		       uint64_t end)
{
	size_t ntracks = (size_t)(w->nr_hosts ? w->nr_hosts : 1) *
			 TRACKS_PER_HOST;
	struct track *tracks = calloc(ntracks, sizeof(*tracks));
	if (!tracks)
		return -ENOMEM;
	bool sep = true;
	uint64_t last_ns = 0;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
	for (int h = 0; h < w->nr_hosts; h++) {
		fprintf(f, "%s{\"ph\":\"M\",\"pid\":%d,\"name\":"
			   "\"process_name\",\"args\":{\"name\":\"%s\"}}",
			sep ? "" : ",\n", h, host_name(w, h));
		sep = false;
	}
	for (uint64_t i = first; i < end; i++) {
		const struct kp_trace_rec *r = kp_trace_get(&w->trace, i);
		if (!r || !kp_trace_filter_match(flt, r) ||
		    r->host >= w->nr_hosts)
			continue;
		int tid = track_tid(r);
		struct track *t = &tracks[r->host * TRACKS_PER_HOST + tid];
		if (!t->named) {
			char name[32];
			if (tid == HW_TID)
				snprintf(name, sizeof(name), "devices");
			else
				snprintf(name, sizeof(name), "cpu%u %s",
					 r->cpu,
					 kp_ctx_name((enum kp_ctx_kind)r->ctx));
			fprintf(f, ",\n{\"ph\":\"M\",\"pid\":%d,\"tid\":%d,"
				   "\"name\":\"thread_name\",\"args\":"
				   "{\"name\":\"%s\"}}",
				r->host, tid, name);
			t->named = true;
		}
		/* a record at depth d: the calls at d and deeper returned */
		while (t->open && t->depth[t->open - 1] >= r->depth) {
			t->open--;
			chrome_end(f, r->host, tid, t->probe[t->open], r->time,
				   &sep);
		}
		fprintf(f, ",\n{\"ph\":\"B\",\"pid\":%d,\"tid\":%d,\"name\":"
			   "\"%s\",\"cat\":\"%s\",\"ts\":",
			r->host, tid,
			r->probe < KP_NR_PROBES ? kp_probes[r->probe].name
						: "?",
			r->probe < KP_NR_PROBES
				? kp_layer_name(kp_probes[r->probe].layer)
				: "?");
		chrome_ts(f, r->time);
		fprintf(f, ",\"args\":{\"seq\":%" PRIu64, r->seq);
		if (r->obj_kind)
			fprintf(f, ",\"obj\":\"%s#%u\"",
				kp_obj_kind_name((enum kp_obj_kind)r->obj_kind),
				r->obj_id);
		fputs("}}", f);
		if (t->open < KP_MAX_DEPTH) {
			t->depth[t->open] = r->depth;
			t->probe[t->open] = r->probe;
			t->open++;
		}
		if (r->time > last_ns)
			last_ns = r->time;
	}
	/* close what is still open at the last record's time */
	for (size_t k = 0; k < ntracks; k++) {
		struct track *t = &tracks[k];
		while (t->open) {
			t->open--;
			chrome_end(f, (int)(k / TRACKS_PER_HOST),
				   (int)(k % TRACKS_PER_HOST),
				   t->probe[t->open], last_ns, &sep);
		}
	}
	fputs("\n]}\n", f);
	free(tracks);
	return 0;
}

static int cmd_trace_save(struct kp_session *s, int argc, char **argv,
			  struct kp_out *out)
{
	const char *file = NULL, *format = "text";
	if (!kp_cmd_file_format_args(argc, argv, &file, &format))
		return KP_CMD_USAGE;
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "chrome"))
		return kp_cmd_error(s, out, "unknown format '%s'; use text, "
					    "json or chrome",
				    format);
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	struct kp_world *w = s->world;
	uint64_t end = w->trace.seq, first = first_kept(w, UINT64_MAX);
	FILE *f = fopen(file, "w");
	if (!f)
		return kp_cmd_error(s, out, "trace save: cannot write '%s': %s",
				    file, strerror(errno));
	uint64_t n = 0;
	for (uint64_t i = first; i < end; i++) {
		const struct kp_trace_rec *r = kp_trace_get(&w->trace, i);
		n += r && kp_trace_filter_match(&d->filter, r);
	}
	int err = 0;
	if (strcmp(format, "json") == 0) {
		for (uint64_t i = first; i < end; i++) {
			const struct kp_trace_rec *r =
				kp_trace_get(&w->trace, i);
			if (r && kp_trace_filter_match(&d->filter, r))
				json_rec(f, w, r);
		}
	} else if (strcmp(format, "chrome") == 0) {
		err = save_chrome(f, w, &d->filter, first, end);
	} else {
		struct kp_out fo;
		kp_out_init_file(&fo, f);
		if (d->filter.active)
			print_filtered(&fo, w, &d->filter, UINT64_MAX);
		else
			kp_fmt_trace_range(&fo, w, first, end);
	}
	if (ferror(f))
		err = -EIO;
	if (fclose(f) || err)
		return kp_cmd_error(s, out, "trace save: error writing '%s'",
				    file);
	kp_printf(out, "Saved %" PRIu64 " record%s (#seq %" PRIu64 "..%" PRIu64
		       ") as %s to %s.\n",
		  n, n == 1 ? "" : "s", first, end ? end - 1 : 0, format, file);
	return 0;
}

const struct kp_cmd kp_cmd_trace_save = {
	.name = "trace save",
	.aliases = NULL,
	.usage = "trace save FILE [--format text|json|chrome]",
	.summary = "write the trace ring to a file: text, JSON lines, Chrome",
	.help = "Writes the records still in the trace ring (those passing\n"
		"'trace filter') to FILE.  text: the function_graph view of\n"
		"'trace' (one line per record when a filter is on).  json:\n"
		"one object per line - seq, time_ns, host, cpu, ctx, pid,\n"
		"depth, func, layer, obj, arg.  chrome: the Chrome trace\n"
		"event format that ui.perfetto.dev and chrome://tracing open,\n"
		"one process per host and one track per CPU and context\n"
		"(task, softirq, hardirq) plus the devices, each call a slice\n"
		"from its step point to the next record at its depth or\n"
		"shallower.\n"
		"\n"
		"Example:\n"
		"  trace save /tmp/kpath.json --format chrome\n",
	.group = "status",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_trace_save,
};

static void show_filter(struct kp_session *s, const struct kp_trace_filter *f,
			struct kp_out *out)
{
	if (!f->active) {
		kp_puts(out, "No trace filter: 'trace' shows every record.\n");
		return;
	}
	kp_puts(out, "trace filter:");
	if (f->skb >= 0)
		kp_printf(out, " skb#%" PRId64, f->skb);
	if (f->host >= 0)
		kp_printf(out, " host %s", host_name(s->world, f->host));
	if (f->cpu == -2)
		kp_puts(out, " cpu hw");
	else if (f->cpu >= 0)
		kp_printf(out, " cpu %d", f->cpu);
	if (f->layer >= 0)
		kp_printf(out, " layer %s",
			  kp_layer_name((enum kp_layer)f->layer));
	kp_puts(out, "\n");
}

static int find_host(struct kp_world *w, const char *name)
{
	for (int i = 0; i < w->nr_hosts; i++)
		if (strcmp(w->hosts[i]->name, name) == 0)
			return i;
	return -1;
}

static int cmd_trace_filter(struct kp_session *s, int argc, char **argv,
			    struct kp_out *out)
{
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	if (argc == 0) {
		show_filter(s, &d->filter, out);
		return 0;
	}
	struct kp_trace_filter f = { .active = true, .skb = -1, .host = -1,
				     .cpu = -1, .layer = -1 };
	if (argc == 1 && (strcmp(argv[0], "off") == 0 ||
			  strcmp(argv[0], "clear") == 0)) {
		f.active = false;
		d->filter = f;
		show_filter(s, &f, out);
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		char *end;
		if (strncmp(a, "skb#", 4) == 0) {
			f.skb = strtol(a + 4, &end, 10);
			if (*end || a[4] < '0' || a[4] > '9')
				return kp_cmd_error(s, out, "'%s' is not an "
							    "skb; write "
							    "skb#N",
						    a);
			continue;
		}
		if (i + 1 >= argc)
			return KP_CMD_USAGE;
		const char *v = argv[++i];
		if (strcmp(a, "host") == 0) {
			f.host = find_host(s->world, v);
			if (f.host < 0)
				return kp_cmd_error(s, out, "no host '%s'; "
							    "try client or "
							    "server",
						    v);
		} else if (strcmp(a, "cpu") == 0) {
			if (strcmp(v, "hw") == 0) {
				f.cpu = -2;
				continue;
			}
			f.cpu = (int)strtol(v, &end, 10);
			if (*end || v[0] < '0' || v[0] > '9')
				return kp_cmd_error(s, out, "'%s' is not a CPU "
							    "number (or hw)",
						    v);
		} else if (strcmp(a, "layer") == 0) {
			f.layer = -1;
			for (int l = 0; l < KP_LAYER_NR; l++)
				if (strcmp(kp_layer_name((enum kp_layer)l),
					   v) == 0)
					f.layer = l;
			if (f.layer < 0)
				return kp_cmd_error(s, out, "no layer '%s'; "
							    "'info functions' "
							    "shows the layers",
						    v);
		} else {
			return KP_CMD_USAGE;
		}
	}
	d->filter = f;
	show_filter(s, &f, out);
	return 0;
}

const struct kp_cmd kp_cmd_trace_filter = {
	.name = "trace filter",
	.aliases = NULL,
	.usage = "trace filter [skb#N] [host H] [cpu N|hw] [layer L] | "
		 "trace filter off",
	.summary = "narrow 'trace' and 'trace save' to an skb, host, CPU, layer",
	.help = "Keeps only the records that match every condition given:\n"
		"the object skb#N, the host H, the CPU N (hw: device events),\n"
		"the layer L (ip, udp, dev, driver, softirq... as 'info\n"
		"functions' groups them).  'trace' then prints the matching\n"
		"records one a line with their #seq; 'trace save' writes only\n"
		"them.  'trace filter off' shows everything again; 'trace\n"
		"filter' alone shows the filter.\n"
		"\n"
		"Example:\n"
		"  trace filter host server layer ip\n"
		"  trace 10\n"
		"  trace filter off\n",
	.group = "status",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_trace_filter,
};
