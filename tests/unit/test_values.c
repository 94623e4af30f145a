/*
 * test_values.c - value paths (src/ui/values.c, values_sched.c): pattern
 * matching, resolution against a booted world, the errors for wrong
 * names and missing things; and the time units of duration.c.
 */
#include <errno.h>

#include "kp_test.h"
#include "sched/host.h"
#include "ui/duration.h"
#include "test_session.h"
#include "ui/values.h"

struct fixture {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
};

static void setup_booted(struct fixture *f)
{
	f->s = test_session_new(&f->sb, &f->out, true);
	kp_session_start(f->s, &f->out);
}

static void teardown(struct fixture *f)
{
	test_session_free(f->s, &f->sb);
}

static int64_t int_value(struct fixture *f, const char *path)
{
	struct kp_value v;
	char err[256];
	int ret = kp_value_resolve(f->s, path, &v, err, sizeof(err));
	if (ret || v.type != KP_VAL_INT) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -999;
	}
	return v.i;
}

KP_TEST(cpu_values_read_the_cpu)
{
	struct fixture f;
	setup_booted(&f);
	struct kp_host *server = kp_host_by_name(f.s->world, "server");
	struct kp_cpu *cpu = server->cpus[1];
	KP_CHECK_EQ(st, int_value(&f, "server.cpu1.clock"), cpu->v.clock);
	KP_CHECK_EQ(st, int_value(&f, "server.cpu1.switches"),
		    cpu->rq.nr_switches);
	KP_CHECK(st, int_value(&f, "server.cpu1.switches") > 0);
	KP_CHECK_EQ(st, int_value(&f, "server.cpu0.softirq_pending"), 0);
	KP_CHECK_EQ(st, int_value(&f, "server.cpu0.need_resched"), 0);
	KP_CHECK_EQ(st, int_value(&f, "server.cpu0.preempt_count"), 0);
	KP_CHECK_EQ(st, int_value(&f, "client.booted"), 1);
	KP_CHECK_EQ(st, int_value(&f, "client.cpu0.softirqs.NET_RX"), 0);

	struct kp_value v;
	char err[256];
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "client.cpu1.curr", &v, err,
					 sizeof(err)),
		    0);
	KP_CHECK(st, v.type == KP_VAL_STR && strcmp(v.s, "swapper/1") == 0);
	teardown(&f);
}

KP_TEST(task_values_by_comm_or_pid)
{
	struct fixture f;
	setup_booted(&f);
	KP_CHECK_EQ(st, int_value(&f, "client.task.init.pid"), 1);
	int64_t pid = int_value(&f, "client.task.ksoftirqd/1.pid");
	KP_CHECK(st, pid > 1);
	char path[64];
	snprintf(path, sizeof(path), "client.task.%d.cpu", (int)pid);
	KP_CHECK_EQ(st, int_value(&f, path), 1);
	KP_CHECK(st, int_value(&f, "server.task.ksoftirqd/0.nvcsw") >= 1);
	KP_CHECK_EQ(st, int_value(&f, "server.task.ksoftirqd/0.nivcsw"), 0);
	KP_CHECK(st, int_value(&f, "server.task.ksoftirqd/0.wakeups") >= 1);

	struct kp_value v;
	char err[256];
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "server.task.ksoftirqd/0.state",
					 &v, err, sizeof(err)),
		    0);
	KP_CHECK_STR(st, v.s, "S");
	teardown(&f);
}

KP_TEST(engine_values)
{
	struct fixture f;
	setup_booted(&f);
	KP_CHECK_EQ(st, int_value(&f, "trace.seq"), f.s->world->trace.seq);
	KP_CHECK_EQ(st, int_value(&f, "time"), kp_world_time(f.s->world));
	kp_session_exec(f.s, "reboot");
	kp_session_exec(f.s, "step 2");
	/* stopped in start_kernel: its cost is charged, time is past 0 */
	KP_CHECK(st, int_value(&f, "time") > 0);
	KP_CHECK_EQ(st, int_value(&f, "time"), kp_world_time(f.s->world));
	kp_session_exec(f.s, "break schedule");
	KP_CHECK_EQ(st, int_value(&f, "bp.1.hits"), 0);
	teardown(&f);
}

KP_TEST(wrong_names_and_missing_things)
{
	struct fixture f;
	struct kp_value v;
	char err[256];
	setup_booted(&f);
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "client.cpu0.clokc", &v, err,
					 sizeof(err)),
		    -ENOENT);
	KP_CHECK(st, strstr(err, "help values") != NULL);
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "nohost.cpu0.clock", &v, err,
					 sizeof(err)),
		    -ESRCH);
	KP_CHECK(st, strstr(err, "no host 'nohost' (hosts: client, server)") !=
			     NULL);
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "client.cpu7.clock", &v, err,
					 sizeof(err)),
		    -ESRCH);
	KP_CHECK(st, strstr(err, "no cpu7") != NULL);
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "client.task.nope.pid", &v, err,
					 sizeof(err)),
		    -ESRCH);
	KP_CHECK(st, strstr(err, "ps client") != NULL);
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "bp.9.hits", &v, err,
					 sizeof(err)),
		    -ESRCH);
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "bp.x.hits", &v, err,
					 sizeof(err)),
		    -ENOENT);
	KP_CHECK_EQ(st, kp_value_resolve(f.s, "client.cpu0.softirqs.NOPE", &v,
					 err, sizeof(err)),
		    -ESRCH);
	teardown(&f);
}

KP_TEST(comparisons)
{
	struct kp_value a, b;
	kp_value_int(&a, 3);
	kp_value_int(&b, 4);
	KP_CHECK(st, kp_value_compare(&a, KP_OP_LT, &b));
	KP_CHECK(st, !kp_value_compare(&a, KP_OP_GE, &b));
	kp_value_str(&a, "S");
	KP_CHECK(st, !kp_value_compare(&a, KP_OP_EQ, &b)); /* not comparable */
	kp_value_str(&b, "S");
	KP_CHECK(st, kp_value_compare(&a, KP_OP_EQ, &b));
	kp_value_obj(&a, 1, 5);
	kp_value_int(&b, 5);
	KP_CHECK(st, kp_value_compare(&a, KP_OP_EQ, &b));
	char buf[32];
	kp_value_format(&a, buf, sizeof(buf));
	KP_CHECK_STR(st, buf, "skb#5");
	KP_CHECK_EQ(st, kp_cmp_op_parse("<="), KP_OP_LE);
	KP_CHECK_EQ(st, kp_cmp_op_parse("=<"), -1);
}

KP_TEST(durations)
{
	uint64_t ns;
	char buf[KP_TIME_BUF];
	KP_CHECK_EQ(st, kp_parse_duration("5ms", &ns), 0);
	KP_CHECK_EQ(st, ns, 5000000);
	KP_CHECK_EQ(st, kp_parse_duration("300us", &ns), 0);
	KP_CHECK_EQ(st, ns, 300000);
	KP_CHECK_EQ(st, kp_parse_duration("1.5s", &ns), 0);
	KP_CHECK_EQ(st, ns, 1500000000);
	KP_CHECK_EQ(st, kp_parse_duration("1200ns", &ns), 0);
	KP_CHECK_EQ(st, ns, 1200);
	KP_CHECK_EQ(st, kp_parse_duration("0.25us", &ns), 0);
	KP_CHECK_EQ(st, ns, 250);
	KP_CHECK(st, kp_parse_duration("5", &ns) < 0);
	KP_CHECK(st, kp_parse_duration("5m", &ns) < 0);
	KP_CHECK(st, kp_parse_duration("ms", &ns) < 0);
	KP_CHECK(st, kp_parse_duration("1.s", &ns) < 0);
	KP_CHECK(st, kp_parse_duration("99999999999999999999s", &ns) < 0);
	KP_CHECK_STR(st, kp_fmt_time(buf, 12345), "0.000012345");
	KP_CHECK_STR(st, kp_fmt_time(buf, 1500000000), "1.500000000");
}

KP_TEST_MAIN(cpu_values_read_the_cpu, task_values_by_comm_or_pid,
	     engine_values, wrong_names_and_missing_things, comparisons,
	     durations)
