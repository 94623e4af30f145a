/*
 * session_fixture.h - a batch session on the default world for the unit
 * tests of commands (test_cmd, test_complete, test_record): its output
 * goes to a string buffer the test reads.  (Static functions: each test
 * binary includes it once.)
 */
#ifndef KP_TEST_SESSION_FIXTURE_H
#define KP_TEST_SESSION_FIXTURE_H

#include "test_session.h"

struct fixture {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
};

static void setup(struct fixture *f)
{
	f->s = test_session_new(&f->sb, &f->out, true);
}

static void teardown(struct fixture *f)
{
	test_session_free(f->s, &f->sb);
}

#endif
