/*
 * expect.c - evaluating expect expressions (forms in expect.h).
 */
#include "expect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "format_stop.h"
#include "session.h"
#include "values.h"

#define SYNTAX                                                                \
	"write 'expect output contains \"TEXT\"', 'expect stopped at "        \
	"FUNCTION' or 'expect VALUE OP VALUE'; see 'help expect'"

bool kp_expect_reads_world(int argc, char **argv)
{
	return !(argc >= 1 && strcmp(argv[0], "output") == 0);
}

/* Words joined by single spaces (the tokenizer already removed quotes). */
static char *join_plain(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *text = malloc(len);
	if (!text)
		return NULL;
	text[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	return text;
}

/* "got 3 lines: \"first line\"" */
static void describe_output(const char *output, char *got, size_t gotlen)
{
	int lines = 0;
	for (const char *p = output; *p; p++)
		lines += *p == '\n';
	if (!*output) {
		snprintf(got, gotlen, "no output");
		return;
	}
	if (output[strlen(output) - 1] != '\n')
		lines++;
	int first = (int)strcspn(output, "\n");
	snprintf(got, gotlen, "%d line%s: \"%.*s%s\"", lines,
		 lines == 1 ? "" : "s", first > 60 ? 60 : first, output,
		 first > 60 ? "..." : "");
}

static int expect_output(struct kp_session *s, int argc, char **argv,
			 char *got, size_t gotlen)
{
	const char *output = kp_strbuf_str(&s->last_output);

	if (argc >= 3 && (!strcmp(argv[1], "contains") ||
			  !strcmp(argv[1], "!contains"))) {
		bool want = argv[1][0] != '!';
		char *text = join_plain(argc - 2, argv + 2);
		if (!text)
			return -ENOMEM;
		bool found = strstr(output, text) != NULL;
		free(text);
		if (found == want)
			return 1;
		describe_output(output, got, gotlen);
		return 0;
	}
	if (argc == 4 && (!strcmp(argv[1], "==") || !strcmp(argv[1], "!=")) &&
	    !strcmp(argv[2], "saved")) {
		const char *saved = kp_session_saved_output(s, argv[3]);
		if (!saved) {
			snprintf(got, gotlen, "nothing saved as '%s'; save it "
					      "first with 'save output %s'",
				 argv[3], argv[3]);
			return -ENOENT;
		}
		bool same = strcmp(saved, output) == 0;
		if (same == (argv[1][0] == '='))
			return 1;
		if (same) {
			snprintf(got, gotlen, "the same output");
			return 0;
		}
		/* point at the first difference */
		size_t i = 0;
		int line = 1;
		while (saved[i] && saved[i] == output[i])
			line += saved[i++] == '\n';
		snprintf(got, gotlen, "a different output from line %d", line);
		return 0;
	}
	snprintf(got, gotlen, "%s", SYNTAX);
	return -EINVAL;
}

static int expect_stopped(struct kp_session *s, const char *fn, char *got,
			  size_t gotlen)
{
	struct kp_where where;
	int probe = kp_probe_lookup(fn);
	if (probe < 0) {
		snprintf(got, gotlen, "No function '%s' in kpath; try 'info "
				      "functions %s'",
			 fn, fn);
		return -ENOENT;
	}
	if (!kp_stop_where(s->world, &where)) {
		snprintf(got, gotlen, "%s",
			 s->world->stop_ctl.reason == KP_STOP_IDLE
				 ? "nothing left to do"
				 : "not stopped at a function");
		return 0;
	}
	if (where.probe == probe)
		return 1;
	snprintf(got, gotlen, "stopped at %s", kp_probes[where.probe].name);
	return 0;
}

struct operand {
	struct kp_value v;
	bool is_path;
	const char *text;
};

/* 1 when resolved, 0 when the thing is missing (message in @got), or a
 * negative error (unknown value name). */
static int operand(struct kp_session *s, const char *text, struct operand *o,
		   char *got, size_t gotlen)
{
	char *end;
	o->text = text;
	o->is_path = false;
	long long n = strtoll(text, &end, 0);
	if (*text && !*end) {
		kp_value_int(&o->v, n);
		return 1;
	}
	int ret = kp_value_resolve(s, text, &o->v, got, gotlen);
	if (ret == 0) {
		o->is_path = true;
		return 1;
	}
	if (ret == -ENOENT && !strchr(text, '.')) {
		/* not a value's name: a bare word such as S */
		kp_value_str(&o->v, text);
		return 1;
	}
	return ret == -ENOENT ? ret : 0;
}

static int expect_compare(struct kp_session *s, int argc, char **argv,
			  char *got, size_t gotlen)
{
	struct operand a, b;
	char abuf[KP_VALUE_STR_MAX + 8], bbuf[KP_VALUE_STR_MAX + 8];
	int op = kp_cmp_op_parse(argv[1]);
	(void)argc;

	int ra = operand(s, argv[0], &a, got, gotlen);
	if (ra <= 0)
		return ra;
	int rb = operand(s, argv[2], &b, got, gotlen);
	if (rb <= 0)
		return rb;
	if (!kp_value_comparable(a.v.type, b.v.type)) {
		snprintf(got, gotlen, "cannot compare %s (%s) with %s (%s)",
			 argv[0], kp_value_type_name(a.v.type), argv[2],
			 kp_value_type_name(b.v.type));
		return -EINVAL;
	}
	if (kp_value_compare(&a.v, (enum kp_cmp_op)op, &b.v))
		return 1;
	kp_value_format(&a.v, abuf, sizeof(abuf));
	kp_value_format(&b.v, bbuf, sizeof(bbuf));
	if (a.is_path && b.is_path)
		snprintf(got, gotlen, "%s = %s, %s = %s", argv[0], abuf,
			 argv[2], bbuf);
	else if (b.is_path)
		snprintf(got, gotlen, "%s = %s", argv[2], bbuf);
	else
		snprintf(got, gotlen, "%s = %s", argv[0], abuf);
	return 0;
}

int kp_expect_eval(struct kp_session *s, int argc, char **argv, char *got,
		   size_t gotlen)
{
	got[0] = '\0';
	if (argc >= 1 && strcmp(argv[0], "output") == 0)
		return expect_output(s, argc, argv, got, gotlen);
	if (argc == 3 && strcmp(argv[0], "stopped") == 0 &&
	    strcmp(argv[1], "at") == 0)
		return expect_stopped(s, argv[2], got, gotlen);
	if (argc == 3 && kp_cmp_op_parse(argv[1]) >= 0)
		return expect_compare(s, argc, argv, got, gotlen);
	snprintf(got, gotlen, "%s", SYNTAX);
	return -EINVAL;
}
