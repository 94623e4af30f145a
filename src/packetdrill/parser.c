/*
 * parser.c - packetdrill's script syntax, one statement a line (what
 * packetdrill's lexer.l and parser.y accept, in a hand-written cursor
 * parser): times "0.1", "+0.1", "0.1...0.2", "*"; TCP packets
 * "< S. 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 7>"; system calls
 * "accept(3, ..., ...) = 4" or "= -1 ECONNREFUSED (text)"; backtick
 * shell lines.  Comments: // to end of line, and one-line C comments.
 * Left out: multi-line statements, IPv6/UDP/ICMP packets, sack blocks
 * beyond parsing, inline python.
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
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r')
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
		if (lit(c, "+")) {
			/* "+a...+b" is not packetdrill; accept "a...b" */
		}
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
			uint32_t a, b; /* blocks are parsed, not kept */
			while (u32(c, &a) && lit(c, ":") && u32(c, &b))
				;
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
			out[k++] = ch;
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

int pd_parse_line(const char *text, int line, struct pd_event *ev,
		  char *err, int errlen)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", text);
	/* strip comments outside quotes and backticks */
	bool q = false, bt = false;
	for (char *p = buf; *p; p++) {
		if (*p == '"' && !bt)
			q = !q;
		else if (*p == '`' && !q)
			bt = !bt;
		else if (!q && !bt && p[0] == '/' && p[1] == '/') {
			*p = '\0';
			break;
		} else if (!q && !bt && p[0] == '/' && p[1] == '*') {
			char *e = strstr(p + 2, "*/");
			if (!e) {
				*p = '\0';
				break;
			}
			memmove(p, e + 2, strlen(e + 2) + 1);
			p--;
		}
	}
	struct cur c = { buf, err, errlen };
	memset(ev, 0, sizeof(*ev));
	ev->line = line;
	ws(&c);
	if (!*c.p || *c.p == '\n')
		return 0;
	if (*c.p == '`') {
		const char *e = strchr(c.p + 1, '`');
		if (!e)
			return fail(&c, "unterminated backtick command");
		ev->kind = PD_COMMAND;
		ev->time_kind = PD_TIME_REL;
		snprintf(ev->cmd, sizeof(ev->cmd), "%.*s", (int)(e - c.p - 1),
			 c.p + 1);
		return 1;
	}
	if (parse_time(&c, ev) < 0)
		return -1;
	ws(&c);
	if (*c.p == '<' || *c.p == '>') {
		ev->kind = PD_PACKET;
		ev->pkt.inbound = *c.p == '<';
		c.p++;
		return parse_packet(&c, &ev->pkt) < 0 ? -1 : 1;
	}
	if (*c.p == '`') {
		const char *e = strchr(c.p + 1, '`');
		if (!e)
			return fail(&c, "unterminated backtick command");
		ev->kind = PD_COMMAND;
		snprintf(ev->cmd, sizeof(ev->cmd), "%.*s", (int)(e - c.p - 1),
			 c.p + 1);
		return 1;
	}
	ev->kind = PD_SYSCALL;
	return parse_syscall(&c, &ev->sc) < 0 ? -1 : 1;
}

int pd_parse_file(const char *path, struct pd_script *s, char *err,
		  int errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024], e[256];
	int n = 0;
	memset(s, 0, sizeof(*s));
	s->file = path;
	if (!f) {
		snprintf(err, (size_t)errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		struct pd_event ev;
		int r = pd_parse_line(line, n, &ev, e, sizeof(e));
		if (r < 0) {
			snprintf(err, (size_t)errlen, "%s:%d: %s", path, n, e);
			fclose(f);
			pd_script_free(s);
			return -1;
		}
		if (!r)
			continue;
		if (s->nr == s->cap) {
			int cap = s->cap ? s->cap * 2 : 32;
			struct pd_event *v = realloc(s->ev, sizeof(*v) *
							    (size_t)cap);
			if (!v) {
				fclose(f);
				pd_script_free(s);
				snprintf(err, (size_t)errlen, "out of memory");
				return -1;
			}
			s->ev = v;
			s->cap = cap;
		}
		s->ev[s->nr++] = ev;
	}
	fclose(f);
	return 0;
}

void pd_script_free(struct pd_script *s)
{
	free(s->ev);
	s->ev = NULL;
	s->nr = s->cap = 0;
}
