/*
 * repl.c - the readline REPL.
 */
#include "repl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "cmd.h"
#include "complete.h"
#include "complete_rl.h"
#include "rl_line.h"
#include "session.h"

/* readline's callbacks take no context pointer: the session being read
 * for lives here while kp_repl_run runs. */
static struct kp_session *repl_session;

static char **repl_complete(const char *text, int start, int end)
{
	struct kp_completions c;
	(void)end;

	kp_completions_init(&c, text);
	kp_complete_line(repl_session, rl_line_buffer, (size_t)start, &c);
	if (c.files && c.n == 0) {
		/* let readline complete file names */
		kp_completions_free(&c);
		return NULL;
	}
	rl_attempted_completion_over = 1;
	return kp_completions_to_readline(&c);
}

int kp_repl_run(struct kp_session *s)
{
	char *last = NULL;

	repl_session = s;
	rl_readline_name = "kpath";
	rl_attempted_completion_function = repl_complete;
	rl_completer_word_break_characters = " \t\n\"";
	kp_puts(s->out, "kpath 0.1 - the Linux network stack, one step at a "
			"time.  Type 'help' for the commands.\n");
	while (!s->quit) {
		fflush(stdout);
		char *line = readline("(kpath) ");
		if (!line) {
			kp_puts(s->out, "\n");
			break;
		}
		line = kp_rl_accept_line(line, &last);
		if (!line)
			continue;
		kp_session_exec(s, line);
		free(line);
	}
	fflush(stdout);
	free(last);
	repl_session = NULL;
	return s->quit && s->quit_code >= 0 ? s->quit_code : 0;
}
