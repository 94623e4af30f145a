/*
 * test_cond.c - breakpoint conditions (src/ui/cond.c): parsing, type
 * checks and their messages, precedence, evaluation at a synthetic probe,
 * and fields that do not apply.
 */
#include "engine/ids.h"
#include "kernel/kernel.h"
#include "kp_test.h"
#include "sched/host.h"
#include "ui/cond.h"

struct probe_fixture {
	struct kp_world *w;
	struct kp_trace_rec rec;
	struct kp_obj obj;
	struct kp_probe_ctx p;
};

/* A probe hit on server cpu1 by pid 7, on skb#3, argument 1500. */
static void setup(struct probe_fixture *f)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	f->w = kp_world_new(&cfg);
	struct kp_vcpu *v = &f->w->hosts[1]->cpus[1]->v;
	v->pid = 7;
	v->ctx = KP_CTX_SOFTIRQ;
	memset(&f->rec, 0, sizeof(f->rec));
	f->rec.host = 1;
	f->rec.cpu = 1;
	f->rec.ctx = KP_CTX_SOFTIRQ;
	f->rec.depth = 4;
	f->rec.arg = 1500;
	f->obj.kind = KP_OBJ_SKB;
	f->obj.id = 3;
	f->p.w = f->w;
	f->p.v = v;
	f->p.obj = &f->obj;
	f->p.rec = &f->rec;
}

static int eval(struct probe_fixture *f, const char *text)
{
	char err[256];
	struct kp_cond *c = kp_cond_parse(text, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "parse '%s': %s\n", text, err);
		return -1;
	}
	int r = kp_cond_eval(c, &f->p);
	kp_cond_free(c);
	return r;
}

/* The parse error for @text (or "" when it parses). */
static const char *parse_error(const char *text)
{
	static char err[256]; /* test helper only */
	err[0] = '\0';
	struct kp_cond *c = kp_cond_parse(text, err, sizeof(err));
	kp_cond_free(c);
	return err;
}

KP_TEST(comparisons_of_each_field)
{
	struct probe_fixture f;
	setup(&f);
	KP_CHECK_EQ(st, eval(&f, "cpu == 1"), 1);
	KP_CHECK_EQ(st, eval(&f, "cpu != 1"), 0);
	KP_CHECK_EQ(st, eval(&f, "host == server"), 1);
	KP_CHECK_EQ(st, eval(&f, "host == \"client\""), 0);
	KP_CHECK_EQ(st, eval(&f, "pid == 7"), 1);
	KP_CHECK_EQ(st, eval(&f, "ctx == softirq"), 1);
	KP_CHECK_EQ(st, eval(&f, "arg >= 1500"), 1);
	KP_CHECK_EQ(st, eval(&f, "arg > 1500"), 0);
	KP_CHECK_EQ(st, eval(&f, "arg < 0x600"), 1);
	KP_CHECK_EQ(st, eval(&f, "depth <= 4"), 1);
	KP_CHECK_EQ(st, eval(&f, "obj == skb#3"), 1);
	KP_CHECK_EQ(st, eval(&f, "obj == sk#3"), 0);
	KP_CHECK_EQ(st, eval(&f, "obj == 3"), 1);
	KP_CHECK_EQ(st, eval(&f, "comm == swapper/1"), 0);
	kp_world_free(f.w);
}

KP_TEST(and_or_not_and_parentheses)
{
	struct probe_fixture f;
	setup(&f);
	KP_CHECK_EQ(st, eval(&f, "cpu == 1 && host == server"), 1);
	KP_CHECK_EQ(st, eval(&f, "cpu == 0 && host == server"), 0);
	KP_CHECK_EQ(st, eval(&f, "cpu == 0 || host == server"), 1);
	/* && binds tighter than || */
	KP_CHECK_EQ(st, eval(&f, "cpu == 1 || cpu == 0 && host == client"), 1);
	KP_CHECK_EQ(st, eval(&f, "(cpu == 1 || cpu == 0) && host == client"),
		    0);
	KP_CHECK_EQ(st, eval(&f, "!(cpu == 1)"), 0);
	KP_CHECK_EQ(st, eval(&f, "!cpu == 0"), 1);
	KP_CHECK_EQ(st, eval(&f, "cpu==1&&arg==1500"), 1);
	/* a field on the right */
	KP_CHECK_EQ(st, eval(&f, "cpu == cpu"), 1);
	kp_world_free(f.w);
}

KP_TEST(fields_that_do_not_apply_are_false)
{
	struct probe_fixture f;
	setup(&f);
	f.p.obj = NULL;
	KP_CHECK_EQ(st, eval(&f, "obj == 3"), 0);
	KP_CHECK_EQ(st, eval(&f, "obj != 3"), 0);
	KP_CHECK_EQ(st, eval(&f, "!(obj == 3)"), 1);
	/* a device event: no CPU */
	f.p.v = NULL;
	KP_CHECK_EQ(st, eval(&f, "cpu == -1"), 1);
	KP_CHECK_EQ(st, eval(&f, "pid == 0"), 0);
	KP_CHECK_EQ(st, eval(&f, "host == server"), 1);
	kp_world_free(f.w);
}

KP_TEST(mistakes_are_explained)
{
	KP_CHECK(st, strstr(parse_error(""), "empty") != NULL);
	KP_CHECK(st, strstr(parse_error("cpux == 1"),
			    "unknown field 'cpux'") != NULL);
	KP_CHECK(st, strstr(parse_error("cpux == 1"), "cpu, host") != NULL);
	KP_CHECK(st, strstr(parse_error("cpu = 1"), "compare with ==") != NULL);
	KP_CHECK(st, strstr(parse_error("cpu =="), "expected a value") != NULL);
	KP_CHECK(st, strstr(parse_error("cpu"), "expected ==") != NULL);
	KP_CHECK(st, strstr(parse_error("host == 3"),
			    "host is a name but '3' is a number") != NULL);
	KP_CHECK(st, strstr(parse_error("cpu == server"),
			    "cpu is a number but 'server' is a name") != NULL);
	KP_CHECK(st, strstr(parse_error("obj == foo"), "not an object") !=
			     NULL);
	KP_CHECK(st, strstr(parse_error("(cpu == 1"), "missing ')'") != NULL);
	KP_CHECK(st, strstr(parse_error("cpu == 1 cpu == 2"),
			    "join comparisons with && or ||") != NULL);
	KP_CHECK(st, strstr(parse_error("cpu == 1 &&"), "ends too early") !=
			     NULL);
	KP_CHECK(st, strstr(parse_error("host == \"x"), "expected a value") !=
			     NULL);
	KP_CHECK_STR(st, parse_error("cpu == 1 && (host == client || "
				     "!(arg < 3))"),
		     "");
}

KP_TEST(field_table)
{
	KP_CHECK(st, kp_cond_field_find("cpu") != NULL);
	KP_CHECK(st, kp_cond_field_find("obj")->type == KP_VAL_OBJ);
	KP_CHECK(st, kp_cond_field_find("nope") == NULL);
	for (size_t i = 0; i < kp_cond_field_count; i++)
		KP_CHECK(st, kp_cond_fields[i].fn && kp_cond_fields[i].help);
}

KP_TEST_MAIN(comparisons_of_each_field, and_or_not_and_parentheses,
	     fields_that_do_not_apply_are_false, mistakes_are_explained,
	     field_table)
