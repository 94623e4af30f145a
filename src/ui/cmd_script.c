/*
 * cmd_script.c - the commands scripts are made of: say, echo, pause,
 * expect, save output, source.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "expect.h"
#include "session.h"
#include "tokenize.h"

/* The words joined by spaces, printed as a line. */
static void print_words(struct kp_out *out, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		kp_printf(out, "%s%s", i ? " " : "", argv[i]);
	kp_puts(out, "\n");
}

static int cmd_say(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	(void)s;
	print_words(out, argc, argv);
	return 0;
}

const struct kp_cmd kp_cmd_say = {
	.name = "say",
	.aliases = NULL,
	.usage = "say TEXT...",
	.summary = "narrate: print a line of a lesson",
	.help = "Prints TEXT, for the reader of a script or lesson.  Unlike\n"
		"echo, say is narration: 'expect output' still looks at the\n"
		"command before it.\n"
		"\n"
		"Example:\n"
		"  say \"ksoftirqd/0 sleeps until a softirq is pending:\"\n"
		"  ps server\n",
	.group = "scripts",
	.flags = KP_CMD_SETUP | KP_CMD_KEEP_OUTPUT,
	.complete = NULL,
	.handler = cmd_say,
};

static int cmd_echo(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	(void)s;
	print_words(out, argc, argv);
	return 0;
}

const struct kp_cmd kp_cmd_echo = {
	.name = "echo",
	.aliases = NULL,
	.usage = "echo TEXT...",
	.summary = "print a line (as a command's output)",
	.help = "Prints TEXT.  Its output is captured like any command's, so\n"
		"'expect output contains' can check it.\n"
		"\n"
		"Example:\n"
		"  echo \"--- after boot ---\"\n",
	.group = "scripts",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_echo,
};

static int cmd_pause(struct kp_session *s, int argc, char **argv,
		     struct kp_out *out)
{
	char line[256];
	if (s->batch)
		return 0;
	if (argc)
		print_words(out, argc, argv);
	kp_puts(out, "--- press Enter to continue ---");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		kp_puts(out, "\n");
	return 0;
}

const struct kp_cmd kp_cmd_pause = {
	.name = "pause",
	.aliases = NULL,
	.usage = "pause [TEXT...]",
	.summary = "wait for Enter (does nothing in batch mode)",
	.help = "In a lesson, gives the reader time: prints TEXT if given and\n"
		"waits for Enter.  In batch mode (--batch, or no terminal) it\n"
		"does nothing, so the same script runs as a test.\n"
		"\n"
		"Example:\n"
		"  say \"Look at the runqueue of cpu0.\"\n"
		"  pause\n",
	.group = "scripts",
	.flags = KP_CMD_SETUP | KP_CMD_KEEP_OUTPUT,
	.complete = NULL,
	.handler = cmd_pause,
};

/* expect error COMMAND...: the command must fail. */
static int expect_error(struct kp_session *s, int argc, char **argv,
			struct kp_out *out)
{
	if (argc == 0)
		return kp_cmd_error(s, out, "'expect error' needs the command "
					    "that should fail, e.g. 'expect "
					    "error break'");
	s->expects++;
	if (kp_session_exec_argv(s, argc, argv) < 0)
		return 0;
	char *text = kp_args_join(argc, argv);
	s->expect_failures++;
	kp_session_print_location(s, out);
	kp_printf(out, "expected error %s (got success)\n",
		  text ? text : argv[0]);
	free(text);
	return 0;
}

static int cmd_expect(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	char got[512];

	if (argc == 0)
		return KP_CMD_USAGE;
	if (strcmp(argv[0], "error") == 0)
		return expect_error(s, argc - 1, argv + 1, out);
	if (kp_expect_reads_world(argc, argv)) {
		int err = kp_session_start(s, out);
		if (err)
			return err;
	}
	int r = kp_expect_eval(s, argc, argv, got, sizeof(got));
	if (r < 0)
		return kp_cmd_error(s, out, "expect: %s", got);
	s->expects++;
	if (r == 0) {
		char *text = kp_args_join(argc, argv);
		s->expect_failures++;
		kp_session_print_location(s, out);
		kp_printf(out, "expected %s (got %s)\n", text ? text : argv[0],
			  got);
		free(text);
	}
	return 0;
}

static void complete_expect(struct kp_session *s, int argc, char **argv,
			    struct kp_completions *c)
{
	if (argc == 0) {
		static const char *const words[] = {
			"output", "stopped", "error", "time", "trace.seq",
		};
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			kp_complete_add(c, words[i]);
		kp_complete_hosts(s, c);
	} else if (argc == 1 && !strcmp(argv[0], "output")) {
		kp_complete_add(c, "contains");
		kp_complete_add(c, "!contains");
	} else if (argc == 1 && !strcmp(argv[0], "stopped")) {
		kp_complete_add(c, "at");
	} else if (argc == 2 && !strcmp(argv[0], "stopped")) {
		kp_complete_functions(c);
	}
}

const struct kp_cmd kp_cmd_expect = {
	.name = "expect",
	.aliases = NULL,
	.usage = "expect output [!]contains TEXT | output ==|!= saved NAME | "
		 "stopped at FUNCTION | VALUE OP VALUE | error COMMAND...",
	.summary = "check something in a script (a test assertion)",
	.help = "Checks a condition.  When it does not hold, prints\n"
		"'FILE:LINE: expected EXPR (got ...)' and counts a failure\n"
		"(batch mode then exits 1); the script goes on either way.\n"
		"\n"
		"  output contains TEXT    the previous command printed TEXT\n"
		"  output !contains TEXT   ... did not\n"
		"  output == saved NAME    it printed what 'save output NAME'\n"
		"                          saved (!= for different)\n"
		"  stopped at FUNCTION     the last run stopped in FUNCTION\n"
		"  VALUE OP VALUE          OP is == != < <= > >=; a VALUE is a\n"
		"                          number, a value path ('help values')\n"
		"                          or a name\n"
		"  error COMMAND...        COMMAND fails (its output is then\n"
		"                          the previous output)\n"
		"\n"
		"The previous command is the last one that is not say, pause\n"
		"or expect.  A malformed expect or an unknown value path is an\n"
		"error, not a failure.\n"
		"\n"
		"Example:\n"
		"  ps server\n"
		"  expect output contains \"[ksoftirqd/0]\"\n"
		"  expect server.task.ksoftirqd/0.state == S\n"
		"  expect client.cpu0.switches > 0\n"
		"  expect error break no_such_function\n",
	.group = "scripts",
	.flags = KP_CMD_SETUP | KP_CMD_KEEP_OUTPUT,
	.complete = complete_expect,
	.handler = cmd_expect,
};

static int cmd_save_output(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out)
{
	if (argc != 1)
		return KP_CMD_USAGE;
	if (kp_session_save_output(s, argv[0]))
		return kp_cmd_error(s, out, "save output: out of memory");
	return 0;
}

const struct kp_cmd kp_cmd_save_output = {
	.name = "save output",
	.aliases = NULL,
	.usage = "save output NAME",
	.summary = "remember the previous command's output for expect",
	.help = "Keeps the previous command's output under NAME, so that a\n"
		"later 'expect output == saved NAME' can check that a command\n"
		"prints exactly the same - e.g. that a run after 'reboot'\n"
		"repeats the first one.\n"
		"\n"
		"Example:\n"
		"  trace 200\n"
		"  save output first\n"
		"  reboot\n"
		"  trace 200\n"
		"  expect output == saved first\n",
	.group = "scripts",
	.flags = KP_CMD_SETUP | KP_CMD_KEEP_OUTPUT,
	.complete = NULL,
	.handler = cmd_save_output,
};

static int cmd_source(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	if (argc != 1)
		return KP_CMD_USAGE;
	return kp_script_source(s, argv[0], out);
}

static void complete_source(struct kp_session *s, int argc, char **argv,
			    struct kp_completions *c)
{
	(void)s;
	(void)argv;
	if (argc == 0)
		c->files = true;
}

const struct kp_cmd kp_cmd_source = {
	.name = "source",
	.aliases = NULL,
	.usage = "source FILE",
	.summary = "run the commands of a script file",
	.help = "Runs FILE's commands, one a line (see 'help scripts').  A\n"
		"relative FILE is found next to the script that sources it.\n"
		"An error in FILE ends it, and the script that sourced it.\n"
		"\n"
		"Example:\n"
		"  source scripts/default.kp\n",
	.group = "scripts",
	.flags = KP_CMD_SETUP | KP_CMD_KEEP_OUTPUT,
	.complete = complete_source,
	.handler = cmd_source,
};
