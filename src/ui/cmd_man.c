/*
 * cmd_man.c - `man TOPIC` shows a kpath manual page as plain text, and
 * `man run TOPIC` runs the commands of its EXAMPLES, one at a time with
 * their output.
 *
 * The pages are roff (man/kpath.1, kpath-script.5, kpath-*.7), found by
 * man_find.c and rendered by man_roff.c (man(1) may not be installed).
 * Example commands sit between the comment lines `.\" EXAMPLES-BEGIN`
 * and `.\" EXAMPLES-END` (tests/man/run-man-examples.sh reads the same
 * markers).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "man_page.h"
#include "session.h"

/* 'man' and 'man run' complete a topic ("man run" itself comes from the
 * command names). */
static void complete_man(struct kp_session *s, int argc, char **argv,
			 struct kp_completions *c)
{
	(void)s;
	(void)argv;
	if (argc == 0)
		kp_man_complete_topics(c);
}

/* The error for a topic without a page: the pages there are. */
static int no_page(struct kp_session *s, struct kp_out *out,
		   const char *topic)
{
	char names[1024];
	kp_man_names(names, sizeof(names));
	if (!names[0])
		return kp_cmd_error(s, out, "no manual page for '%s', and no "
					    "pages found; set KPATH_MANDIR to "
					    "kpath's man directory",
				    topic);
	return kp_cmd_error(s, out, "no manual page for '%s'; the pages are "
				    "%s",
			    topic, names);
}

static int cmd_man(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	char path[PATH_MAX + 64];
	const char *topic = argc ? argv[0] : "kpath";
	if (argc > 1)
		return KP_CMD_USAGE;
	FILE *f = kp_man_open(topic, path, sizeof(path));
	if (!f)
		return no_page(s, out, topic);
	kp_man_render(f, out);
	fclose(f);
	return 0;
}

const struct kp_cmd kp_cmd_man = {
	.name = "man",
	.aliases = NULL,
	.usage = "man [TOPIC]",
	.summary = "show a manual page (kpath, kpath-rx, rx, epoll, ...)",
	.help = "Shows a kpath manual page as plain text: kpath (the\n"
		"program and its commands), kpath-script (scripts), and the\n"
		"concept pages kpath-boot, kpath-rx, kpath-tx, kpath-socket,\n"
		"kpath-epoll, kpath-tcp, kpath-replay, kpath-packetdrill -\n"
		"'man rx' is short for 'man kpath-rx'; 'apropos WORD' finds\n"
		"a page by its name or title.  Each concept page explains the\n"
		"mechanism with the kernel's names, what to type and what to\n"
		"watch, and ends with EXAMPLES that 'man run TOPIC' runs.\n"
		"\n"
		"Example:\n"
		"  man kpath-rx\n",
	.group = "support",
	.flags = KP_CMD_SETUP,
	.complete = complete_man,
	.handler = cmd_man,
};

/* ---- man run ---- */

static int cmd_man_run(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	char path[PATH_MAX + 64], line[1024], text[1024];
	if (argc != 1)
		return KP_CMD_USAGE;
	FILE *f = kp_man_open(argv[0], path, sizeof(path));
	if (!f)
		return no_page(s, out, argv[0]);
	bool in = false;
	int n = 0, failed = 0;
	const char *file = s->file;
	int lineno = 0, saved_line = s->line;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, ".\\\" EXAMPLES-BEGIN", 18) == 0) {
			in = true;
			continue;
		}
		if (strncmp(line, ".\\\" EXAMPLES-END", 16) == 0) {
			in = false;
			continue;
		}
		if (!in || line[0] == '.' || line[0] == '\'' || !line[0])
			continue;
		kp_man_unescape(line, text, sizeof(text));
		if (text[0] == '#') {
			kp_printf(out, "%s\n", text);
			continue;
		}
		if (n++ && !s->batch)
			kp_session_exec(s, "pause");
		kp_printf(out, "kpath> %s\n", text);
		s->file = path;
		s->line = lineno;
		if (kp_session_exec(s, text) < 0) {
			failed++;
			s->errors++;
		}
		s->file = file;
		s->line = saved_line;
		if (s->quit)
			break;
	}
	fclose(f);
	if (!n)
		return kp_cmd_error(s, out, "%s has no EXAMPLES to run", path);
	kp_printf(out, "(%d example command%s of %s, %d failed)\n", n,
		  n == 1 ? "" : "s", argv[0], failed);
	return 0;
}

const struct kp_cmd kp_cmd_man_run = {
	.name = "man run",
	.aliases = NULL,
	.usage = "man run TOPIC",
	.summary = "run the EXAMPLES of a manual page, one at a time",
	.help = "Runs the example commands of the page's EXAMPLES section in\n"
		"this session, printing each ('kpath> CMD') before its output;\n"
		"in the REPL it pauses between them.  The examples' expect\n"
		"lines check what the page says you will see.\n"
		"\n"
		"Example:\n"
		"  man run kpath-rx\n",
	.group = "support",
	.flags = KP_CMD_SETUP,
	.complete = complete_man,
	.handler = cmd_man_run,
};
