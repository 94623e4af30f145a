/*
 * parser.c - packetdrill's script syntax (what packetdrill's lexer.l and
 * parser.y accept, in a hand-written cursor parser): times "0.1", "+0.1",
 * "0.1...0.2", "+0~+0.2", "*"; TCP packets "< S. 0:0(0) ack 1 win 5792
 * <mss 1460,nop,wscale 7,sack 1:11 21:31>"; system calls "accept(3, ...,
 * ...) = 4" or "= -1 ECONNREFUSED (text)" with struct arguments kept as
 * text (pd_field reads them); backtick shell commands and %{ }% python
 * snippets; "--name=value" option lines.  A statement goes on over the
 * next lines while a bracket, a backtick or a snippet is open.  Comments:
 * // to end of line, C comments.  Left out: IPv6/UDP/ICMP packets, IP
 * header lines, encapsulation.
 */
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cur {
	const char *p;
	char *err;
	int errlen;
};

static int fail(struct cur *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct cur *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, (size_t)c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static void ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' ||
	       *c->p == '\n')
		c->p++;
}

static bool lit(struct cur *c, const char *s)
{
	ws(c);
	size_t n = strlen(s);
	if (strncmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool word(struct cur *c, const char *s)
{
	ws(c);
	size_t n = strlen(s);
	if (strncmp(c->p, s, n) != 0 || isalnum((unsigned char)c->p[n]) ||
	    c->p[n] == '_')
		return false;
	c->p += n;
	return true;
}

static bool number(struct cur *c, double *v)
{
	ws(c);
	char *end;
	if (!isdigit((unsigned char)*c->p) && *c->p != '.')
		return false;
	*v = strtod(c->p, &end);
	if (end == c->p)
		return false;
	if (end - c->p > 1 && end[-1] == '.' && end[0] == '.')
		end--; /* "0...0.2": the range's dots are not the number's */
	c->p = end;
	return true;
}

static bool u32(struct cur *c, uint32_t *v)
{
	ws(c);
	char *end;
	if (!isdigit((unsigned char)*c->p))
		return false;
	unsigned long long l = strtoull(c->p, &end, 0);
	if (l > 0xffffffffULL)
		return false;
	*v = (uint32_t)l;
	c->p = end;
	return true;
}

static int parse_time(struct cur *c, struct pd_event *ev)
{
	ws(c);
	if (lit(c, "*")) {
		ev->time_kind = PD_TIME_ANY;
		return 0;
	}
	ev->time_kind = lit(c, "+") ? PD_TIME_REL : PD_TIME_ABS;
	if (!number(c, &ev->t))
		return fail(c, "syntax error: a time expected");
	if (lit(c, "...")) {
		if (!number(c, &ev->t_end) || ev->t_end < ev->t)
			return fail(c, "bad time range");
		ev->range = true;
	} else if (lit(c, "~")) {
		/* "+0.1~+0.2": the end relative to the previous event, as
		 * the start is */
		ev->end_rel = lit(c, "+");
		if (!number(c, &ev->t_end) || ev->t_end < ev->t)
			return fail(c, "bad time range");
		ev->range = true;
	}
	return 0;
}

static int parse_opts(struct cur *c, struct pd_packet *pk)
{
	pk->has_opts = true;
	if (lit(c, "...>")) {
		pk->opts_any = true;
		return 0;
	}
	for (;;) {
		struct pd_tcp_opt o = { 0 };
		if (pk->nr_opts == PD_MAX_OPTS)
			return fail(c, "too many TCP options");
		if (word(c, "nop")) {
			o.kind = PD_OPT_NOP;
		} else if (word(c, "eol")) {
			o.kind = PD_OPT_EOL;
		} else if (word(c, "mss")) {
			o.kind = PD_OPT_MSS;
			if (!u32(c, &o.a) || o.a > 65535)
				return fail(c, "bad mss");
		} else if (word(c, "wscale")) {
			o.kind = PD_OPT_WSCALE;
			if (!u32(c, &o.a) || o.a > 255)
				return fail(c, "bad wscale");
		} else if (word(c, "sackOK")) {
			o.kind = PD_OPT_SACKOK;
		} else if (word(c, "sack")) {
			o.kind = PD_OPT_SACK;
			uint32_t a, b;
			while (u32(c, &a)) {
				if (!lit(c, ":") || !u32(c, &b))
					return fail(c, "sack START:END expected");
				if (o.nr_blocks == PD_MAX_SACK)
					return fail(c, "more than %d sack blocks",
						    PD_MAX_SACK);
				o.blocks[o.nr_blocks][0] = a;
				o.blocks[o.nr_blocks++][1] = b;
			}
		} else if (word(c, "TS")) {
			o.kind = PD_OPT_TS;
			if (!word(c, "val") || !u32(c, &o.a) ||
			    !word(c, "ecr") || !u32(c, &o.b))
				return fail(c, "TS val N ecr N expected");
		} else {
			return fail(c, "unknown TCP option near '%.20s'", c->p);
		}
		pk->opts[pk->nr_opts++] = o;
		if (lit(c, ">"))
			return 0;
		if (!lit(c, ","))
			return fail(c, "',' or '>' expected in TCP options");
	}
}

static int parse_packet(struct cur *c, struct pd_packet *pk)
{
	ws(c);
	/* flags: S . P F R E W U, no spaces */
	while (*c->p && *c->p != ' ' && *c->p != '\t') {
		switch (*c->p) {
		case 'F': pk->flags |= 0x01; break;
		case 'S': pk->flags |= 0x02; break;
		case 'R': pk->flags |= 0x04; break;
		case 'P': pk->flags |= 0x08; break;
		case '.': pk->flags |= 0x10; break;
		case 'U': pk->flags |= 0x20; break;
		case 'E': pk->flags |= 0x40; break;
		case 'W': pk->flags |= 0x80; break;
		default:
			return fail(c, "unknown TCP flag '%c'", *c->p);
		}
		c->p++;
	}
	uint32_t len;
	if (!u32(c, &pk->seq) || !lit(c, ":") || !u32(c, &pk->end) ||
	    !lit(c, "(") || !u32(c, &len) || !lit(c, ")"))
		return fail(c, "START:END(LEN) expected");
	if (pk->end - pk->seq != len)
		return fail(c, "inconsistent TCP sequence numbers and payload "
			       "length");
	for (;;) {
		ws(c);
		if (!*c->p)
			return 0;
		if (word(c, "ack")) {
			if (!u32(c, &pk->ack))
				return fail(c, "bad ack number");
			pk->has_ack = true;
		} else if (word(c, "win")) {
			if (!u32(c, &pk->win) || pk->win > 65535)
				return fail(c, "bad window");
			pk->has_win = true;
		} else if (lit(c, "<")) {
			if (parse_opts(c, pk) < 0)
				return -1;
		} else {
			return fail(c, "syntax error near '%.20s'", c->p);
		}
	}
}

/* One argument up to a top-level ',' or ')'. */
static int parse_arg(struct cur *c, char *out, size_t n)
{
	ws(c);
	int depth = 0;
	size_t k = 0;
	bool quote = false;
	for (;; c->p++) {
		char ch = *c->p;
		if (!ch)
			return fail(c, "unterminated system call");
		if (quote) {
			if (ch == '\\' && c->p[1])
				c->p++;
			else if (ch == '"')
				quote = false;
		} else if (ch == '"') {
			quote = true;
		} else if (ch == '[' || ch == '{' || ch == '(') {
			depth++;
		} else if (ch == ']' || ch == '}' || (ch == ')' && depth)) {
			depth--;
		} else if (!depth && (ch == ',' || ch == ')')) {
			break;
		}
		if (k + 1 < n)
			out[k++] = ch == '\n' || ch == '\t' ? ' ' : ch;
	}
	while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
		k--;
	out[k] = '\0';
	return 0;
}

static int parse_syscall(struct cur *c, struct pd_syscall *sc)
{
	ws(c);
	size_t k = 0;
	while (isalnum((unsigned char)*c->p) || *c->p == '_') {
		if (k + 1 < sizeof(sc->name))
			sc->name[k++] = *c->p;
		c->p++;
	}
	sc->name[k] = '\0';
	if (!k || !lit(c, "("))
		return fail(c, "syntax error: a system call expected");
	ws(c);
	if (!lit(c, ")")) {
		for (;;) {
			if (sc->argc == PD_MAX_ARGS)
				return fail(c, "too many arguments");
			if (parse_arg(c, sc->args[sc->argc++],
				      sizeof(sc->args[0])) < 0)
				return -1;
			if (lit(c, ")"))
				break;
			if (!lit(c, ","))
				return fail(c, "',' expected");
		}
	}
	if (!lit(c, "="))
		return fail(c, "'= RESULT' expected after %s(...)", sc->name);
	ws(c);
	char *end;
	if (lit(c, "...")) {
		sc->ret_any = true;
		return 0;
	}
	sc->ret = strtol(c->p, &end, 0);
	if (end == c->p)
		return fail(c, "bad return value");
	c->p = end;
	ws(c);
	k = 0;
	while (isalnum((unsigned char)*c->p) || *c->p == '_') {
		if (k + 1 < sizeof(sc->err_name))
			sc->err_name[k++] = *c->p;
		c->p++;
	}
	sc->err_name[k] = '\0';
	/* "(Connection refused)" is a comment */
	return 0;
}

/* Where the text stands: inside a "string", a `backtick command` or a
 * %{ snippet }%, or in plain script text. */
struct pd_lex {
	bool q, bt, code;
};

/* Step @l over the character at @p (and the second one of a two-character
 * delimiter, counted in *skip): true if @p is plain script text. */
static bool pd_lex_plain(struct pd_lex *l, const char *p, int *skip)
{
	*skip = 0;
	if (l->code) {
		if (p[0] == '}' && p[1] == '%')
			l->code = false, *skip = 1;
		return false;
	}
	if (*p == '"' && !l->bt) {
		l->q = !l->q;
		return false;
	}
	if (*p == '`' && !l->q) {
		l->bt = !l->bt;
		return false;
	}
	if (l->q || l->bt)
		return false;
	if (p[0] == '%' && p[1] == '{') {
		l->code = true, *skip = 1;
		return false;
	}
	return true;
}

/* Blank out comments outside quotes, backticks and snippets. */
static void strip_comments(char *buf)
{
	struct pd_lex l = { false, false, false };
	int skip;
	for (char *p = buf; *p; p++) {
		bool plain = pd_lex_plain(&l, p, &skip);
		p += skip;
		if (!plain)
			continue;
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				*p++ = ' ';
			if (!*p)
				break;
		} else if (p[0] == '/' && p[1] == '*') {
			char *e = strstr(p + 2, "*/");
			char *stop = e ? e + 2 : p + strlen(p);
			for (; p < stop; p++)
				if (*p != '\n')
					*p = ' ';
			p--;
		}
	}
}


/* Text between @open and @close (both skipped) into @out. */
static int quoted(struct cur *c, const char *close, char *out, size_t n)
{
	const char *e = strstr(c->p, close);
	if (!e)
		return fail(c, "unterminated %s", *close == '`'
			    ? "backtick command" : "%{ }% snippet");
	snprintf(out, n, "%.*s", (int)(e - c->p), c->p);
	c->p = e + strlen(close);
	return 0;
}

int pd_parse_line(const char *text, int line, struct pd_event *ev,
		  char *err, int errlen)
{
	char buf[PD_CMD_LEN * 2];
	snprintf(buf, sizeof(buf), "%s", text);
	strip_comments(buf);
	struct cur c = { buf, err, errlen };
	memset(ev, 0, sizeof(*ev));
	ev->line = line;
	ws(&c);
	if (!*c.p)
		return 0;
	if (*c.p == '`' || (c.p[0] == '%' && c.p[1] == '{')) {
		/* no time: right after the previous event */
		ev->time_kind = PD_TIME_REL;
	} else if (parse_time(&c, ev) < 0) {
		return -1;
	}
	ws(&c);
	if (*c.p == '<' || *c.p == '>') {
		ev->kind = PD_PACKET;
		ev->pkt.inbound = *c.p == '<';
		c.p++;
		return parse_packet(&c, &ev->pkt) < 0 ? -1 : 1;
	}
	if (*c.p == '`') {
		c.p++;
		ev->kind = PD_COMMAND;
		return quoted(&c, "`", ev->cmd, sizeof(ev->cmd)) < 0 ? -1 : 1;
	}
	if (c.p[0] == '%' && c.p[1] == '{') {
		c.p += 2;
		ev->kind = PD_CODE;
		return quoted(&c, "}%", ev->cmd, sizeof(ev->cmd)) < 0 ? -1 : 1;
	}
	ev->kind = PD_SYSCALL;
	return parse_syscall(&c, &ev->sc) < 0 ? -1 : 1;
}

/* Is @buf a whole statement: no bracket, backtick or snippet open? */
static bool complete(const char *text)
{
	char buf[PD_CMD_LEN * 2];
	snprintf(buf, sizeof(buf), "%s", text);
	strip_comments(buf);
	struct pd_lex l = { false, false, false };
	int depth = 0, skip;
	for (const char *p = buf; *p; p++) {
		bool plain = pd_lex_plain(&l, p, &skip);
		p += skip;
		if (!plain)
			continue;
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if (*p == ')' || *p == ']' || *p == '}')
			depth--;
	}
	return !l.q && !l.bt && !l.code && depth <= 0;
}

/* "--name=value" (or "--name") at the top of a script. */
static int script_option(struct pd_script *s, const char *text, int line,
			 char *err, int errlen)
{
	while (*text == ' ' || *text == '\t')
		text++;
	if (s->nr_opts == PD_MAX_SCRIPT_OPTS) {
		snprintf(err, (size_t)errlen, "too many option lines");
		return -1;
	}
	struct pd_script_opt *o = &s->opts[s->nr_opts++];
	size_t n = strcspn(text + 2, "= \t\r");
	snprintf(o->name, sizeof(o->name), "%.*s", (int)n, text + 2);
	const char *v = text + 2 + n;
	if (*v == '=')
		v++;
	snprintf(o->value, sizeof(o->value), "%.*s", (int)strcspn(v, " \t\r"),
		 v);
	o->line = line;
	return 0;
}

int pd_parse_file(const char *path, struct pd_script *s, char *err,
		  int errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024], e[256], stmt[PD_CMD_LEN * 2];
	int n = 0, first = 0;
	size_t len = 0;
	memset(s, 0, sizeof(*s));
	s->file = path;
	if (!f) {
		snprintf(err, (size_t)errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	stmt[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		if (!len && !s->nr && !strncmp(line + strspn(line, " \t"), "--",
					       2)) {
			if (script_option(s, line, n, e, sizeof(e)) < 0)
				goto bad;
			continue;
		}
		if (!len)
			first = n;
		size_t l = strlen(line);
		if (len + l + 2 > sizeof(stmt)) {
			snprintf(e, sizeof(e), "statement too long");
			n = first;
			goto bad;
		}
		memcpy(stmt + len, line, l);
		len += l;
		stmt[len++] = '\n';
		stmt[len] = '\0';
		if (!complete(stmt))
			continue;
		struct pd_event ev;
		int r = pd_parse_line(stmt, first, &ev, e, sizeof(e));
		len = 0;
		stmt[0] = '\0';
		if (r < 0) {
			n = first;
			goto bad;
		}
		if (!r)
			continue;
		if (s->nr == s->cap) {
			int cap = s->cap ? s->cap * 2 : 32;
			struct pd_event *v = realloc(s->ev, sizeof(*v) *
							    (size_t)cap);
			if (!v) {
				snprintf(e, sizeof(e), "out of memory");
				goto bad;
			}
			s->ev = v;
			s->cap = cap;
		}
		s->ev[s->nr++] = ev;
	}
	fclose(f);
	if (len) {
		snprintf(err, (size_t)errlen, "%s:%d: unterminated statement "
			 "(an open bracket, backtick or %%{)", path, first);
		pd_script_free(s);
		return -1;
	}
	return 0;
bad:
	snprintf(err, (size_t)errlen, "%s:%d: %s", path, n, e);
	fclose(f);
	pd_script_free(s);
	return -1;
}

void pd_script_free(struct pd_script *s)
{
	free(s->ev);
	s->ev = NULL;
	s->nr = s->cap = 0;
}

bool pd_field(const char *text, const char *name, char *out, int outlen)
{
	size_t n = strlen(name);
	for (const char *p = text; (p = strstr(p, name)); p++) {
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		const char *q = p + n;
		if (*q == '(') /* msg_iov(1)=... */
			q = strchr(q, ')') ? strchr(q, ')') + 1 : q;
		while (*q == ' ')
			q++;
		if (*q != '=')
			continue;
		q++;
		while (*q == ' ')
			q++;
		/* the value: up to a ',' or a closing bracket at its level */
		int depth = 0, k = 0;
		for (; *q; q++) {
			if (*q == '[' || *q == '{' || *q == '(')
				depth++;
			else if (*q == ']' || *q == '}' || *q == ')') {
				if (!depth)
					break;
				depth--;
			} else if (*q == ',' && !depth)
				break;
			if (k + 1 < outlen)
				out[k++] = *q;
		}
		while (k && out[k - 1] == ' ')
			k--;
		out[k] = '\0';
		return true;
	}
	return false;
}
