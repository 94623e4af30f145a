/*
 * cond.h - breakpoint conditions: `break FN if COND`.
 *
 *   COND := COND || COND | COND && COND | !COND | ( COND ) | FIELD OP VALUE
 *   OP   := == != < <= > >=
 *
 * FIELD is a name from cond_fields.def, read at the probe (cpu, host,
 * pid, obj, arg, ctx, comm; the network layer adds skb.len and friends);
 * VALUE is a number, a name (bare or "quoted"), an object (skb#3) or
 * another field.  A condition is parsed and type-checked when the
 * breakpoint is set and evaluated at each hit of its probe.  A field that
 * does not apply at a probe (skb.len where there is no skb) makes its
 * comparison false.
 *
 * To add a field:
 *
 *   1. write the reader (any src/ui/cond_fields_*.c file):
 *
 *	bool cond_skb_len(const struct kp_probe_ctx *p, struct kp_value *v)
 *	{
 *		if (!p->obj || p->obj->kind != KP_OBJ_SKB)
 *			return false;             (not available here)
 *		const struct sk_buff *skb =
 *			container_of(p->obj, struct sk_buff, kp);
 *		kp_value_int(v, skb->len);
 *		return true;
 *	}
 *
 *   2. add KP_COND_FIELD("skb.len", KP_VAL_INT, cond_skb_len, "help") to
 *      cond_fields.def.
 */
#ifndef KP_UI_COND_H
#define KP_UI_COND_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/trace.h"
#include "engine/world.h"
#include "out.h"
#include "values.h"

/* What a field reader sees: the probe being hit. */
struct kp_probe_ctx {
	struct kp_world *w;
	const struct kp_vcpu *v;        /* NULL for a device event */
	const struct kp_obj *obj;       /* the probe's object, or NULL */
	const struct kp_trace_rec *rec; /* the probe's trace record */
};

/* Fill @v and return true, or false when the field does not apply. */
typedef bool kp_cond_field_fn(const struct kp_probe_ctx *p,
			      struct kp_value *v);

struct kp_cond_field {
	const char *name;
	enum kp_value_type type;
	kp_cond_field_fn *fn;
	const char *help;
};

#define KP_COND_FIELD(name, type, fn, help) kp_cond_field_fn fn;
#include "cond_fields.def"
#undef KP_COND_FIELD

extern const struct kp_cond_field kp_cond_fields[];
extern const size_t kp_cond_field_count;

const struct kp_cond_field *kp_cond_field_find(const char *name);

struct kp_cond;

/* Parse @text; NULL with a one-line reason in @err on a mistake. */
struct kp_cond *kp_cond_parse(const char *text, char *err, size_t errlen);
bool kp_cond_eval(const struct kp_cond *c, const struct kp_probe_ctx *p);
void kp_cond_free(struct kp_cond *c);

/* `help conditions`: the grammar and the fields. */
void kp_cond_help(struct kp_out *out);

#endif
