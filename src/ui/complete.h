/*
 * complete.h - completion candidates for the REPL (and the TUI's command
 * line): command names, including their later words ("info " offers
 * breakpoints, cpus, functions), then whatever the command's own
 * .complete hook offers for its arguments, built from these helpers.
 */
#ifndef KP_UI_COMPLETE_H
#define KP_UI_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

struct kp_session;

struct kp_completions {
	const char *text; /* the partial word being completed */
	size_t text_len;
	char **v;         /* candidates, sorted and unique after finish */
	int n, cap;
	bool files;       /* the front end should also offer file names */
};

void kp_completions_init(struct kp_completions *c, const char *text);
void kp_completions_free(struct kp_completions *c);
/* Add @word if it starts with the text being completed. */
void kp_complete_add(struct kp_completions *c, const char *word);

/* Probe (function) names, host names, setting names, breakpoint
 * numbers, value-path starts. */
void kp_complete_functions(struct kp_completions *c);
void kp_complete_hosts(struct kp_session *s, struct kp_completions *c);
void kp_complete_settings(struct kp_completions *c);
void kp_complete_breakpoints(struct kp_session *s, struct kp_completions *c);

/* Everything for the word that starts at byte @start of @line (the word
 * is @c->text); sorted and unique. */
void kp_complete_line(struct kp_session *s, const char *line, size_t start,
		      struct kp_completions *c);

#endif
