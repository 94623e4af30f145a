/*
 * test_expect.c - expect in scripts (src/ui/expect.c, cmd_script.c):
 * each form passing and failing, the FILE:LINE message, failures counted
 * but not fatal, errors fatal, `expect error`, saved outputs, and the
 * batch exit status.
 */
#include "kp_test.h"
#include "test_session.h"

struct fixture {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
	int line;
};

static void setup(struct fixture *f)
{
	f->s = test_session_new(&f->sb, &f->out, true);
	f->line = 0;
}

static void teardown(struct fixture *f)
{
	test_session_free(f->s, &f->sb);
}

/* Run a script line as t.kp:N; return its output. */
static const char *line(struct fixture *f, const char *text, int *ret)
{
	kp_strbuf_reset(&f->sb);
	int r = kp_script_exec_line(f->s, "t.kp", ++f->line, text);
	if (ret)
		*ret = r;
	return kp_strbuf_str(&f->sb);
}

KP_TEST(output_contains)
{
	struct fixture f;
	int ret;
	setup(&f);
	line(&f, "echo hello   \"big world\"", NULL);
	KP_CHECK_STR(st, line(&f, "expect output contains \"big world\"", &ret),
		     "");
	KP_CHECK_EQ(st, ret, 0);
	/* say does not replace the output expect looks at */
	line(&f, "say narration", NULL);
	line(&f, "expect output contains hello", NULL);
	KP_CHECK_EQ(st, f.s->expect_failures, 0);
	const char *o = line(&f, "expect output !contains hello", &ret);
	KP_CHECK_EQ(st, ret, 0); /* a failure is not an error */
	KP_CHECK_STR(st, o, "t.kp:5: expected output !contains hello (got 1 "
			    "line: \"hello big world\")\n");
	KP_CHECK_EQ(st, f.s->expect_failures, 1);
	KP_CHECK_EQ(st, f.s->expects, 3);
	KP_CHECK_EQ(st, kp_session_exit_status(f.s), 1);
	/* nothing ran: the world is still at power-on */
	KP_CHECK(st, !f.s->started);
	teardown(&f);
}

KP_TEST(stopped_at)
{
	struct fixture f;
	int ret;
	setup(&f);
	line(&f, "break spawn_ksoftirqd", NULL);
	line(&f, "continue", NULL);
	KP_CHECK_STR(st, line(&f, "expect stopped at spawn_ksoftirqd", NULL),
		     "");
	const char *o = line(&f, "expect stopped at kernel_init", NULL);
	KP_CHECK(st, strstr(o, "(got stopped at spawn_ksoftirqd)") != NULL);
	line(&f, "delete", NULL);
	line(&f, "continue", NULL);
	o = line(&f, "expect stopped at kernel_init", NULL);
	KP_CHECK(st, strstr(o, "(got nothing left to do)") != NULL);
	/* an unknown function is an error, not a failure */
	o = line(&f, "expect stopped at no_such_fn", &ret);
	KP_CHECK(st, ret < 0);
	KP_CHECK(st, strstr(o, "No function 'no_such_fn'") != NULL);
	KP_CHECK_EQ(st, f.s->expect_failures, 2);
	KP_CHECK_EQ(st, f.s->errors, 1);
	KP_CHECK_EQ(st, kp_session_exit_status(f.s), 2);
	teardown(&f);
}

KP_TEST(value_comparisons)
{
	struct fixture f;
	int ret;
	setup(&f);
	/* reading a value boots the world */
	KP_CHECK_STR(st, line(&f, "expect client.cpu0.switches > 0", NULL), "");
	KP_CHECK(st, f.s->started);
	KP_CHECK_STR(st, line(&f, "expect server.task.ksoftirqd/1.state == S",
			      NULL),
		     "");
	KP_CHECK_STR(st, line(&f, "expect 3 < time", NULL), "");
	const char *o = line(&f, "expect client.booted == 0", NULL);
	KP_CHECK_STR(st, o, "t.kp:4: expected client.booted == 0 (got "
			    "client.booted = 1)\n");
	o = line(&f, "expect client.task.nope.pid == 1", &ret);
	KP_CHECK_EQ(st, ret, 0);
	KP_CHECK(st, strstr(o, "(got no task 'nope' on client") != NULL);
	KP_CHECK_EQ(st, f.s->expect_failures, 2);
	/* malformed or misspelled: an error */
	o = line(&f, "expect client.cpu0.clokc > 0", &ret);
	KP_CHECK(st, ret < 0 && strstr(o, "unknown value") != NULL);
	o = line(&f, "expect client.booted", &ret);
	KP_CHECK(st, ret < 0 && strstr(o, "help expect") != NULL);
	o = line(&f, "expect client.booted == S", &ret);
	KP_CHECK(st, ret < 0 && strstr(o, "cannot compare") != NULL);
	KP_CHECK_EQ(st, f.s->errors, 3);
	teardown(&f);
}

KP_TEST(expect_error)
{
	struct fixture f;
	setup(&f);
	line(&f, "expect error brek", NULL);
	KP_CHECK_EQ(st, f.s->expect_failures, 0);
	KP_CHECK_EQ(st, f.s->errors, 0);
	/* the failing command's message is the output to check */
	KP_CHECK_STR(st, line(&f, "expect output contains \"did you mean "
				  "'break'\"",
			      NULL),
		     "");
	const char *o = line(&f, "expect error echo fine", NULL);
	KP_CHECK(st, strstr(o, "t.kp:3: expected error echo fine (got "
			       "success)") != NULL);
	KP_CHECK_EQ(st, f.s->expect_failures, 1);
	teardown(&f);
}

KP_TEST(saved_outputs)
{
	struct fixture f;
	int ret;
	setup(&f);
	line(&f, "trace 50", NULL);
	line(&f, "save output boot", NULL);
	line(&f, "reboot", NULL);
	KP_CHECK(st, !f.s->started);
	line(&f, "trace 50", NULL);
	KP_CHECK_STR(st, line(&f, "expect output == saved boot", NULL), "");
	line(&f, "step", NULL);
	const char *o = line(&f, "expect output == saved boot", NULL);
	KP_CHECK(st, strstr(o, "(got a different output from line 1)") !=
			     NULL);
	o = line(&f, "expect output == saved nothing", &ret);
	KP_CHECK(st, ret < 0 && strstr(o, "save output nothing") != NULL);
	teardown(&f);
}

KP_TEST(exit_status)
{
	struct fixture f;
	setup(&f);
	KP_CHECK_EQ(st, kp_session_exit_status(f.s), 0);
	f.s->expect_failures = 1;
	KP_CHECK_EQ(st, kp_session_exit_status(f.s), 1);
	f.s->errors = 1;
	KP_CHECK_EQ(st, kp_session_exit_status(f.s), 2);
	teardown(&f);
}

KP_TEST_MAIN(output_contains, stopped_at, value_comparisons, expect_error,
	     saved_outputs, exit_status)
