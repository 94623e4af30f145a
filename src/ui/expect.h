/*
 * expect.h - the assertions of `expect` in scripts:
 *
 *   expect output contains "TEXT"     the previous command printed TEXT
 *   expect output !contains "TEXT"    ... did not
 *   expect output == saved NAME       ... printed exactly what was saved
 *   expect output != saved NAME           by `save output NAME`
 *   expect stopped at FUNCTION        the last run stopped there
 *   expect VALUE OP VALUE             OP: == != < <= > >=; a VALUE is a
 *                                     number, a value path (help values)
 *                                     or a name (S, ksoftirqd/0)
 *
 * (`expect error COMMAND...` runs a command and lives in cmd_script.c.)
 */
#ifndef KP_UI_EXPECT_H
#define KP_UI_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

struct kp_session;

/* Does the expression read the world (so it must have started)? */
bool kp_expect_reads_world(int argc, char **argv);

/*
 * Evaluate an expect expression.  Returns 1 when it holds; 0 when it
 * does not, with what was found in @got ("client.cpu0.switches = 3");
 * or a negative error with the reason in @got when the expression is
 * malformed or names an unknown value (a script error, not a failure).
 */
int kp_expect_eval(struct kp_session *s, int argc, char **argv, char *got,
		   size_t gotlen);

#endif
