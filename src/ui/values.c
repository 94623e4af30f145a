/*
 * values.c - typed values, comparisons, and resolving value paths through
 * the table in values.def.
 */
#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ids.h"
#include "sched/host.h"
#include "session.h"

const struct kp_value_entry kp_value_table[] = {
#define KP_VALUE(pattern, fn, help) { pattern, fn, help },
#include "values.def"
#undef KP_VALUE
};

const size_t kp_value_count =
	sizeof(kp_value_table) / sizeof(kp_value_table[0]);

void kp_value_str(struct kp_value *v, const char *s)
{
	v->type = KP_VAL_STR;
	snprintf(v->s, sizeof(v->s), "%s", s);
}

void kp_value_obj(struct kp_value *v, uint8_t kind, uint32_t id)
{
	v->type = KP_VAL_OBJ;
	v->kind = kind;
	v->i = id;
}

void kp_value_format(const struct kp_value *v, char *buf, size_t size)
{
	switch (v->type) {
	case KP_VAL_INT:
		snprintf(buf, size, "%" PRId64, v->i);
		break;
	case KP_VAL_STR:
		snprintf(buf, size, "%s", v->s);
		break;
	case KP_VAL_OBJ:
		snprintf(buf, size, "%s#%" PRId64,
			 kp_obj_kind_name((enum kp_obj_kind)v->kind), v->i);
		break;
	default:
		snprintf(buf, size, "(none)");
		break;
	}
}

const char *kp_value_type_name(enum kp_value_type type)
{
	switch (type) {
	case KP_VAL_INT:
		return "a number";
	case KP_VAL_STR:
		return "a name";
	case KP_VAL_OBJ:
		return "an object";
	default:
		return "nothing";
	}
}

static const char *const op_names[] = {
	[KP_OP_EQ] = "==", [KP_OP_NE] = "!=", [KP_OP_LT] = "<",
	[KP_OP_LE] = "<=", [KP_OP_GT] = ">",  [KP_OP_GE] = ">=",
};

int kp_cmp_op_parse(const char *text)
{
	for (int i = 0; i <= KP_OP_GE; i++)
		if (strcmp(text, op_names[i]) == 0)
			return i;
	return -1;
}

const char *kp_cmp_op_name(enum kp_cmp_op op)
{
	return op <= KP_OP_GE ? op_names[op] : "?";
}

bool kp_value_comparable(enum kp_value_type a, enum kp_value_type b)
{
	if (a == KP_VAL_NONE || b == KP_VAL_NONE)
		return false;
	if (a == b)
		return true;
	return (a == KP_VAL_OBJ && b == KP_VAL_INT) ||
	       (a == KP_VAL_INT && b == KP_VAL_OBJ);
}

static bool apply_op(int cmp, enum kp_cmp_op op)
{
	switch (op) {
	case KP_OP_EQ:
		return cmp == 0;
	case KP_OP_NE:
		return cmp != 0;
	case KP_OP_LT:
		return cmp < 0;
	case KP_OP_LE:
		return cmp <= 0;
	case KP_OP_GT:
		return cmp > 0;
	case KP_OP_GE:
		return cmp >= 0;
	}
	return false;
}

bool kp_value_compare(const struct kp_value *a, enum kp_cmp_op op,
		      const struct kp_value *b)
{
	int cmp;
	if (!kp_value_comparable(a->type, b->type))
		return false;
	if (a->type == KP_VAL_STR) {
		cmp = strcmp(a->s, b->s);
	} else if (a->type == KP_VAL_OBJ && b->type == KP_VAL_OBJ &&
		   a->kind != b->kind) {
		cmp = a->kind < b->kind ? -1 : 1;
	} else {
		cmp = a->i < b->i ? -1 : a->i > b->i;
	}
	return apply_op(cmp, op);
}

/* ---- path patterns ---- */

#define KP_VALUE_MAX_WORDS 8

static int split_dots(char *text, char **words)
{
	int n = 0;
	for (char *p = text;; ) {
		if (n == KP_VALUE_MAX_WORDS)
			return -1;
		words[n++] = p;
		p = strchr(p, '.');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool is_placeholder(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!isupper((unsigned char)*w) && *w != '_')
			return false;
	return true;
}

/*
 * Match the words of a path against a pattern's; on success return a
 * score (literal words count most, so "trace.seq" beats "HOST.NAME") and
 * fill the captures.  -1 when it does not match.
 */
static int match_pattern(const char *pattern, char **words, int nwords,
			 struct kp_value_query *q)
{
	char buf[128];
	char *pw[KP_VALUE_MAX_WORDS];
	int score = 0;

	snprintf(buf, sizeof(buf), "%s", pattern);
	int np = split_dots(buf, pw);
	if (np != nwords)
		return -1;
	q->ncap = 0;
	for (int i = 0; i < np; i++) {
		const char *p = pw[i], *w = words[i];
		size_t plen = strlen(p);
		if (is_placeholder(p)) {
			if (strcmp(p, "N") == 0 && !all_digits(w))
				return -1;
			if (!*w || q->ncap == KP_VALUE_MAX_CAPS)
				return -1;
			q->cap[q->ncap++] = w;
		} else if (plen > 1 && p[plen - 1] == 'N' &&
			   islower((unsigned char)p[plen - 2])) {
			/* cpuN: literal prefix, then a number */
			if (strncmp(w, p, plen - 1) != 0 ||
			    !all_digits(w + plen - 1) ||
			    q->ncap == KP_VALUE_MAX_CAPS)
				return -1;
			q->cap[q->ncap++] = w + plen - 1;
			score += 2;
		} else {
			if (strcmp(p, w) != 0)
				return -1;
			score += 3;
		}
	}
	return score;
}

int kp_value_resolve(struct kp_session *s, const char *path,
		     struct kp_value *out, char *err, size_t errlen)
{
	char buf[256];
	char *words[KP_VALUE_MAX_WORDS];
	struct kp_value_query q = {
		.s = s, .w = s->world, .path = path, .err = err,
		.errlen = errlen,
	};
	const struct kp_value_entry *best = NULL;
	int best_score = -1;

	if (strlen(path) >= sizeof(buf)) {
		snprintf(err, errlen, "value name too long: '%.40s...'", path);
		return -ENOENT;
	}
	snprintf(buf, sizeof(buf), "%s", path);
	int nwords = split_dots(buf, words);
	for (size_t i = 0; nwords > 0 && i < kp_value_count; i++) {
		struct kp_value_query tq = q;
		int score = match_pattern(kp_value_table[i].pattern, words,
					  nwords, &tq);
		if (score > best_score) {
			best_score = score;
			best = &kp_value_table[i];
		}
	}
	if (!best) {
		snprintf(err, errlen,
			 "unknown value '%s'; 'help values' lists them", path);
		return -ENOENT;
	}
	/* match again to fill the captures of the winner */
	match_pattern(best->pattern, words, nwords, &q);
	memset(out, 0, sizeof(*out));
	return best->fn(&q, out);
}

int kp_value_fail(struct kp_value_query *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->err, q->errlen, fmt, ap);
	va_end(ap);
	return -ESRCH;
}

struct kp_host *kp_value_host(struct kp_value_query *q, int i)
{
	const char *name = q->cap[i];
	struct kp_host *h = kp_host_by_name(q->w, name);
	if (h)
		return h;
	char list[128] = "";
	for (int k = 0; k < q->w->nr_hosts; k++) {
		size_t len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s", k ? ", " : "",
			 q->w->hosts[k]->name);
	}
	kp_value_fail(q, "no host '%s' (hosts: %s)", name, list);
	return NULL;
}

struct kp_cpu *kp_value_cpu(struct kp_value_query *q, struct kp_host *h,
			    int i)
{
	long n = strtol(q->cap[i], NULL, 10);
	if (n < 0 || n >= h->nr_cpus) {
		kp_value_fail(q, "%s has no cpu%ld (it has cpu0 to cpu%d)",
			      h->name, n, h->nr_cpus - 1);
		return NULL;
	}
	return h->cpus[n];
}

struct task_struct *kp_value_task(struct kp_value_query *q, struct kp_host *h,
				  int i)
{
	const char *name = q->cap[i];
	struct task_struct *t;
	if (all_digits(name)) {
		t = kp_task_find(h, (pid_t)strtol(name, NULL, 10));
		if (t)
			return t;
	} else {
		list_for_each_entry(t, &h->tasks, tasks)
			if (strcmp(t->comm, name) == 0)
				return t;
	}
	kp_value_fail(q, "no task '%s' on %s (see 'ps %s')", name, h->name,
		      h->name);
	return NULL;
}

void kp_values_help(struct kp_out *out)
{
	int width = 0;
	kp_puts(out, "Values that 'expect VALUE OP VALUE' and 'print' read.  "
		     "Upper-case words\n"
		     "are placeholders: HOST a host (client, server), COMM a "
		     "task's name\n"
		     "or pid, NAME a name, N a number; cpuN is cpu0, cpu1...\n"
		     "\n");
	for (size_t i = 0; i < kp_value_count; i++) {
		int len = (int)strlen(kp_value_table[i].pattern);
		if (len > width)
			width = len;
	}
	for (size_t i = 0; i < kp_value_count; i++)
		kp_printf(out, "  %-*s  %s\n", width,
			  kp_value_table[i].pattern, kp_value_table[i].help);
	kp_puts(out, "\nExample:\n"
		     "  print server.task.ksoftirqd/1.nvcsw\n"
		     "  expect client.cpu0.switches >= 2\n");
}
