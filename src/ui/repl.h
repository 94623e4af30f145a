/*
 * repl.h - the interactive command line: readline with the "(kpath) "
 * prompt, history, completion from the command table, and an empty line
 * repeating the last step/next/finish/continue, as gdb.
 *
 * A front end drives one session; kp_repl_run is the plain-terminal one,
 * the curses TUI will be another beside it.
 */
#ifndef KP_UI_REPL_H
#define KP_UI_REPL_H

struct kp_session;

/* Read and run commands until quit or end of input; returns the exit
 * status (quit's, or 0). */
int kp_repl_run(struct kp_session *s);

#endif
