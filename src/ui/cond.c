/*
 * cond.c - parsing and evaluating breakpoint conditions (grammar in
 * cond.h).  A small recursive-descent parser builds a tree; evaluation
 * reads the fields at the probe.
 */
#include "cond.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ids.h"

const struct kp_cond_field kp_cond_fields[] = {
#define KP_COND_FIELD(name, type, fn, help) { name, type, fn, help },
#include "cond_fields.def"
#undef KP_COND_FIELD
};

const size_t kp_cond_field_count =
	sizeof(kp_cond_fields) / sizeof(kp_cond_fields[0]);

const struct kp_cond_field *kp_cond_field_find(const char *name)
{
	for (size_t i = 0; i < kp_cond_field_count; i++)
		if (strcmp(kp_cond_fields[i].name, name) == 0)
			return &kp_cond_fields[i];
	return NULL;
}

enum node_kind { N_OR, N_AND, N_NOT, N_CMP };

struct operand {
	const struct kp_cond_field *field; /* or NULL: the literal */
	struct kp_value lit;
};

struct kp_cond {
	enum node_kind kind;
	struct kp_cond *a, *b; /* OR, AND: both; NOT: a */
	struct operand lhs, rhs;
	enum kp_cmp_op op;
};

/* ---- lexer ---- */

enum tok_kind {
	T_END, T_LPAREN, T_RPAREN, T_NOT, T_AND, T_OR, T_OP, T_STRING, T_WORD,
	T_BAD
};

struct parser {
	const char *p;
	enum tok_kind tok;
	enum kp_cmp_op op;
	char text[KP_VALUE_STR_MAX];
	char *err;
	size_t errlen;
	bool failed;
};

static bool word_char(char c)
{
	return c && !isspace((unsigned char)c) && !strchr("()!=<>&|\"", c);
}

static void next(struct parser *ps)
{
	const char *p = ps->p;
	while (isspace((unsigned char)*p))
		p++;
	ps->text[0] = '\0';
	if (!*p) {
		ps->tok = T_END;
	} else if (*p == '(' || *p == ')') {
		ps->tok = *p == '(' ? T_LPAREN : T_RPAREN;
		snprintf(ps->text, sizeof(ps->text), "%c", *p++);
	} else if (p[0] == '&' && p[1] == '&') {
		ps->tok = T_AND;
		snprintf(ps->text, sizeof(ps->text), "&&");
		p += 2;
	} else if (p[0] == '|' && p[1] == '|') {
		ps->tok = T_OR;
		snprintf(ps->text, sizeof(ps->text), "||");
		p += 2;
	} else if (strchr("=!<>", *p)) {
		char op[3] = { p[0], p[1] == '=' ? '=' : '\0', '\0' };
		int o = kp_cmp_op_parse(op);
		snprintf(ps->text, sizeof(ps->text), "%s", op);
		p += strlen(op);
		if (o >= 0) {
			ps->tok = T_OP;
			ps->op = (enum kp_cmp_op)o;
		} else if (op[0] == '!') {
			ps->tok = T_NOT;
		} else {
			ps->tok = T_BAD; /* a single '=' */
		}
	} else if (*p == '"') {
		size_t n = 0;
		p++;
		while (*p && *p != '"') {
			if (*p == '\\' && p[1])
				p++;
			if (n + 1 < sizeof(ps->text))
				ps->text[n++] = *p;
			p++;
		}
		ps->text[n] = '\0';
		ps->tok = *p == '"' ? T_STRING : T_BAD;
		if (*p)
			p++;
	} else if (word_char(*p)) {
		size_t n = 0;
		while (word_char(*p)) {
			if (n + 1 < sizeof(ps->text))
				ps->text[n++] = *p;
			p++;
		}
		ps->text[n] = '\0';
		ps->tok = T_WORD;
	} else {
		snprintf(ps->text, sizeof(ps->text), "%c", *p++);
		ps->tok = T_BAD;
	}
	ps->p = p;
}

static void fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	if (ps->failed)
		return;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
}

/* ---- parser ---- */

static struct kp_cond *node(enum node_kind kind)
{
	struct kp_cond *c = calloc(1, sizeof(*c));
	if (c)
		c->kind = kind;
	return c;
}

static void field_list(char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < kp_cond_field_count; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
			 kp_cond_fields[i].name);
	}
}

static bool parse_number(const char *text, int64_t *out)
{
	char *end;
	if (!*text || !(isdigit((unsigned char)*text) ||
			(*text == '-' && isdigit((unsigned char)text[1]))))
		return false;
	errno = 0;
	long long v = strtoll(text, &end, 0);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

/* The value side of a comparison, checked against the field's type. */
static void parse_rhs(struct parser *ps, struct kp_cond *c)
{
	const struct kp_cond_field *lf = c->lhs.field;
	struct operand *r = &c->rhs;
	enum kp_value_type rtype;
	enum kp_obj_kind kind;
	uint32_t id;
	int64_t num;

	if (ps->tok == T_STRING) {
		kp_value_str(&r->lit, ps->text);
		rtype = KP_VAL_STR;
	} else if (ps->tok != T_WORD) {
		fail(ps, "expected a value after '%s %s'", lf->name,
		     kp_cmp_op_name(c->op));
		return;
	} else if ((r->field = kp_cond_field_find(ps->text))) {
		rtype = r->field->type;
	} else if (parse_number(ps->text, &num)) {
		kp_value_int(&r->lit, num);
		rtype = KP_VAL_INT;
	} else if (kp_obj_parse(ps->text, &kind, &id) == 0) {
		kp_value_obj(&r->lit, (uint8_t)kind, id);
		rtype = KP_VAL_OBJ;
	} else {
		kp_value_str(&r->lit, ps->text);
		rtype = KP_VAL_STR;
	}
	if (!kp_value_comparable(lf->type, rtype)) {
		if (lf->type == KP_VAL_OBJ)
			fail(ps, "'%s' is not an object: write %s == skb#3 "
				 "(an object) or %s == 3 (an id)",
			     ps->text, lf->name, lf->name);
		else
			fail(ps, "%s is %s but '%s' is %s", lf->name,
			     kp_value_type_name(lf->type), ps->text,
			     kp_value_type_name(rtype));
		return;
	}
	next(ps);
}

static struct kp_cond *parse_or(struct parser *ps);

static struct kp_cond *parse_cmp(struct parser *ps)
{
	char fields[256];

	if (ps->tok != T_WORD) {
		if (ps->tok == T_END)
			fail(ps, "the condition ends too early; e.g. "
				 "cpu == 1 && host == server");
		else
			fail(ps, "expected a field name, found '%s'",
			     ps->text);
		return NULL;
	}
	const struct kp_cond_field *f = kp_cond_field_find(ps->text);
	if (!f) {
		field_list(fields, sizeof(fields));
		fail(ps, "unknown field '%s' in the condition; fields: %s",
		     ps->text, fields);
		return NULL;
	}
	struct kp_cond *c = node(N_CMP);
	if (!c) {
		fail(ps, "out of memory");
		return NULL;
	}
	c->lhs.field = f;
	next(ps);
	if (ps->tok != T_OP) {
		fail(ps, "expected ==, !=, <, <=, > or >= after '%s'%s",
		     f->name, ps->tok == T_BAD && !strcmp(ps->text, "=")
				      ? " (compare with ==)"
				      : "");
		return c;
	}
	c->op = ps->op;
	next(ps);
	parse_rhs(ps, c);
	return c;
}

static struct kp_cond *parse_unary(struct parser *ps)
{
	if (ps->tok == T_NOT) {
		next(ps);
		struct kp_cond *c = node(N_NOT);
		if (!c) {
			fail(ps, "out of memory");
			return NULL;
		}
		c->a = parse_unary(ps);
		return c;
	}
	if (ps->tok == T_LPAREN) {
		next(ps);
		struct kp_cond *c = parse_or(ps);
		if (ps->tok != T_RPAREN)
			fail(ps, "missing ')'");
		else
			next(ps);
		return c;
	}
	return parse_cmp(ps);
}

static struct kp_cond *parse_binary(struct parser *ps, enum tok_kind tok,
				    enum node_kind kind,
				    struct kp_cond *(*sub)(struct parser *))
{
	struct kp_cond *left = sub(ps);
	while (!ps->failed && ps->tok == tok) {
		next(ps);
		struct kp_cond *c = node(kind);
		if (!c) {
			fail(ps, "out of memory");
			return left;
		}
		c->a = left;
		c->b = sub(ps);
		left = c;
	}
	return left;
}

static struct kp_cond *parse_and(struct parser *ps)
{
	return parse_binary(ps, T_AND, N_AND, parse_unary);
}

static struct kp_cond *parse_or(struct parser *ps)
{
	return parse_binary(ps, T_OR, N_OR, parse_and);
}

struct kp_cond *kp_cond_parse(const char *text, char *err, size_t errlen)
{
	struct parser ps = { .p = text, .err = err, .errlen = errlen };

	next(&ps);
	if (ps.tok == T_END) {
		snprintf(err, errlen, "the condition is empty; e.g. "
				      "break ip_rcv if cpu == 1");
		return NULL;
	}
	struct kp_cond *c = parse_or(&ps);
	if (!ps.failed && ps.tok != T_END)
		fail(&ps, "unexpected '%s' after a comparison; join "
			  "comparisons with && or ||",
		     ps.text);
	if (ps.failed) {
		kp_cond_free(c);
		return NULL;
	}
	return c;
}

/* ---- evaluation ---- */

static bool operand_value(const struct operand *o,
			  const struct kp_probe_ctx *p, struct kp_value *v)
{
	if (!o->field) {
		*v = o->lit;
		return true;
	}
	v->type = KP_VAL_NONE;
	return o->field->fn(p, v);
}

bool kp_cond_eval(const struct kp_cond *c, const struct kp_probe_ctx *p)
{
	struct kp_value a, b;

	switch (c->kind) {
	case N_OR:
		return kp_cond_eval(c->a, p) || kp_cond_eval(c->b, p);
	case N_AND:
		return kp_cond_eval(c->a, p) && kp_cond_eval(c->b, p);
	case N_NOT:
		return !kp_cond_eval(c->a, p);
	case N_CMP:
		if (!operand_value(&c->lhs, p, &a) ||
		    !operand_value(&c->rhs, p, &b))
			return false;
		return kp_value_compare(&a, c->op, &b);
	}
	return false;
}

void kp_cond_free(struct kp_cond *c)
{
	if (!c)
		return;
	kp_cond_free(c->a);
	kp_cond_free(c->b);
	free(c);
}

void kp_cond_help(struct kp_out *out)
{
	int width = 0;
	kp_puts(out,
		"A breakpoint condition (break FUNCTION if CONDITION) is\n"
		"comparisons joined by && and ||, negated with !, grouped with\n"
		"parentheses:  FIELD OP VALUE  with OP one of == != < <= > >=.\n"
		"VALUE is a number, a name (bare or \"quoted\"), an object\n"
		"(skb#3) or another field.  The condition is checked each time\n"
		"the function is entered; a field that does not apply there\n"
		"makes its comparison false.\n"
		"\n"
		"Fields:\n");
	for (size_t i = 0; i < kp_cond_field_count; i++) {
		int len = (int)strlen(kp_cond_fields[i].name);
		if (len > width)
			width = len;
	}
	for (size_t i = 0; i < kp_cond_field_count; i++)
		kp_printf(out, "  %-*s  %s\n", width, kp_cond_fields[i].name,
			  kp_cond_fields[i].help);
	kp_puts(out, "\n"
		     "Examples:\n"
		     "  break try_to_wake_up if host == server && cpu == 1\n"
		     "  break do_one_initcall if !(arg == 0)\n"
		     "  break context_switch if obj == task#3\n");
}
