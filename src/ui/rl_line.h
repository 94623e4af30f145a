/*
 * rl_line.h - what Enter does at a readline prompt, shared by the REPL
 * (repl.c) and the TUI's command line (tui/pane_cmd.c), as gdb: a line
 * goes into the history (unless it repeats the one before), and a blank
 * line runs the last command again when that command repeats (step,
 * next... - KP_CMD_REPEAT).
 */
#ifndef KP_UI_RL_LINE_H
#define KP_UI_RL_LINE_H

/*
 * Takes @line (readline's, malloc'd) and returns the line to run,
 * malloc'd for the caller: @line itself, or for a blank line a copy of
 * *@last; NULL when a blank line has nothing to repeat.  *@last (malloc'd
 * or NULL) is the line a blank one repeats, updated here.
 */
char *kp_rl_accept_line(char *line, char **last);

#endif
