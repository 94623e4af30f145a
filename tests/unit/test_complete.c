/*
 * test_complete.c - completion of what the debugger commands take
 * (ui/complete.c and the .complete hooks of cmd_man.c, cmd_record.c,
 * cmd_help.c, cmd_sock.c, cmd_ep.c): manual page topics, file names,
 * command names for help, object ids (sk#N, ep#N), settings.
 * test_cmd.c covers command names, functions, hosts and conditions.
 */
#include <stdio.h>
#include <string.h>

#include "kp_test.h"
#include "session_fixture.h"
#include "ui/complete.h"
#include "ui/session.h"

static bool has(const struct kp_completions *c, const char *word)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i], word) == 0)
			return true;
	return false;
}

/* Complete the last word of @line (it starts after the last space). */
static void complete(struct fixture *f, const char *line,
		     struct kp_completions *c)
{
	const char *sp = strrchr(line, ' ');
	size_t start = sp ? (size_t)(sp - line) + 1 : 0;
	kp_completions_init(c, line + start);
	kp_complete_line(f->s, line, start, c);
}

KP_TEST(man_topics)
{
	struct fixture f;
	struct kp_completions c;
	setup(&f);

	complete(&f, "man kpath-r", &c);
	KP_CHECK_EQ(st, c.n, 2);
	KP_CHECK(st, has(&c, "kpath-rx") && has(&c, "kpath-replay"));
	kp_completions_free(&c);

	/* "man r": the short names and the "man run" command */
	complete(&f, "man r", &c);
	KP_CHECK(st, has(&c, "run") && has(&c, "rx") && has(&c, "replay"));
	KP_CHECK(st, !c.files);
	kp_completions_free(&c);

	complete(&f, "man run ep", &c);
	KP_CHECK_EQ(st, c.n, 1);
	KP_CHECK(st, has(&c, "epoll"));
	kp_completions_free(&c);

	/* one topic only */
	complete(&f, "man rx ", &c);
	KP_CHECK_EQ(st, c.n, 0);
	kp_completions_free(&c);
	teardown(&f);
}

KP_TEST(record_files)
{
	struct fixture f;
	struct kp_completions c;
	setup(&f);
	complete(&f, "record save ", &c);
	KP_CHECK(st, c.files);
	kp_completions_free(&c);
	complete(&f, "record load /tm", &c);
	KP_CHECK(st, c.files);
	kp_completions_free(&c);
	complete(&f, "record l", &c);
	KP_CHECK(st, has(&c, "load") && has(&c, "list"));
	KP_CHECK(st, !c.files);
	kp_completions_free(&c);
	teardown(&f);
}

KP_TEST(help_and_apropos)
{
	struct fixture f;
	struct kp_completions c;
	setup(&f);
	complete(&f, "help reverse-", &c);
	KP_CHECK(st, has(&c, "reverse-step") && has(&c, "reverse-next") &&
			     has(&c, "reverse-finish") &&
			     has(&c, "reverse-continue"));
	kp_completions_free(&c);
	complete(&f, "re", &c);
	KP_CHECK(st, has(&c, "reverse-step") && has(&c, "record") &&
			     has(&c, "reboot"));
	kp_completions_free(&c);
	teardown(&f);
}

KP_TEST(object_ids)
{
	struct fixture f;
	struct kp_completions c;
	setup(&f);
	kp_session_exec(f.s, "run udp-server 7000 on server");
	kp_session_exec(f.s, "run udp-epoll-server 7001 on server");
	kp_session_exec(f.s, "continue");

	complete(&f, "show sock sk", &c);
	KP_CHECK(st, c.n >= 2);
	KP_CHECK(st, has(&c, "sk#1"));
	kp_completions_free(&c);

	complete(&f, "show ep ", &c);
	KP_CHECK(st, has(&c, "ep#1"));
	kp_completions_free(&c);

	complete(&f, "set tr", &c);
	KP_CHECK(st, has(&c, "trace-size"));
	kp_completions_free(&c);
	teardown(&f);
}

KP_TEST_MAIN(man_topics, record_files, help_and_apropos, object_ids)
