/*
 * cmd_help.c - help and apropos, generated from the command table (and,
 * for the topics, from the value and condition tables).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "cond.h"
#include "debugger.h"
#include "man_page.h"
#include "session.h"
#include "tokenize.h"
#include "values.h"

static void help_scripts(struct kp_out *out)
{
	kp_puts(out,
		"A script (.kp) holds commands, one a line.  Lines starting\n"
		"with # are comments; blank lines are skipped.\n"
		"\n"
		"  say TEXT          narration, printed as it is\n"
		"  pause             wait for Enter (only when a human watches)\n"
		"  expect EXPR       an assertion: prints FILE:LINE: expected ...\n"
		"                    and counts a failure, the script goes on\n"
		"  source FILE       run another script (relative to this one)\n"
		"\n"
		"An error (an unknown command, wrong arguments) prints\n"
		"FILE:LINE: and ends the script.  `kpath --batch FILE.kp`\n"
		"exits 0 when every expect held, 1 when one failed, 2 after an\n"
		"error.  See 'help expect' for the assertions.\n");
}

static const struct {
	const char *name;
	const char *summary;
	void (*print)(struct kp_out *out);
} topics[] = {
	{ "values", "value paths for expect and print", kp_values_help },
	{ "conditions", "breakpoint conditions (break FN if COND)",
	  kp_cond_help },
	{ "scripts", "writing .kp scripts", help_scripts },
};

#define NR_TOPICS (sizeof(topics) / sizeof(topics[0]))

static int name_width(void)
{
	int width = 0;
	for (size_t i = 0; i < kp_cmd_count; i++) {
		int len = (int)strlen(kp_cmd_table[i]->name);
		if (len > width)
			width = len;
	}
	return width;
}

static void help_overview(struct kp_out *out)
{
	const char *groups[32];
	size_t ngroups = 0;
	int width = name_width();

	kp_puts(out, "kpath commands ('help COMMAND' for details, "
		     "'apropos WORD' to search):\n");
	/* groups in the order of their first command in the table */
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const char *g = kp_cmd_table[i]->group ? kp_cmd_table[i]->group
						       : "other";
		bool seen = false;
		for (size_t k = 0; k < ngroups; k++)
			seen |= strcmp(groups[k], g) == 0;
		if (!seen && ngroups < 32)
			groups[ngroups++] = g;
	}
	for (size_t k = 0; k < ngroups; k++) {
		kp_printf(out, "\n%s:\n", groups[k]);
		for (size_t i = 0; i < kp_cmd_count; i++) {
			const struct kp_cmd *cmd = kp_cmd_table[i];
			const char *g = cmd->group ? cmd->group : "other";
			if (strcmp(g, groups[k]) == 0)
				kp_printf(out, "  %-*s  %s\n", width,
					  cmd->name, cmd->summary);
		}
	}
	kp_puts(out, "\ntopics:\n");
	for (size_t i = 0; i < NR_TOPICS; i++)
		kp_printf(out, "  help %-*s  %s\n", width - 5, topics[i].name,
			  topics[i].summary);
}

static void help_command(struct kp_out *out, const struct kp_cmd *cmd)
{
	kp_printf(out, "usage: %s\n", cmd->usage);
	kp_printf(out, "%s.\n", cmd->summary);
	if (cmd->aliases && cmd->aliases[0]) {
		kp_puts(out, "aliases:");
		for (const char *const *a = cmd->aliases; *a; a++)
			kp_printf(out, " %s", *a);
		kp_puts(out, "\n");
	}
	kp_printf(out, "\n%s", cmd->help);
}

/* The commands whose names continue the words @argv ("show ..."). */
static bool help_group(struct kp_out *out, int argc, char **argv,
		       bool after_help)
{
	int width = name_width();
	bool any = false;
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const struct kp_cmd *cmd = kp_cmd_table[i];
		if (!kp_cmd_name_continues(cmd->name, argc, argv))
			continue;
		if (!any)
			kp_printf(out, "%s'%s' commands:\n",
				  after_help ? "\n" : "", argv[0]);
		kp_printf(out, "  %-*s  %s\n", width, cmd->name, cmd->summary);
		any = true;
	}
	return any;
}

static int cmd_help(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	int words;

	if (argc == 0) {
		help_overview(out);
		return 0;
	}
	const struct kp_cmd *cmd = kp_cmd_lookup(argc, argv, &words);
	if (cmd && words == argc) {
		help_command(out, cmd);
		help_group(out, argc, argv, true);
		return 0;
	}
	if (argc == 1) {
		for (size_t i = 0; i < NR_TOPICS; i++) {
			if (strcmp(argv[0], topics[i].name) == 0) {
				topics[i].print(out);
				return 0;
			}
		}
	}
	if (kp_cmd_is_group(argc, argv) && help_group(out, argc, argv, false))
		return 0;

	char *text = kp_args_join(argc, argv);
	char sugg[128];
	int err;
	if (text && kp_cmd_suggest(text, sugg, sizeof(sugg)))
		err = kp_cmd_error(s, out, "no command '%s'; did you mean "
					   "'help %s'? (type 'help' for a "
					   "list)",
				   text, sugg);
	else
		err = kp_cmd_error(s, out, "no command or topic '%s'; type "
					   "'help' for a list",
				   text ? text : argv[0]);
	free(text);
	return err;
}

static void complete_help(struct kp_session *s, int argc, char **argv,
			  struct kp_completions *c)
{
	char word[64];
	(void)s;
	/* the command words, as at the start of a line */
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const char *name = kp_cmd_table[i]->name;
		bool same = kp_cmd_name_words(name) > argc;
		for (int w = 0; w < argc && same; w++) {
			kp_cmd_name_word(name, w, word, sizeof(word));
			same = strcmp(word, argv[w]) == 0;
		}
		if (same && kp_cmd_name_word(name, argc, word, sizeof(word)))
			kp_complete_add(c, word);
	}
	if (argc == 0)
		for (size_t i = 0; i < NR_TOPICS; i++)
			kp_complete_add(c, topics[i].name);
}

const struct kp_cmd kp_cmd_help = {
	.name = "help",
	.aliases = KP_ALIASES("h"),
	.usage = "help [COMMAND | TOPIC]",
	.summary = "list the commands, or explain one",
	.help = "Without an argument, lists every command by group with a\n"
		"one-line summary.  With a command name (several words are\n"
		"fine: 'help info cpus'), shows its usage, aliases and long\n"
		"help; with the first word of a family ('help show', 'help\n"
		"info') it also lists the family.  Topics: values (what\n"
		"expect and print can read), conditions (break ... if), and\n"
		"scripts.\n"
		"\n"
		"Example:\n"
		"  help break\n"
		"  help show\n"
		"  help values\n",
	.group = "support",
	.flags = KP_CMD_SETUP,
	.complete = complete_help,
	.handler = cmd_help,
};

/* ---- apropos ---- */

static int cmd_apropos(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	(void)s;
	if (argc != 1)
		return KP_CMD_USAGE;
	bool any = false;
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const struct kp_cmd *cmd = kp_cmd_table[i];
		if (strcasestr(cmd->name, argv[0]) ||
		    strcasestr(cmd->summary, argv[0]) ||
		    strcasestr(cmd->help, argv[0])) {
			kp_printf(out, "%s -- %s\n", cmd->name, cmd->summary);
			any = true;
		}
	}
	for (size_t i = 0; i < NR_TOPICS; i++) {
		if (strcasestr(topics[i].name, argv[0]) ||
		    strcasestr(topics[i].summary, argv[0])) {
			kp_printf(out, "help %s -- %s\n", topics[i].name,
				  topics[i].summary);
			any = true;
		}
	}
	if (kp_man_apropos(argv[0], out))
		any = true;
	if (!any)
		kp_printf(out, "Nothing matches '%s'.\n", argv[0]);
	return 0;
}

const struct kp_cmd kp_cmd_apropos = {
	.name = "apropos",
	.aliases = NULL,
	.usage = "apropos WORD",
	.summary = "search the commands' names and help for a word",
	.help = "Lists the commands whose name, summary or long help\n"
		"contains WORD (ignoring case), as 'NAME -- SUMMARY', the\n"
		"help topics, and the manual pages whose name or NAME line\n"
		"has it, as 'man PAGE -- PAGE(N): what it is about'.\n"
		"\n"
		"Example:\n"
		"  apropos softirq\n",
	.group = "support",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_apropos,
};
