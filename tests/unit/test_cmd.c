/*
 * test_cmd.c - the command table and dispatch (src/ui/cmd.c): lookup of
 * several-word names, aliases and abbreviations, suggestions for unknown
 * names, usage errors, the lazy start of the world, completion, and the
 * rules every table entry must follow.
 */
#include <signal.h>

#include "kp_test.h"
#include "session_fixture.h"
#include "ui/cmd.h"
#include "ui/complete.h"
#include "ui/session.h"
#include "ui/tokenize.h"

/* Output of one command line. */
static const char *run(struct fixture *f, const char *line, int *ret)
{
	kp_strbuf_reset(&f->sb);
	int r = kp_session_exec(f->s, line);
	if (ret)
		*ret = r;
	return kp_strbuf_str(&f->sb);
}

static const char *lookup_name(const char *line, int *words)
{
	struct kp_args a;
	char err[64];
	static char name[64]; /* test helper only */
	kp_tokenize(line, &a, err, sizeof(err));
	const struct kp_cmd *cmd = kp_cmd_lookup(a.argc, a.argv, words);
	snprintf(name, sizeof(name), "%s", cmd ? cmd->name : "(none)");
	kp_args_free(&a);
	return name;
}

KP_TEST(lookup_prefers_the_longest_name)
{
	int words;
	KP_CHECK_STR(st, lookup_name("show settings", &words),
		     "show settings");
	KP_CHECK_EQ(st, words, 2);
	KP_CHECK_STR(st, lookup_name("show seed", &words), "show");
	KP_CHECK_EQ(st, words, 1);
	KP_CHECK_STR(st, lookup_name("info cpus server", &words), "info cpus");
	KP_CHECK_EQ(st, words, 2);
	KP_CHECK_STR(st, lookup_name("info", &words), "(none)");
}

KP_TEST(lookup_aliases_and_abbreviations)
{
	int words;
	KP_CHECK_STR(st, lookup_name("b ip_rcv", &words), "break");
	KP_CHECK_STR(st, lookup_name("s", &words), "step");
	KP_CHECK_STR(st, lookup_name("n 3", &words), "next");
	KP_CHECK_STR(st, lookup_name("c", &words), "continue");
	KP_CHECK_STR(st, lookup_name("cont", &words), "continue");
	KP_CHECK_STR(st, lookup_name("i b", &words), "info breakpoints");
	KP_CHECK_EQ(st, words, 2);
	KP_CHECK_STR(st, lookup_name("info br", &words), "info breakpoints");
	KP_CHECK_STR(st, lookup_name("inf fun spawn", &words),
		     "info functions");
	KP_CHECK_EQ(st, words, 2);
	/* echo, enable, expect: ambiguous */
	KP_CHECK_STR(st, lookup_name("e", &words), "(none)");
	/* an exact name wins over an abbreviation of a longer one */
	KP_CHECK_STR(st, lookup_name("set", &words), "set");
}

KP_TEST(groups)
{
	char *info[] = { "info", NULL }, *brk[] = { "break", NULL };
	KP_CHECK(st, kp_cmd_is_group(1, info));
	KP_CHECK(st, !kp_cmd_is_group(1, brk));
	KP_CHECK(st, kp_cmd_name_continues("show settings", 1,
					   (char *[]){ "show", NULL }));
	KP_CHECK_EQ(st, kp_cmd_name_words("info  breakpoints"), 2);
}

KP_TEST(suggestions_by_edit_distance)
{
	char buf[128];
	KP_CHECK(st, kp_cmd_suggest("brek", buf, sizeof(buf)));
	KP_CHECK_STR(st, buf, "break");
	KP_CHECK(st, kp_cmd_suggest("info fucntions", buf, sizeof(buf)));
	KP_CHECK_STR(st, buf, "info functions");
	KP_CHECK(st, kp_cmd_suggest("contniue", buf, sizeof(buf)));
	KP_CHECK_STR(st, buf, "continue");
	KP_CHECK(st, !kp_cmd_suggest("xyzzy", buf, sizeof(buf)));
	KP_CHECK_EQ(st, kp_edit_distance("fucntions", "functions"), 1);
	KP_CHECK_EQ(st, kp_edit_distance("", "abc"), 3);
}

KP_TEST(unknown_command_suggests_and_fails)
{
	struct fixture f;
	int ret;
	setup(&f);
	const char *o = run(&f, "brek spawn_ksoftirqd", &ret);
	KP_CHECK(st, ret < 0);
	KP_CHECK(st, strstr(o, "unknown command 'brek'; did you mean "
			       "'break'?") != NULL);
	KP_CHECK(st, strstr(o, "help") != NULL);
	o = run(&f, "info fucntions", &ret);
	KP_CHECK(st, strstr(o, "did you mean 'info functions'?") != NULL);
	o = run(&f, "info", &ret);
	KP_CHECK(st, ret < 0);
	KP_CHECK(st, strstr(o, "info breakpoints, info cpus") != NULL);
	o = run(&f, "e", &ret);
	KP_CHECK(st, ret < 0 && strstr(o, "ambiguous") != NULL);
	/* none of that started the world */
	KP_CHECK(st, !f.s->started);
	teardown(&f);
}

KP_TEST(usage_errors_print_the_usage)
{
	struct fixture f;
	int ret;
	setup(&f);
	const char *o = run(&f, "break", &ret);
	KP_CHECK(st, ret < 0);
	KP_CHECK(st, strstr(o, "usage: break FUNCTION [if CONDITION]") != NULL);
	o = run(&f, "step 0", &ret);
	KP_CHECK(st, ret < 0 && strstr(o, "positive count") != NULL);
	/* in a script the message carries FILE:LINE */
	kp_strbuf_reset(&f.sb);
	KP_CHECK(st, kp_script_exec_line(f.s, "x.kp", 7, "delete x") < 0);
	KP_CHECK(st, strstr(kp_strbuf_str(&f.sb), "x.kp:7: delete takes") ==
			     kp_strbuf_str(&f.sb));
	KP_CHECK_EQ(st, f.s->errors, 1);
	/* comments and blank lines are not commands */
	KP_CHECK_EQ(st, kp_script_exec_line(f.s, "x.kp", 8, "  # brek"), 0);
	KP_CHECK_EQ(st, kp_script_exec_line(f.s, "x.kp", 9, ""), 0);
	KP_CHECK_EQ(st, f.s->errors, 1);
	teardown(&f);
}

KP_TEST(setup_commands_leave_the_world_at_power_on)
{
	struct fixture f;
	setup(&f);
	run(&f, "break spawn_ksoftirqd", NULL);
	run(&f, "info breakpoints", NULL);
	run(&f, "info functions spawn", NULL);
	run(&f, "help", NULL);
	run(&f, "set seed 3", NULL);
	run(&f, "show settings", NULL);
	KP_CHECK(st, !f.s->started);
	KP_CHECK_EQ(st, f.s->world->trace.seq, 0);
	/* the first command that looks at the world boots it, and stops
	 * at the breakpoint on the way */
	const char *o = run(&f, "ps", NULL);
	KP_CHECK(st, f.s->started);
	KP_CHECK(st, strstr(o, "Breakpoint 1, spawn_ksoftirqd ()") != NULL);
	KP_CHECK(st, strstr(o, "HOST") != NULL);
	teardown(&f);
}

KP_TEST(a_run_command_is_the_first_run)
{
	struct fixture f;
	setup(&f);
	const char *o = run(&f, "step", NULL);
	KP_CHECK(st, strstr(o, "start_kernel () at init/main.c") == o);
	KP_CHECK(st, strstr(o, "#seq 0") != NULL);
	KP_CHECK_EQ(st, f.s->world->trace.seq, 1);
	teardown(&f);
}

KP_TEST(quit_boots_and_sets_quit)
{
	struct fixture f;
	setup(&f);
	run(&f, "quit", NULL);
	KP_CHECK(st, f.s->quit);
	KP_CHECK(st, f.s->started);
	KP_CHECK_EQ(st, kp_session_exit_status(f.s), 0);
	run(&f, "quit 3", NULL);
	KP_CHECK_EQ(st, kp_session_exit_status(f.s), 3);
	teardown(&f);
}

/* An engine event that does what a Ctrl-C would, mid-run. */
static void press_ctrl_c(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	(void)arg;
	(void)data;
	raise(SIGINT);
}

KP_TEST(ctrl_c_stops_a_run_at_a_step_point)
{
	struct fixture f;
	setup(&f);
	f.s->batch = false; /* a human is watching: Ctrl-C is caught */
	kp_world_at(f.s->world, 3000, press_ctrl_c, NULL, 0, NULL);
	const char *o = run(&f, "continue", NULL);
	KP_CHECK(st, strstr(o, "Interrupted.\n") == o);
	KP_CHECK(st, strstr(o, "  client cpu") || strstr(o, "  server cpu"));
	KP_CHECK(st, f.s->interrupted);
	KP_CHECK(st, f.s->world->stop_ctl.reason == KP_STOP_REQUEST);
	/* the handler is gone again, and the run goes on from there */
	KP_CHECK(st, !(f.s->world->stop_ctl.probe_check & KP_CHECK_WATCH));
	o = run(&f, "continue", NULL);
	KP_CHECK(st, strstr(o, "Nothing left to do") == o);
	KP_CHECK(st, !f.s->interrupted);
	teardown(&f);
}

static bool has(const struct kp_completions *c, const char *word)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i], word) == 0)
			return true;
	return false;
}

KP_TEST(completion)
{
	struct fixture f;
	struct kp_completions c;
	setup(&f);

	kp_completions_init(&c, "");
	kp_complete_line(f.s, "info ", 5, &c);
	KP_CHECK_EQ(st, c.n, 5);
	KP_CHECK(st, has(&c, "breakpoints") && has(&c, "cpus") &&
			     has(&c, "functions") && has(&c, "watchpoints") &&
			     has(&c, "display"));
	kp_completions_free(&c);

	kp_completions_init(&c, "spawn");
	kp_complete_line(f.s, "break spawn", 6, &c);
	KP_CHECK(st, has(&c, "spawn_ksoftirqd"));
	kp_completions_free(&c);

	kp_completions_init(&c, "sh");
	kp_complete_line(f.s, "sh", 0, &c);
	KP_CHECK_EQ(st, c.n, 1);
	KP_CHECK(st, has(&c, "show"));
	kp_completions_free(&c);

	kp_completions_init(&c, "");
	kp_complete_line(f.s, "show ", 5, &c);
	KP_CHECK(st, has(&c, "settings") && has(&c, "seed"));
	kp_completions_free(&c);

	kp_completions_init(&c, "se");
	kp_complete_line(f.s, "ps se", 3, &c);
	KP_CHECK_EQ(st, c.n, 1);
	KP_CHECK(st, has(&c, "server"));
	kp_completions_free(&c);

	kp_completions_init(&c, "se");
	kp_complete_line(f.s, "break ip_rcv if host == se", 24, &c);
	KP_CHECK_EQ(st, c.n, 1);
	KP_CHECK(st, has(&c, "server"));
	kp_completions_free(&c);

	kp_completions_init(&c, "ho");
	kp_complete_line(f.s, "break ip_rcv if cpu == 1 && ho", 28, &c);
	KP_CHECK(st, has(&c, "host"));
	kp_completions_free(&c);

	kp_completions_init(&c, "");
	kp_complete_line(f.s, "source ", 7, &c);
	KP_CHECK(st, c.files);
	kp_completions_free(&c);
	teardown(&f);
}

KP_TEST(every_command_is_documented)
{
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const struct kp_cmd *cmd = kp_cmd_table[i];
		KP_CHECK(st, cmd->name && cmd->usage && cmd->summary &&
				     cmd->help && cmd->group && cmd->handler);
		if (!cmd->summary || !cmd->help || !cmd->usage)
			continue;
		size_t len = strlen(cmd->summary);
		if (len && cmd->summary[len - 1] == '.')
			fprintf(stderr, "summary of %s ends with '.'\n",
				cmd->name);
		KP_CHECK(st, len && cmd->summary[len - 1] != '.');
		if (!strstr(cmd->help, "Example"))
			fprintf(stderr, "no example in help of %s\n", cmd->name);
		KP_CHECK(st, strstr(cmd->help, "Example") != NULL);
		/* the usage starts with the name */
		KP_CHECK(st, strncmp(cmd->usage, cmd->name,
				     strlen(cmd->name)) == 0);
	}
}

KP_TEST(names_and_aliases_are_unique)
{
	for (size_t i = 0; i < kp_cmd_count; i++) {
		for (size_t j = 0; j < kp_cmd_count; j++) {
			const struct kp_cmd *a = kp_cmd_table[i];
			const struct kp_cmd *b = kp_cmd_table[j];
			if (i != j)
				KP_CHECK(st, strcmp(a->name, b->name) != 0);
			for (const char *const *al = b->aliases; al && *al;
			     al++) {
				if (strcmp(a->name, *al) == 0)
					fprintf(stderr, "%s is a name and an "
							"alias\n",
						*al);
				KP_CHECK(st, strcmp(a->name, *al) != 0);
			}
		}
	}
}

KP_TEST_MAIN(lookup_prefers_the_longest_name, lookup_aliases_and_abbreviations,
	     groups, suggestions_by_edit_distance,
	     unknown_command_suggests_and_fails, usage_errors_print_the_usage,
	     setup_commands_leave_the_world_at_power_on,
	     a_run_command_is_the_first_run, quit_boots_and_sets_quit,
	     ctrl_c_stops_a_run_at_a_step_point, completion, every_command_is_documented,
	     names_and_aliases_are_unique)
