/*
 * test_session.h - a session on the default world whose output goes to a
 * string buffer the test reads; for unit tests that keep their own
 * fixture around it (session_fixture.h is the plain one).  (Static
 * functions: each test binary includes it once.)
 */
#ifndef KP_TEST_SESSION_H
#define KP_TEST_SESSION_H

#include <stdbool.h>

#include "ui/out.h"
#include "ui/session.h"

/* @sb and @out set up to collect the output; @batch as with --batch. */
static struct kp_session *test_session_new(struct kp_strbuf *sb,
					   struct kp_out *out, bool batch)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	kp_strbuf_init(sb);
	kp_out_init_strbuf(out, sb);
	struct kp_session *s = kp_session_new(&cfg, out);
	s->batch = batch;
	return s;
}

static void test_session_free(struct kp_session *s, struct kp_strbuf *sb)
{
	kp_session_free(s);
	kp_strbuf_free(sb);
}

#endif
