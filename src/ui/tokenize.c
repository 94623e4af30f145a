/*
 * tokenize.c - the command-line tokenizer and its inverse.
 */
#include "tokenize.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int push_word(struct kp_args *args, int *cap, struct kp_strbuf *word)
{
	if (args->argc + 2 > *cap) {
		int ncap = *cap ? *cap * 2 : 8;
		char **nv = realloc(args->argv, (size_t)ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		args->argv = nv;
		*cap = ncap;
	}
	char *copy = strdup(kp_strbuf_str(word));
	if (!copy)
		return -ENOMEM;
	args->argv[args->argc++] = copy;
	args->argv[args->argc] = NULL;
	kp_strbuf_reset(word);
	return 0;
}

static char quoted_escape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	default:
		return c;
	}
}

int kp_tokenize(const char *line, struct kp_args *args, char *err,
		size_t errlen)
{
	struct kp_strbuf word;
	int cap = 0, ret = 0;
	const char *p = line;

	args->argc = 0;
	args->argv = NULL;
	kp_strbuf_init(&word);
	for (;;) {
		while (is_space(*p))
			p++;
		if (!*p)
			break;
		/* one word: runs of plain, escaped and quoted characters */
		bool in_word = true;
		kp_strbuf_append(&word, "", 0);
		while (in_word && *p) {
			if (is_space(*p)) {
				in_word = false;
			} else if (*p == '\\') {
				if (!p[1]) {
					snprintf(err, errlen,
						 "the line ends with a backslash; "
						 "write \\\\ for a backslash");
					ret = -EINVAL;
					goto out;
				}
				kp_strbuf_append(&word, p + 1, 1);
				p += 2;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					char c = *p;
					if (c == '\\' && p[1]) {
						c = quoted_escape(p[1]);
						p++;
					}
					kp_strbuf_append(&word, &c, 1);
					p++;
				}
				if (*p != '"') {
					snprintf(err, errlen,
						 "unterminated \" in the line; "
						 "close the quoted text with \"");
					ret = -EINVAL;
					goto out;
				}
				p++;
			} else {
				kp_strbuf_append(&word, p, 1);
				p++;
			}
		}
		ret = push_word(args, &cap, &word);
		if (ret) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (!args->argv) {
		/* an empty line still gets a valid argv */
		args->argv = calloc(1, sizeof(*args->argv));
		if (!args->argv) {
			snprintf(err, errlen, "out of memory");
			ret = -ENOMEM;
		}
	}
out:
	kp_strbuf_free(&word);
	if (ret)
		kp_args_free(args);
	return ret;
}

void kp_args_free(struct kp_args *args)
{
	for (int i = 0; i < args->argc; i++)
		free(args->argv[i]);
	free(args->argv);
	args->argv = NULL;
	args->argc = 0;
}

static bool needs_quotes(const char *w)
{
	if (!*w)
		return true;
	for (; *w; w++)
		if (is_space(*w) || *w == '"' || *w == '\\')
			return true;
	return false;
}

char *kp_args_join(int argc, char *const *argv)
{
	struct kp_strbuf sb;
	kp_strbuf_init(&sb);
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (i)
			kp_strbuf_append(&sb, " ", 1);
		if (!needs_quotes(w)) {
			kp_strbuf_append(&sb, w, strlen(w));
			continue;
		}
		kp_strbuf_append(&sb, "\"", 1);
		for (; *w; w++) {
			if (*w == '"' || *w == '\\')
				kp_strbuf_append(&sb, "\\", 1);
			if (*w == '\n')
				kp_strbuf_append(&sb, "\\n", 2);
			else if (*w == '\t')
				kp_strbuf_append(&sb, "\\t", 2);
			else
				kp_strbuf_append(&sb, w, 1);
		}
		kp_strbuf_append(&sb, "\"", 1);
	}
	if (!sb.buf)
		return strdup("");
	return sb.buf;
}
