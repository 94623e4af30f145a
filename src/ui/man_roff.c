/*
 * man_roff.c - a minimal renderer of the man(7) macros kpath's pages
 * use, so that `man` works where man(1) is not installed: .TH .SH .SS
 * .PP/.P/.LP .TP .IP .RS/.RE .nf/.fi .EX/.EE .br .sp .B/.I/.SM and the
 * alternating .BR/.IR/.RB/.BI/.RI/.IB, font escapes and \- \e \& \(em.
 *
 * Plain text only: fonts are dropped, words are filled to 78 columns,
 * no hyphenation or adjustment; other requests (.ad, .hy, .ne...) are
 * ignored.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "man_page.h"

#define MAN_WIDTH 78

/* Strip escapes: fonts, \- \e \& \(em \(bu "\ ". */
void kp_man_unescape(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 4 < size; p++) {
		if (*p != '\\') {
			out[o++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'f':
			if (p[1] == '(' && p[2] && p[3])
				p += 3;
			else if (p[1])
				p++;
			break;
		case '-':
			out[o++] = '-';
			break;
		case 'e':
		case '\\':
			out[o++] = '\\';
			break;
		case '&':
		case '/':
		case ',':
			break;
		case ' ':
			out[o++] = ' ';
			break;
		case '(':
			if (p[1] && p[2]) {
				if (strncmp(p + 1, "em", 2) == 0) {
					out[o++] = '-';
					out[o++] = '-';
				} else if (strncmp(p + 1, "dq", 2) == 0) {
					out[o++] = '"';
				} else if (strncmp(p + 1, "bu", 2) == 0) {
					out[o++] = '*';
				} else {
					out[o++] = '?';
				}
				p += 2;
			}
			break;
		case 0:
			p--;
			break;
		default:
			out[o++] = *p;
			break;
		}
	}
	out[o] = 0;
}

struct render {
	struct kp_out *out;
	char line[1024]; /* the filled line being built */
	size_t len;
	int indent;      /* of the current paragraph */
	int base;        /* .RS level */
	int tp_indent;   /* .TP: the body indent after the tag */
	int tp_state;    /* 1: the next text line is a .TP tag */
	bool nofill;
};

static void flush(struct render *r)
{
	if (r->len) {
		kp_printf(r->out, "%s\n", r->line);
		r->len = 0;
	}
}

static void start_line(struct render *r)
{
	int n = r->base + r->indent;
	memset(r->line, ' ', (size_t)n);
	r->len = (size_t)n;
	r->line[r->len] = 0;
}

static void add_words(struct render *r, const char *text)
{
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		size_t wl = strcspn(p, " \t");
		int cur_indent = r->base + r->indent;
		if (r->len && r->len + 1 + wl > MAN_WIDTH &&
		    (int)r->len > cur_indent)
			flush(r);
		if (!r->len)
			start_line(r);
		if ((int)r->len > cur_indent && r->len + 1 < sizeof(r->line))
			r->line[r->len++] = ' ';
		if (r->len + wl < sizeof(r->line)) {
			memcpy(r->line + r->len, p, wl);
			r->len += wl;
		}
		r->line[r->len] = 0;
		p += wl;
	}
}

static void paragraph(struct render *r)
{
	flush(r);
	kp_puts(r->out, "\n");
}

/* The arguments of a font macro (.B word "two words"), joined. */
static void macro_args(const char *args, bool alternate, char *buf,
		       size_t size)
{
	size_t o = 0;
	const char *p = args;
	while (*p && o + 1 < size) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (o && !alternate)
			buf[o++] = ' ';
		if (*p == '"') {
			p++;
			while (*p && *p != '"' && o + 1 < size)
				buf[o++] = *p++;
			if (*p)
				p++;
		} else {
			while (*p && *p != ' ' && o + 1 < size)
				buf[o++] = *p++;
		}
	}
	buf[o] = 0;
}

static void text_line(struct render *r, const char *raw)
{
	char text[1024];
	kp_man_unescape(raw, text, sizeof(text));
	if (r->tp_state == 1) {
		/* the tag of a .TP: on its own line, or before the body */
		flush(r);
		r->indent = 7;
		start_line(r);
		add_words(r, text);
		r->indent = r->tp_indent;
		r->tp_state = 0;
		if ((int)r->len < r->base + r->indent - 1) {
			while ((int)r->len < r->base + r->indent)
				r->line[r->len++] = ' ';
			r->line[r->len] = 0;
		} else {
			flush(r);
		}
		return;
	}
	if (r->nofill) {
		flush(r);
		kp_printf(r->out, "%*s%s\n", r->base + r->indent, "", text);
		return;
	}
	add_words(r, text);
}

static void request(struct render *r, const char *line)
{
	char name[8], buf[1024];
	const char *p = line + 1;
	size_t n = strcspn(p, " \t");
	if (n >= sizeof(name))
		return;
	memcpy(name, p, n);
	name[n] = 0;
	const char *args = p + n + strspn(p + n, " \t");

	if (!strcmp(name, "\\\"") || !n)
		return;
	if (!strcmp(name, "TH")) {
		macro_args(args, false, buf, sizeof(buf));
		char title[64] = "", sect[8] = "";
		sscanf(buf, "%63s %7s", title, sect);
		kp_printf(r->out, "%s(%s)%*s%s(%s)\n", title, sect,
			  (int)(MAN_WIDTH - 2 * (strlen(title) + strlen(sect) +
						 2)),
			  "", title, sect);
		return;
	}
	if (!strcmp(name, "SH") || !strcmp(name, "SS")) {
		flush(r);
		kp_puts(r->out, "\n");
		macro_args(args, false, buf, sizeof(buf));
		char text[1024];
		kp_man_unescape(buf, text, sizeof(text));
		r->base = 0;
		kp_printf(r->out, "%s%s\n", name[1] == 'S' ? "   " : "", text);
		r->indent = 7;
		r->tp_state = 0;
		return;
	}
	if (!strcmp(name, "PP") || !strcmp(name, "P") || !strcmp(name, "LP")) {
		paragraph(r);
		r->indent = 7;
		return;
	}
	if (!strcmp(name, "TP")) {
		paragraph(r);
		r->tp_indent = 15;
		r->tp_state = 1;
		return;
	}
	if (!strcmp(name, "IP")) {
		paragraph(r);
		macro_args(args, false, buf, sizeof(buf));
		r->indent = 11;
		if (*buf) {
			char text[256];
			kp_man_unescape(buf, text, sizeof(text));
			start_line(r);
			r->len -= 4;
			r->line[r->len] = 0;
			add_words(r, text);
			while ((int)r->len < r->base + r->indent)
				r->line[r->len++] = ' ';
			r->line[r->len] = 0;
		}
		return;
	}
	if (!strcmp(name, "RS")) {
		flush(r);
		r->base += 4;
		return;
	}
	if (!strcmp(name, "RE")) {
		flush(r);
		r->base = r->base >= 4 ? r->base - 4 : 0;
		return;
	}
	if (!strcmp(name, "nf") || !strcmp(name, "EX")) {
		flush(r);
		r->nofill = true;
		return;
	}
	if (!strcmp(name, "fi") || !strcmp(name, "EE")) {
		flush(r);
		r->nofill = false;
		return;
	}
	if (!strcmp(name, "br")) {
		flush(r);
		return;
	}
	if (!strcmp(name, "sp")) {
		paragraph(r);
		return;
	}
	if (!strcmp(name, "B") || !strcmp(name, "I") || !strcmp(name, "SM")) {
		macro_args(args, false, buf, sizeof(buf));
		text_line(r, buf);
		return;
	}
	if (!strcmp(name, "BR") || !strcmp(name, "IR") || !strcmp(name, "RB") ||
	    !strcmp(name, "BI") || !strcmp(name, "RI") || !strcmp(name, "IB")) {
		macro_args(args, true, buf, sizeof(buf));
		text_line(r, buf);
		return;
	}
	/* other requests (.ad, .hy, .ne...) do not change plain text */
}

void kp_man_render(FILE *f, struct kp_out *out)
{
	struct render r = { .out = out, .indent = 7 };
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '.' || line[0] == '\'')
			request(&r, line);
		else if (!line[0] && !r.nofill)
			paragraph(&r);
		else
			text_line(&r, line);
	}
	flush(&r);
}
