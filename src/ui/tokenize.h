/*
 * tokenize.h - splitting a command line into words: whitespace separates,
 * double quotes group ("two words" is one), backslash escapes the next
 * character (outside quotes any character; inside quotes \" \\ \n \t).
 * There is no other syntax: `#` starts a comment only at the start of a
 * script line (skb#3 is a word), and nothing is expanded.
 */
#ifndef KP_UI_TOKENIZE_H
#define KP_UI_TOKENIZE_H

#include <stddef.h>

struct kp_args {
	int argc;
	char **argv; /* argv[argc] == NULL; each word malloc'd */
};

/* Split @line into @args.  Returns 0, or -EINVAL with a one-line reason in
 * @err (unterminated quote, trailing backslash); @args is then empty. */
int kp_tokenize(const char *line, struct kp_args *args, char *err,
		size_t errlen);
void kp_args_free(struct kp_args *args);

/* Join words with single spaces, quoting those that need it, so that
 * kp_tokenize gives the same words back.  malloc'd; NULL on no memory. */
char *kp_args_join(int argc, char *const *argv);

#endif
