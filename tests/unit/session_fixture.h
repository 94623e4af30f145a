/*
 * session_fixture.h - a batch session on the default world for the unit
 * tests of commands (test_cmd, test_complete, test_record): its output
 * goes to a string buffer the test reads.  (Static functions: each test
 * binary includes it once.)
 */
#ifndef KP_TEST_SESSION_FIXTURE_H
#define KP_TEST_SESSION_FIXTURE_H

#include "ui/out.h"
#include "ui/session.h"

struct fixture {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
};

static void setup(struct fixture *f)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	kp_strbuf_init(&f->sb);
	kp_out_init_strbuf(&f->out, &f->sb);
	f->s = kp_session_new(&cfg, &f->out);
	f->s->batch = true;
}

static void teardown(struct fixture *f)
{
	kp_session_free(f->s);
	kp_strbuf_free(&f->sb);
}

#endif
