/*
 * values.h - named values: a small typed value (integer, name, object id)
 * and the table of value paths that `expect` and `print` resolve, such as
 * server.cpu0.switches, client.task.ksoftirqd/0.nvcsw, trace.seq, time.
 *
 * The table is values.def.  A path pattern is words joined by dots; in a
 * pattern, an upper-case word (HOST, COMM, NAME, N) matches any word of
 * the path and a lower-case word ending in N (cpuN) matches that word
 * followed by a number; the matched texts are handed to the resolver in
 * order.  To add a value:
 *
 *   1. write the resolver (any src/ui/values_*.c file):
 *
 *	int value_nstat(struct kp_value_query *q, struct kp_value *out)
 *	{
 *		struct kp_host *h = kp_value_host(q, 0);   (cap[0] = HOST)
 *		if (!h)
 *			return -ENOENT;                  (message already set)
 *		...look up q->cap[1] (NAME)...
 *		if (!found)
 *			return kp_value_fail(q, "no counter '%s'", q->cap[1]);
 *		kp_value_int(out, count);
 *		return 0;
 *	}
 *
 *   2. add KP_VALUE("HOST.nstat.NAME", value_nstat, "help") to values.def.
 */
#ifndef KP_UI_VALUES_H
#define KP_UI_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/world.h"
#include "out.h"

struct kp_session;
struct kp_host;
struct kp_cpu;
struct task_struct;
struct net;
struct net_device;

enum kp_value_type {
	KP_VAL_NONE, /* not available here (skb.len of a probe without skb) */
	KP_VAL_INT,
	KP_VAL_STR,
	KP_VAL_OBJ, /* an object: kind and id, shown as skb#3 */
};

#define KP_VALUE_STR_MAX 64

struct kp_value {
	enum kp_value_type type;
	int64_t i;     /* INT; the id of an OBJ */
	uint8_t kind;  /* OBJ: enum kp_obj_kind */
	char s[KP_VALUE_STR_MAX]; /* STR */
};

static inline void kp_value_int(struct kp_value *v, int64_t i)
{
	v->type = KP_VAL_INT;
	v->i = i;
}

void kp_value_str(struct kp_value *v, const char *s);
void kp_value_obj(struct kp_value *v, uint8_t kind, uint32_t id);
/* "3", "server", "skb#3" */
void kp_value_format(const struct kp_value *v, char *buf, size_t size);
const char *kp_value_type_name(enum kp_value_type type);

enum kp_cmp_op { KP_OP_EQ, KP_OP_NE, KP_OP_LT, KP_OP_LE, KP_OP_GT, KP_OP_GE };

/* "==" -> KP_OP_EQ...; -1 if @text is not an operator. */
int kp_cmp_op_parse(const char *text);
const char *kp_cmp_op_name(enum kp_cmp_op op);
/* Can values of these types be compared?  (int with int, name with name,
 * object with object or with a number = its id) */
bool kp_value_comparable(enum kp_value_type a, enum kp_value_type b);
/* a OP b; false when either is KP_VAL_NONE or they are not comparable. */
bool kp_value_compare(const struct kp_value *a, enum kp_cmp_op op,
		      const struct kp_value *b);

/* ---- value paths ---- */

#define KP_VALUE_MAX_CAPS 6

struct kp_value_query {
	struct kp_session *s;
	struct kp_world *w;
	const char *path;
	int ncap;
	const char *cap[KP_VALUE_MAX_CAPS]; /* placeholder texts, in order */
	char *err;                          /* kp_value_fail writes here */
	size_t errlen;
};

/* A resolver: 0 with *out set, or a negative error after kp_value_fail. */
typedef int kp_value_fn(struct kp_value_query *q, struct kp_value *out);

struct kp_value_entry {
	const char *pattern;
	kp_value_fn *fn;
	const char *help;
};

#define KP_VALUE(pattern, fn, help) kp_value_fn fn;
#include "values.def"
#undef KP_VALUE

extern const struct kp_value_entry kp_value_table[];
extern const size_t kp_value_count;

/*
 * Resolve the value path @path.  Returns 0; -ENOENT when no pattern
 * matches (the name is wrong: a script error); or another negative error
 * when the pattern matched but the thing is not there (no such task):
 * @err says which.
 */
int kp_value_resolve(struct kp_session *s, const char *path,
		     struct kp_value *out, char *err, size_t errlen);

/* For resolvers: set the message and return -ESRCH. */
int kp_value_fail(struct kp_value_query *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The host named by cap[@i], or NULL after kp_value_fail. */
struct kp_host *kp_value_host(struct kp_value_query *q, int i);
/* The CPU numbered by cap[@i] on @h, or NULL after kp_value_fail. */
struct kp_cpu *kp_value_cpu(struct kp_value_query *q, struct kp_host *h,
			    int i);
/* The task of @h named by cap[@i]: a comm (first by pid) or a pid. */
struct task_struct *kp_value_task(struct kp_value_query *q, struct kp_host *h,
				  int i);
/* The network stack of the host named by cap[0], and the device named
 * by cap[@i] on it; NULL after kp_value_fail (values_net.c). */
struct net *kp_value_net(struct kp_value_query *q);
struct net_device *kp_value_dev(struct kp_value_query *q, int i);

/* `help values`: the table. */
void kp_values_help(struct kp_out *out);

#endif
