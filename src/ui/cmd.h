/*
 * cmd.h - the command table.  One entry per command, tmux style: the entry
 * is the single source for dispatch, `help`, `apropos` and completion.
 *
 * To add a command:
 *
 *   1. in the cmd_<family>.c file of its family (or a new one), define
 *
 *	const struct kp_cmd kp_cmd_ip_link = {
 *		.name = "ip link",
 *		.aliases = KP_ALIASES("ip l"),
 *		.usage = "ip link [show] [DEV]",
 *		.summary = "network devices and their state",
 *		.help = "Long help: what it shows, how to read it.\n"
 *			"\n"
 *			"Example:\n"
 *			"  ip link show eth0\n",
 *		.group = "network",
 *		.flags = 0,
 *		.complete = complete_ip_link,
 *		.handler = cmd_ip_link,
 *	};
 *
 *   2. add KP_CMD(ip_link) to cmd_table.def.
 *
 * Names may have several words ("info cpus", "show softnet"); dispatch
 * picks the entry whose name matches the most leading words of the line,
 * so "show softnet" wins over the generic "show NAME".  A word may be
 * abbreviated when that is unambiguous ("cont", "info br").
 *
 * The handler gets the words after the command's own words (argv[0] is
 * the first argument; argv[argc] == NULL) and writes only to @out.  It
 * returns 0; or KP_CMD_USAGE, and the dispatcher prints "usage: ..." from
 * the entry; or a negative error after printing one line that says what
 * was wrong and what to type instead (kp_cmd_error does both).
 */
#ifndef KP_UI_CMD_H
#define KP_UI_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "out.h"

struct kp_session;
struct kp_completions;

enum kp_cmd_flags {
	/* Works on a world that has not booted yet (help, break, set...):
	 * the dispatcher does not start the world first. */
	KP_CMD_SETUP = 1 << 0,
	/* Runs the world itself (step, continue...): on a world that has
	 * not started, its own run is the first one, from power-on. */
	KP_CMD_RUNS = 1 << 1,
	/* Leaves the previous command's captured output in place for
	 * `expect output contains` (say, pause, expect). */
	KP_CMD_KEEP_OUTPUT = 1 << 2,
	/* An empty line in the REPL repeats it (step, next, ...). */
	KP_CMD_REPEAT = 1 << 3,
};

/* Returned by a handler: the arguments were wrong, print the usage. */
#define KP_CMD_USAGE 1

typedef int kp_cmd_handler(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out);
/* Offer completions for the word @c->text, the argument number @argc
 * (argv holds the arguments before it) with kp_complete_add() and
 * friends (complete.h). */
typedef void kp_cmd_completer(struct kp_session *s, int argc, char **argv,
			      struct kp_completions *c);

struct kp_cmd {
	const char *name;            /* one or more words */
	const char *const *aliases;  /* KP_ALIASES(...) or NULL */
	const char *usage;           /* "break FUNCTION [if CONDITION]" */
	const char *summary;         /* one line, no final period */
	const char *help;            /* paragraphs and an example */
	const char *group;           /* heading in `help`: "running", ... */
	unsigned flags;              /* enum kp_cmd_flags */
	kp_cmd_completer *complete;  /* NULL: no argument completion */
	kp_cmd_handler *handler;
};

#define KP_ALIASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Every command, declared from cmd_table.def. */
#define KP_CMD(sym) extern const struct kp_cmd kp_cmd_##sym;
#include "cmd_table.def"
#undef KP_CMD

extern const struct kp_cmd *const kp_cmd_table[];
extern const size_t kp_cmd_count;

/* Words of a command name, split (up to KP_CMD_MAX_WORDS). */
#define KP_CMD_MAX_WORDS 4

/*
 * Find the command for the words @argv.  Returns it and sets *@words to
 * the number of words its name used; NULL when nothing matches or the
 * abbreviation is ambiguous.
 */
const struct kp_cmd *kp_cmd_lookup(int argc, char *const *argv, int *words);

/* Does some command name start with these @argc words and go on? */
bool kp_cmd_is_group(int argc, char *const *argv);
/* Does @name have more than @argc words, the first ones matching @argv
 * (exactly or abbreviated)?  ("show softnet" continues "show") */
bool kp_cmd_name_continues(const char *name, int argc, char *const *argv);

/* Number of words in @name. */
int kp_cmd_name_words(const char *name);
/* Word @i (0-based) of @name into @buf; false if there is none. */
bool kp_cmd_name_word(const char *name, int i, char *buf, size_t size);

/*
 * Run one command given as words: look it up (printing a suggestion when
 * it is unknown), start the world unless the command is SETUP or RUNS,
 * call the handler, print the usage on KP_CMD_USAGE.  Returns 0 or a
 * negative error (already reported).
 */
int kp_cmd_dispatch(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out);

/* Print "FILE:LINE: message" (or just the message outside scripts) and
 * return -EINVAL: handlers end with `return kp_cmd_error(s, out, ...)`. */
int kp_cmd_error(struct kp_session *s, struct kp_out *out, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));

/* Print "usage: ..." for @cmd (with the script location) and return
 * -EINVAL. */
int kp_cmd_usage_error(struct kp_session *s, struct kp_out *out,
		       const struct kp_cmd *cmd);

/* "FILE [--format F | --format=F]" (trace save, trace file): @file and
 * @format set (format keeps its default when not given); false if the
 * words are anything else or no FILE. */
bool kp_cmd_file_format_args(int argc, char **argv, const char **file,
			     const char **format);

/* The command name closest to @text by edit distance, into @buf; false
 * if none is close.  @text may have several words ("info fucntions"). */
bool kp_cmd_suggest(const char *text, char *buf, size_t size);

/* Levenshtein distance (for suggestions elsewhere too). */
int kp_edit_distance(const char *a, const char *b);

/* Does @name match a PATTERN argument (info functions, sysctl -a)?  A
 * glob when it has * ? or [, else a substring; NULL matches all. */
bool kp_cmd_pattern_match(const char *name, const char *pattern);

#endif
