/*
 * complete_rl.h - completions in the form readline's attempted-completion
 * hook returns them, shared by the REPL and the TUI's command line.
 */
#ifndef KP_UI_COMPLETE_RL_H
#define KP_UI_COMPLETE_RL_H

#include "complete.h"

/*
 * Turn the candidates of @c into readline's match array: the longest
 * common prefix first (the one match when there is one), then every
 * candidate, NULL-terminated.  Takes the strings out of @c (freed
 * either way).  NULL when there is nothing to offer.
 */
char **kp_completions_to_readline(struct kp_completions *c);

#endif
