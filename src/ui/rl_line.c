/*
 * rl_line.c - a line typed at a readline prompt: history, and a blank
 * line repeating the last step (see rl_line.h).
 */
#include "rl_line.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h> /* readline.h uses FILE */
#include <readline/history.h>
#include <readline/readline.h>

#include "cmd.h"
#include "tokenize.h"

static bool blank(const char *line)
{
	return line[strspn(line, " \t")] == '\0';
}

/* Does an empty line repeat @line (step, next...)? */
static bool repeats(const char *line)
{
	struct kp_args args;
	char err[128];
	bool rep = false;
	if (kp_tokenize(line, &args, err, sizeof(err)))
		return false;
	const struct kp_cmd *cmd =
		args.argc ? kp_cmd_lookup(args.argc, args.argv, NULL) : NULL;
	rep = cmd && (cmd->flags & KP_CMD_REPEAT);
	kp_args_free(&args);
	return rep;
}

char *kp_rl_accept_line(char *line, char **last)
{
	if (blank(line)) {
		free(line);
		return *last ? strdup(*last) : NULL;
	}
	HIST_ENTRY *prev = history_length
				   ? history_get(history_base +
						 history_length - 1)
				   : NULL;
	if (!prev || strcmp(prev->line, line) != 0)
		add_history(line);
	free(*last);
	*last = repeats(line) ? strdup(line) : NULL;
	return line;
}
