/*
 * cmd.c - the command table built from cmd_table.def, name lookup (several
 * words, aliases, unambiguous abbreviations), "did you mean" suggestions,
 * and dispatch.
 */
#include "cmd.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "tokenize.h"

const struct kp_cmd *const kp_cmd_table[] = {
#define KP_CMD(sym) &kp_cmd_##sym,
#include "cmd_table.def"
#undef KP_CMD
};

const size_t kp_cmd_count = sizeof(kp_cmd_table) / sizeof(kp_cmd_table[0]);

int kp_cmd_name_words(const char *name)
{
	int n = 0;
	bool in = false;
	for (; *name; name++) {
		if (*name == ' ') {
			in = false;
		} else if (!in) {
			in = true;
			n++;
		}
	}
	return n;
}

bool kp_cmd_name_word(const char *name, int i, char *buf, size_t size)
{
	int n = -1;
	const char *p = name;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, " ");
		if (++n == i) {
			if (len >= size)
				len = size - 1;
			memcpy(buf, p, len);
			buf[len] = '\0';
			return true;
		}
		p += len;
	}
	return false;
}

enum word_match { MATCH_NONE, MATCH_PREFIX, MATCH_EXACT };

/* How the first words of @argv match all the words of @name: walks the
 * name in place (this runs for every name and alias of the table on
 * every command line, so it copies nothing). */
static enum word_match match_name(const char *name, int argc,
				  char *const *argv, bool allow_prefix)
{
	enum word_match m = MATCH_EXACT;
	const char *p = name;
	int i = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			return m;
		if (i >= argc || argv[i][0] != *p)
			return MATCH_NONE;
		size_t len = strcspn(p, " ");
		const char *a = argv[i++];
		size_t alen = strlen(a);
		if (alen == len && memcmp(a, p, len) == 0)
			; /* this word exact */
		else if (allow_prefix && alen < len && memcmp(a, p, alen) == 0)
			m = MATCH_PREFIX;
		else
			return MATCH_NONE;
		p += len;
	}
}

struct lookup {
	const struct kp_cmd *cmd; /* the unique best match, or NULL */
	int words;
	int nr_ambiguous;
	const struct kp_cmd *ambiguous[8];
};

static void consider(struct lookup *lk, bool *exact, const struct kp_cmd *cmd,
		     int words, enum word_match m)
{
	bool is_exact = m == MATCH_EXACT;
	if (words < lk->words)
		return;
	if (words > lk->words || (is_exact && !*exact)) {
		lk->cmd = cmd;
		lk->words = words;
		lk->nr_ambiguous = 0;
		*exact = is_exact;
		return;
	}
	/* same number of words */
	if (*exact || lk->cmd == cmd || !lk->cmd)
		return;
	/* two different abbreviations fit: ambiguous */
	if (lk->nr_ambiguous == 0)
		lk->ambiguous[lk->nr_ambiguous++] = lk->cmd;
	if (lk->nr_ambiguous < 8)
		lk->ambiguous[lk->nr_ambiguous++] = cmd;
}

/* @word is the whole first word of @name. */
static bool name_starts_with_word(const char *name, const char *word)
{
	size_t len = strlen(word);
	return strncmp(name, word, len) == 0 &&
	       (name[len] == ' ' || name[len] == '\0');
}

/* @word is the whole first word of @cmd's name or of an alias. */
static bool first_word_is(const struct kp_cmd *cmd, const char *word)
{
	if (name_starts_with_word(cmd->name, word))
		return true;
	for (const char *const *a = cmd->aliases; a && *a; a++)
		if (name_starts_with_word(*a, word))
			return true;
	return false;
}

/* @word is the whole first word of a command of two or more words. */
static bool is_group_word(const char *word)
{
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const char *name = kp_cmd_table[i]->name;
		if (kp_cmd_name_words(name) > 1 &&
		    name_starts_with_word(name, word))
			return true;
	}
	return false;
}

static void lookup(struct lookup *lk, int argc, char *const *argv)
{
	bool exact = false;
	memset(lk, 0, sizeof(*lk));
	if (argc < 1)
		return;
	char c0 = argv[0][0]; /* names start without blanks */
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const struct kp_cmd *cmd = kp_cmd_table[i];
		enum word_match m = cmd->name[0] != c0
					    ? MATCH_NONE
					    : match_name(cmd->name, argc, argv,
							 true);
		if (m != MATCH_NONE)
			consider(lk, &exact, cmd, kp_cmd_name_words(cmd->name),
				 m);
		for (const char *const *a = cmd->aliases; a && *a; a++) {
			if ((*a)[0] != c0)
				continue;
			m = match_name(*a, argc, argv, false);
			if (m != MATCH_NONE)
				consider(lk, &exact, cmd, kp_cmd_name_words(*a),
					 m);
		}
	}
	if (lk->nr_ambiguous)
		lk->cmd = NULL;
	/* "ip" is the first word of "ip link" and "ip addr": a group that
	 * needs its subcommand, not an abbreviation of "iptables" */
	if (lk->cmd && !first_word_is(lk->cmd, argv[0]) && is_group_word(argv[0]))
		lk->cmd = NULL;
}

const struct kp_cmd *kp_cmd_lookup(int argc, char *const *argv, int *words)
{
	struct lookup lk;
	lookup(&lk, argc, argv);
	if (words)
		*words = lk.cmd ? lk.words : 0;
	return lk.cmd;
}

bool kp_cmd_name_continues(const char *name, int argc, char *const *argv)
{
	char word[64];
	if (kp_cmd_name_words(name) <= argc)
		return false;
	for (int w = 0; w < argc; w++) {
		kp_cmd_name_word(name, w, word, sizeof(word));
		size_t len = strlen(argv[w]);
		if (!len || strncmp(argv[w], word, len) != 0)
			return false;
	}
	return true;
}

bool kp_cmd_is_group(int argc, char *const *argv)
{
	for (size_t i = 0; i < kp_cmd_count; i++)
		if (kp_cmd_name_continues(kp_cmd_table[i]->name, argc, argv))
			return true;
	return false;
}

/* ---- suggestions ---- */

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;
	return m < c ? m : c;
}

/* Optimal string alignment: Levenshtein plus adjacent transpositions, so
 * "fucntions" is one edit from "functions". */
int kp_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	int d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			bool swapped = i > 1 && j > 1 &&
				       a[i - 1] == b[j - 2] &&
				       a[i - 2] == b[j - 1];
			if (swapped && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

/* The first @n words of @name in @buf; false if it has fewer. */
static bool name_prefix_words(const char *name, int n, char *buf, size_t size)
{
	if (kp_cmd_name_words(name) < n)
		return false;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		char word[64];
		kp_cmd_name_word(name, i, word, sizeof(word));
		if (i)
			strncat(buf, " ", size - strlen(buf) - 1);
		strncat(buf, word, size - strlen(buf) - 1);
	}
	return true;
}

bool kp_cmd_suggest(const char *text, char *best, size_t size)
{
	int nw = kp_cmd_name_words(text);
	size_t len = strlen(text);
	int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	int best_d = limit + 1;

	for (size_t i = 0; i < kp_cmd_count; i++) {
		const struct kp_cmd *cmd = kp_cmd_table[i];
		char cand[128];
		if (name_prefix_words(cmd->name, nw, cand, sizeof(cand))) {
			int d = kp_edit_distance(text, cand);
			if (d < best_d) {
				best_d = d;
				snprintf(best, size, "%s", cand);
			}
		}
		for (const char *const *a = cmd->aliases; a && *a; a++) {
			if (strlen(*a) < 3 || kp_cmd_name_words(*a) != nw)
				continue;
			int d = kp_edit_distance(text, *a);
			if (d < best_d) {
				best_d = d;
				snprintf(best, size, "%s", cmd->name);
			}
		}
	}
	return best_d <= limit;
}

/* ---- errors ---- */

int kp_cmd_error(struct kp_session *s, struct kp_out *out, const char *fmt,
		 ...)
{
	va_list ap;
	kp_session_print_location(s, out);
	va_start(ap, fmt);
	kp_vprintf(out, fmt, ap);
	va_end(ap);
	kp_puts(out, "\n");
	return -EINVAL;
}

int kp_cmd_usage_error(struct kp_session *s, struct kp_out *out,
		       const struct kp_cmd *cmd)
{
	return kp_cmd_error(s, out, "usage: %s  (see 'help %s')", cmd->usage,
			    cmd->name);
}

bool kp_cmd_file_format_args(int argc, char **argv, const char **file,
			     const char **format)
{
	*file = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			*format = argv[++i];
		else if (strncmp(argv[i], "--format=", 9) == 0)
			*format = argv[i] + 9;
		else if (!*file && argv[i][0] != '-')
			*file = argv[i];
		else
			return false;
	}
	return *file != NULL;
}

/* "info breakpoints, info cpus, info functions" for the group @argv. */
static void list_group(struct kp_out *out, int argc, char *const *argv)
{
	bool first = true;
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const char *name = kp_cmd_table[i]->name;
		if (!kp_cmd_name_continues(name, argc, argv))
			continue;
		kp_printf(out, "%s%s", first ? "" : ", ", name);
		first = false;
	}
}

static int unknown_command(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out)
{
	int group = 0;
	while (group < argc && kp_cmd_is_group(group + 1, argv))
		group++;
	if (group && group == argc) {
		kp_session_print_location(s, out);
		kp_printf(out, "'%s' needs a subcommand: ", argv[0]);
		list_group(out, group, argv);
		kp_puts(out, "\n");
		return -EINVAL;
	}
	char *text = kp_args_join(group + 1, argv);
	char sugg[128];
	if (text && kp_cmd_suggest(text, sugg, sizeof(sugg)))
		kp_cmd_error(s, out,
			     "unknown command '%s'; did you mean '%s'? "
			     "(type 'help' for a list)",
			     text, sugg);
	else
		kp_cmd_error(s, out,
			     "unknown command '%s'; type 'help' for a list "
			     "of commands",
			     text ? text : argv[0]);
	free(text);
	return -ENOENT;
}

static int ambiguous_command(struct kp_session *s, const struct lookup *lk,
			     char **argv, struct kp_out *out)
{
	char *text = kp_args_join(lk->words, argv);
	kp_session_print_location(s, out);
	kp_printf(out, "ambiguous command '%s': could be ",
		  text ? text : argv[0]);
	free(text);
	for (int i = 0; i < lk->nr_ambiguous; i++)
		kp_printf(out, "%s'%s'", i ? ", " : "", lk->ambiguous[i]->name);
	kp_puts(out, "; type more of the name\n");
	return -EINVAL;
}

int kp_cmd_dispatch(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	struct lookup lk;

	if (argc == 0)
		return 0;
	lookup(&lk, argc, argv);
	if (lk.nr_ambiguous)
		return ambiguous_command(s, &lk, argv, out);
	if (!lk.cmd)
		return unknown_command(s, argc, argv, out);

	const struct kp_cmd *cmd = lk.cmd;
	if (!(cmd->flags & (KP_CMD_SETUP | KP_CMD_RUNS))) {
		int err = kp_session_start(s, out);
		if (err)
			return err;
	}
	/* The handler gets its own copy of the pointer array, so it may
	 * consume words (a HOST argument) by shifting them out; the words
	 * themselves stay owned by the caller's argv. */
	int hargc = argc - lk.words;
	char **hargv = malloc((size_t)(hargc + 1) * sizeof(*hargv));
	if (!hargv)
		return kp_cmd_error(s, out, "out of memory");
	memcpy(hargv, argv + lk.words, (size_t)hargc * sizeof(*hargv));
	hargv[hargc] = NULL;
	int ret = cmd->handler(s, hargc, hargv, out);
	free(hargv);
	if (ret == KP_CMD_USAGE)
		return kp_cmd_usage_error(s, out, cmd);
	return ret < 0 ? ret : 0;
}

bool kp_cmd_pattern_match(const char *name, const char *pattern)
{
	if (!pattern)
		return true;
	if (strpbrk(pattern, "*?["))
		return fnmatch(pattern, name, 0) == 0;
	return strstr(name, pattern) != NULL;
}
