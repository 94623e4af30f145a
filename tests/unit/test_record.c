/*
 * test_record.c - the input log and reverse execution (engine/record.c,
 * ui/cmd_record.c, ui/cmd_reverse.c, ui/cmd_watch.c):
 *
 *  - positions format, parse and order;
 *  - from every stop of a short receive scenario (a UDP server, one
 *    injected datagram, 60 steps), reverse-step then step comes back to
 *    the same record: the same stop lines, bt and show ring, byte for
 *    byte;
 *  - goto backwards and forwards, and the recorded future;
 *  - a saved record reloads to the same trace (trace 200 identical);
 *  - a watchpoint stops where its value changes.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/record.h"
#include "kp_test.h"
#include "session_fixture.h"
#include "ui/debugger.h"
#include "ui/session.h"

/* Run @line; its output (malloc'd). */
static char *run(struct fixture *f, const char *line)
{
	kp_strbuf_reset(&f->sb);
	kp_session_exec(f->s, line);
	return strdup(kp_strbuf_str(&f->sb));
}

static int runq(struct fixture *f, const char *line)
{
	kp_strbuf_reset(&f->sb);
	return kp_session_exec(f->s, line);
}

/* stop line + bt + show ring, as one text */
static char *state(struct fixture *f, const char *run_cmd)
{
	char *a = run(f, run_cmd);
	char *b = run(f, "bt");
	char *c = run(f, "show ring server eth0 rx 0");
	char *d = run(f, "show ring server eth0 rx 1");
	size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d) + 1;
	char *all = malloc(n);
	snprintf(all, n, "%s%s%s%s", a, b, c, d);
	free(a);
	free(b);
	free(c);
	free(d);
	return all;
}

KP_TEST(test_pos_text)
{
	struct kp_pos p, q;
	char buf[64];
	const char *texts[] = { "@boot", "@12", "@40:idle", "@7:exit:3",
				"@9:until:5000", "@11:event" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		KP_CHECK_EQ(st, kp_pos_parse(texts[i], &p), 0);
		kp_pos_format(&p, buf, sizeof(buf));
		KP_CHECK_STR(st, buf, texts[i]);
		KP_CHECK_EQ(st, kp_pos_parse(buf, &q), 0);
		KP_CHECK(st, kp_pos_equal(&p, &q));
	}
	KP_CHECK(st, kp_pos_parse("@x", &p) < 0);
	KP_CHECK(st, kp_pos_parse("@3:exit:", &p) < 0);
	KP_CHECK(st, kp_pos_parse("@3:nope", &p) < 0);
	/* probe 9 < exit after 9 < idle with 10 records < probe 10 */
	struct kp_pos a = { KP_POS_PROBE, 9, 0 }, b = { KP_POS_EXIT, 9, 2 },
		      c = { KP_POS_IDLE, 10, 0 }, d = { KP_POS_PROBE, 10, 0 };
	KP_CHECK(st, kp_pos_key(&a) < kp_pos_key(&b));
	KP_CHECK(st, kp_pos_key(&b) < kp_pos_key(&c));
	KP_CHECK(st, kp_pos_key(&c) < kp_pos_key(&d));
}

KP_TEST(test_log_truncate)
{
	struct kp_input_log log;
	struct kp_pos p = { KP_POS_IDLE, 5, 0 };
	kp_input_log_init(&log);
	for (int i = 0; i < 40; i++)
		KP_CHECK_EQ(st, kp_input_log_append(&log, &p, 0, "inject x"), 0);
	log.applied = 10;
	kp_input_log_truncate(&log, 20);
	KP_CHECK_EQ(st, log.n, 20);
	KP_CHECK_EQ(st, log.applied, 10);
	kp_input_log_truncate(&log, 5);
	KP_CHECK_EQ(st, log.applied, 5);
	kp_input_log_free(&log);
	KP_CHECK_EQ(st, log.n, 0);
}

static void receive_scenario(struct fixture *f)
{
	runq(f, "run udp-server 7000 on server");
	runq(f, "inject server udp 10.0.0.1:4000 > 10.0.0.2:7000 data "
		"\"hi\"");
}

KP_TEST(test_reverse_step_every_stop)
{
	struct fixture f;
	setup(&f);
	receive_scenario(&f);
	int same = 0;
	for (int i = 0; i < 60; i++) {
		char *fwd = state(&f, "step");
		char *back = run(&f, "reverse-step");
		char *again = state(&f, "step");
		if (strcmp(fwd, again)) {
			fprintf(stderr, "step %d differs after reverse-step "
					"(%s):\n--- first\n%s--- again\n%s",
				i + 1, back, fwd, again);
			st->failed_checks++;
		} else {
			same++;
		}
		free(fwd);
		free(back);
		free(again);
	}
	KP_CHECK_EQ(st, same, 60);
	/* the datagram still arrives once */
	runq(&f, "continue");
	char *v = run(&f, "print server.nstat.UdpInDatagrams");
	KP_CHECK_STR(st, v, "server.nstat.UdpInDatagrams = 1\n");
	free(v);
	teardown(&f);
}

KP_TEST(test_goto_and_future)
{
	struct fixture f;
	setup(&f);
	receive_scenario(&f);
	runq(&f, "step 30");
	char *at30 = state(&f, "trace 40");
	uint64_t seq30 = f.s->world->stop_ctl.seq;
	runq(&f, "step 20");
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "goto %llu", (unsigned long long)seq30);
	KP_CHECK_EQ(st, runq(&f, cmd), 0);
	KP_CHECK_EQ(st, f.s->world->stop_ctl.seq, seq30);
	char *again = state(&f, "trace 40");
	KP_CHECK_STR(st, again, at30);
	/* back before the inject: it is the recorded future */
	KP_CHECK_EQ(st, runq(&f, "goto 100"), 0);
	KP_CHECK(st, f.s->dbg->log.applied < f.s->dbg->log.n);
	runq(&f, "continue");
	KP_CHECK_EQ(st, f.s->dbg->log.applied, f.s->dbg->log.n);
	char *v = run(&f, "print server.nstat.UdpInDatagrams");
	KP_CHECK_STR(st, v, "server.nstat.UdpInDatagrams = 1\n");
	free(v);
	/* forwards */
	KP_CHECK_EQ(st, runq(&f, "goto 150"), 0);
	snprintf(cmd, sizeof(cmd), "goto %llu", (unsigned long long)seq30);
	KP_CHECK_EQ(st, runq(&f, cmd), 0);
	KP_CHECK_EQ(st, f.s->world->stop_ctl.seq, seq30);
	/* a new input drops the future */
	KP_CHECK_EQ(st, runq(&f, "goto 100"), 0);
	runq(&f, "inject server udp 10.0.0.1:4000 > 10.0.0.2:9 data \"x\"");
	KP_CHECK_EQ(st, f.s->dbg->log.n, f.s->dbg->log.applied);
	free(at30);
	free(again);
	teardown(&f);
}

KP_TEST(test_record_reload)
{
	struct fixture f;
	char path[] = "/tmp/kp_test_recordXXXXXX";
	int fd = mkstemp(path);
	KP_CHECK(st, fd >= 0);
	close(fd);
	setup(&f);
	receive_scenario(&f);
	runq(&f, "step 40");
	runq(&f, "inject server udp 10.0.0.1:4001 > 10.0.0.2:7000 data "
		 "\"two words\"");
	runq(&f, "step 25");
	char *t1 = run(&f, "trace 200");
	char save[128];
	snprintf(save, sizeof(save), "record save %s", path);
	KP_CHECK_EQ(st, runq(&f, save), 0);
	teardown(&f);

	setup(&f);
	snprintf(save, sizeof(save), "record load %s", path);
	KP_CHECK_EQ(st, runq(&f, save), 0);
	char *t2 = run(&f, "trace 200");
	KP_CHECK_STR(st, t2, t1);
	runq(&f, "continue");
	char *v = run(&f, "print server.nstat.UdpInDatagrams");
	KP_CHECK_STR(st, v, "server.nstat.UdpInDatagrams = 2\n");
	free(v);
	teardown(&f);

	/* the same file as a batch script */
	setup(&f);
	snprintf(save, sizeof(save), "source %s", path);
	KP_CHECK_EQ(st, runq(&f, save), 0);
	char *t3 = run(&f, "trace 200");
	KP_CHECK_STR(st, t3, t1);
	teardown(&f);
	unlink(path);
	free(t1);
	free(t2);
	free(t3);
}

KP_TEST(test_watch)
{
	struct fixture f;
	setup(&f);
	receive_scenario(&f);
	KP_CHECK_EQ(st, runq(&f, "watch server.nstat.UdpInDatagrams"), 0);
	char *out = run(&f, "continue");
	KP_CHECK(st, strstr(out, "Old value = 0\nNew value = 1\n") != NULL);
	KP_CHECK(st, strstr(out, "Watchpoint 1: server.nstat.UdpInDatagrams")
			     != NULL);
	free(out);
	runq(&f, "display server.nstat.UdpInDatagrams");
	out = run(&f, "step");
	KP_CHECK(st, strstr(out, "1: server.nstat.UdpInDatagrams = 1\n") !=
			     NULL);
	free(out);
	KP_CHECK(st, runq(&f, "watch server.nstat.NoSuchThing") < 0);
	teardown(&f);
}

KP_TEST_MAIN(test_pos_text, test_log_truncate, test_reverse_step_every_stop,
	     test_goto_and_future, test_record_reload, test_watch)
