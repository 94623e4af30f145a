/*
 * cmd_trace.c - trace: the last records of the trace ring.
 */
#include <stdlib.h>

#include "cmd.h"
#include "debugger.h"
#include "format_trace.h"
#include "session.h"

static int cmd_trace(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out)
{
	unsigned long long n = 20;
	if (argc > 1)
		return KP_CMD_USAGE;
	if (argc == 1) {
		char *end;
		n = strtoull(argv[0], &end, 10);
		if (*end || n == 0 || argv[0][0] == '-')
			return kp_cmd_error(s, out, "trace takes a number of "
						    "records, e.g. 'trace 50'");
	}
	kp_trace_print(s, out, n); /* through `trace filter` */
	return 0;
}

const struct kp_cmd kp_cmd_trace = {
	.name = "trace",
	.aliases = NULL,
	.usage = "trace [N]",
	.summary = "the last N step points passed (default 20)",
	.help = "Prints the last N records of the trace ring in the style of\n"
		"ftrace's function_graph tracer: virtual time, host, CPU (hw\n"
		"for a device), context, task as comm-pid, then the function\n"
		"indented by call depth - 'f() {' when it calls further,\n"
		"'f();' when it does not, '}' when the calls return - and its\n"
		"object in a comment.  CPUs interleave in time order, each\n"
		"line belongs to its own stack.  The ring keeps the last\n"
		"'trace-size' records ('set trace-size' changes it).\n"
		"\n"
		"Example:\n"
		"  trace 50\n",
	.group = "status",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_trace,
};
