/*
 * cmd_quit.c - quit.
 */
#include <stdlib.h>

#include "cmd.h"
#include "session.h"

static int cmd_quit(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	if (argc > 1)
		return KP_CMD_USAGE;
	if (argc == 1) {
		char *end;
		long code = strtol(argv[0], &end, 10);
		if (*end || code < 0 || code > 255)
			return kp_cmd_error(s, out, "quit takes an exit status "
						    "0 to 255, e.g. 'quit 1'");
		s->quit_code = (int)code;
	}
	s->quit = true;
	return 0;
}

const struct kp_cmd kp_cmd_quit = {
	.name = "quit",
	.aliases = KP_ALIASES("q", "exit"),
	.usage = "quit [STATUS]",
	.summary = "leave kpath",
	.help = "Leaves kpath; in a script, nothing after it runs.  The exit\n"
		"status is STATUS if given, otherwise batch mode's usual one\n"
		"(0, 1 after a failed expect, 2 after an error).  quit boots\n"
		"the world first if it has not started, so `kpath --batch -c\n"
		"quit` measures a boot.\n"
		"\n"
		"Example:\n"
		"  quit\n",
	.group = "support",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_quit,
};
