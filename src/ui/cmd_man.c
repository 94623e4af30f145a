/*
 * cmd_man.c - `man TOPIC` shows a kpath manual page as plain text, and
 * `man run TOPIC` runs the commands of its EXAMPLES, one at a time with
 * their output.
 *
 * The pages are roff (man/kpath.1, kpath-script.5, kpath-*.7).  man(1)
 * may not be installed, so a minimal renderer of the man macros the
 * pages use lives here: .TH .SH .SS .PP/.P/.LP .TP .IP .RS/.RE .nf/.fi
 * .EX/.EE .B/.I/.BR/.IR/.RB/.BI, font escapes and \- \e \& \(em.
 * Example commands sit between the comment lines `.\" EXAMPLES-BEGIN`
 * and `.\" EXAMPLES-END` (tests/man/run-man-examples.sh reads the same
 * markers).
 *
 * Pages are looked up in $KPATH_MANDIR, ./man, the directory beside the
 * kpath binary (../man, ../share/man/manN) and /usr/local/share/man.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"
#include "complete.h"
#include "debugger.h"
#include "session.h"

#define MAN_WIDTH 78

/* ---- finding a page ---- */

static bool try_open(char *path, size_t size, const char *dir,
		     const char *sub, const char *name, FILE **f)
{
	static const char sect[] = "157";
	for (int i = 0; sect[i]; i++) {
		int n;
		if (sub)
			n = snprintf(path, size, "%s/%s%c/%s.%c", dir, sub,
				     sect[i], name, sect[i]);
		else
			n = snprintf(path, size, "%s/%s.%c", dir, name,
				     sect[i]);
		if (n < 0 || (size_t)n >= size)
			continue;
		*f = fopen(path, "r");
		if (*f)
			return true;
	}
	return false;
}

static FILE *open_page(const char *topic, char *path, size_t size)
{
	char name[128], exe[PATH_MAX], dir[PATH_MAX + 32];
	const char *dirs[4];
	int nd = 0;
	FILE *f = NULL;

	if (strchr(topic, '/') || strlen(topic) > 64)
		return NULL;
	const char *env = getenv("KPATH_MANDIR");
	if (env && *env)
		dirs[nd++] = env;
	dirs[nd++] = "man";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		snprintf(dir, sizeof(dir), "%s/../man", exe);
		dirs[nd++] = dir;
	}
	for (int pass = 0; pass < 2; pass++) {
		/* "rx" is kpath-rx; "kpath-rx" and "kpath" are themselves */
		if (pass == 0)
			snprintf(name, sizeof(name), "%s", topic);
		else
			snprintf(name, sizeof(name), "kpath-%s", topic);
		for (int i = 0; i < nd; i++)
			if (try_open(path, size, dirs[i], NULL, name, &f))
				return f;
		if (n > 0) {
			char share[PATH_MAX + 64];
			snprintf(share, sizeof(share), "%s/../share/man", exe);
			if (try_open(path, size, share, "man", name, &f))
				return f;
		}
		if (try_open(path, size, "/usr/local/share/man", "man", name,
			     &f))
			return f;
	}
	return NULL;
}

/* ---- roff to text ---- */

/* Strip escapes: fonts, \- \e \& \(em \(bu "\ ". */
static void unescape(const char *in, char *out, size_t size)
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
	unescape(raw, text, sizeof(text));
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
		unescape(buf, text, sizeof(text));
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
			unescape(buf, text, sizeof(text));
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

static void render_page(FILE *f, struct kp_out *out)
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

/* ---- the pages there are (completion, apropos) ---- */

struct page_list {
	char names[32][48]; /* "kpath-rx", sorted, unique */
	int n;
};

static void page_add(struct page_list *l, const char *file)
{
	char name[48];
	size_t len = strlen(file);
	/* kpath*.1, kpath*.5, kpath*.7 */
	if (strncmp(file, "kpath", 5) || len < 3 || len >= sizeof(name) ||
	    file[len - 2] != '.' || !strchr("157", file[len - 1]))
		return;
	memcpy(name, file, len - 2);
	name[len - 2] = 0;
	int i = 0;
	while (i < l->n && strcmp(l->names[i], name) < 0)
		i++;
	if ((i < l->n && strcmp(l->names[i], name) == 0) || l->n == 32)
		return;
	memmove(l->names[i + 1], l->names[i],
		(size_t)(l->n - i) * sizeof(l->names[0]));
	memcpy(l->names[i], name, len - 1);
	l->n++;
}

static void page_scan(struct page_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)))
		page_add(l, e->d_name);
	closedir(d);
}

/* Every page in the places open_page looks, by name. */
static void page_list(struct page_list *l)
{
	char exe[PATH_MAX], dir[PATH_MAX + 64];
	l->n = 0;
	const char *env = getenv("KPATH_MANDIR");
	if (env && *env)
		page_scan(l, env);
	page_scan(l, "man");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		snprintf(dir, sizeof(dir), "%s/../man", exe);
		page_scan(l, dir);
		for (const char *sec = "157"; *sec; sec++) {
			snprintf(dir, sizeof(dir), "%s/../share/man/man%c",
				 exe, *sec);
			page_scan(l, dir);
		}
	}
	for (const char *sec = "157"; *sec; sec++) {
		snprintf(dir, sizeof(dir), "/usr/local/share/man/man%c", *sec);
		page_scan(l, dir);
	}
}

/* Topics as 'man' takes them: "kpath-rx" and its short "rx". */
static void complete_topics(struct kp_completions *c)
{
	struct page_list l;
	page_list(&l);
	for (int i = 0; i < l.n; i++) {
		kp_complete_add(c, l.names[i]);
		if (strncmp(l.names[i], "kpath-", 6) == 0)
			kp_complete_add(c, l.names[i] + 6);
	}
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

int kp_man_apropos(const char *word, struct kp_out *out)
{
	struct page_list l;
	char path[PATH_MAX + 64], line[1024], text[1024];
	int found = 0;
	page_list(&l);
	for (int i = 0; i < l.n; i++) {
		FILE *f = open_page(l.names[i], path, sizeof(path));
		if (!f)
			continue;
		/* the line after .SH NAME: "kpath-rx \- how a ..." */
		bool name = false;
		text[0] = 0;
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			if (name && line[0] != '.') {
				unescape(line, text, sizeof(text));
				break;
			}
			name = strncmp(line, ".SH NAME", 8) == 0;
		}
		fclose(f);
		const char *dash = strstr(text, " - ");
		const char *what = dash ? dash + 3 : text;
		if (!contains_nocase(l.names[i], word) &&
		    !contains_nocase(what, word))
			continue;
		char sec = path[strlen(path) - 1];
		kp_printf(out, "man %s -- %s(%c): %s\n", l.names[i], l.names[i],
			  sec, what);
		found++;
	}
	return found;
}

static void complete_man(struct kp_session *s, int argc, char **argv,
			 struct kp_completions *c)
{
	(void)s;
	(void)argv;
	/* "man run" itself comes from the command names */
	if (argc == 0)
		complete_topics(c);
}

static void complete_man_run(struct kp_session *s, int argc, char **argv,
			     struct kp_completions *c)
{
	(void)s;
	(void)argv;
	if (argc == 0)
		complete_topics(c);
}

static int cmd_man(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	char path[PATH_MAX + 64];
	const char *topic = argc ? argv[0] : "kpath";
	if (argc > 1)
		return KP_CMD_USAGE;
	FILE *f = open_page(topic, path, sizeof(path));
	if (!f)
		return kp_cmd_error(s, out, "no manual page for '%s'; the "
					    "pages are kpath, kpath-script, "
					    "kpath-boot, kpath-rx, kpath-tx, "
					    "kpath-socket, kpath-epoll, "
					    "kpath-tcp, kpath-replay",
				    topic);
	render_page(f, out);
	fclose(f);
	return 0;
}

const struct kp_cmd kp_cmd_man = {
	.name = "man",
	.aliases = NULL,
	.usage = "man [TOPIC]",
	.summary = "show a manual page (kpath, kpath-rx, rx, epoll, ...)",
	.help = "Shows a kpath manual page as plain text: kpath (the\n"
		"program and its commands), kpath-script (scripts), and the\n"
		"concept pages kpath-boot, kpath-rx, kpath-tx, kpath-socket,\n"
		"kpath-epoll, kpath-tcp, kpath-replay - 'man rx' is short for\n"
		"'man kpath-rx'.  Each concept page explains the mechanism\n"
		"with the kernel's names, what to type and what to watch, and\n"
		"ends with EXAMPLES that 'man run TOPIC' runs.\n"
		"\n"
		"Example:\n"
		"  man kpath-rx\n",
	.group = "support",
	.flags = KP_CMD_SETUP,
	.complete = complete_man,
	.handler = cmd_man,
};

/* ---- man run ---- */

static int cmd_man_run(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	char path[PATH_MAX + 64], line[1024], text[1024];
	if (argc != 1)
		return KP_CMD_USAGE;
	FILE *f = open_page(argv[0], path, sizeof(path));
	if (!f)
		return kp_cmd_error(s, out, "no manual page for '%s'; 'man' "
					    "lists the pages",
				    argv[0]);
	bool in = false;
	int n = 0, failed = 0;
	const char *file = s->file;
	int lineno = 0, saved_line = s->line;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, ".\\\" EXAMPLES-BEGIN", 18) == 0) {
			in = true;
			continue;
		}
		if (strncmp(line, ".\\\" EXAMPLES-END", 16) == 0) {
			in = false;
			continue;
		}
		if (!in || line[0] == '.' || line[0] == '\'' || !line[0])
			continue;
		unescape(line, text, sizeof(text));
		if (text[0] == '#') {
			kp_printf(out, "%s\n", text);
			continue;
		}
		if (n++ && !s->batch)
			kp_session_exec(s, "pause");
		kp_printf(out, "kpath> %s\n", text);
		s->file = path;
		s->line = lineno;
		if (kp_session_exec(s, text) < 0) {
			failed++;
			s->errors++;
		}
		s->file = file;
		s->line = saved_line;
		if (s->quit)
			break;
	}
	fclose(f);
	if (!n)
		return kp_cmd_error(s, out, "%s has no EXAMPLES to run", path);
	kp_printf(out, "(%d example command%s of %s, %d failed)\n", n,
		  n == 1 ? "" : "s", argv[0], failed);
	return 0;
}

const struct kp_cmd kp_cmd_man_run = {
	.name = "man run",
	.aliases = NULL,
	.usage = "man run TOPIC",
	.summary = "run the EXAMPLES of a manual page, one at a time",
	.help = "Runs the example commands of the page's EXAMPLES section in\n"
		"this session, printing each ('kpath> CMD') before its output;\n"
		"in the REPL it pauses between them.  The examples' expect\n"
		"lines check what the page says you will see.\n"
		"\n"
		"Example:\n"
		"  man run kpath-rx\n",
	.group = "support",
	.flags = KP_CMD_SETUP,
	.complete = complete_man_run,
	.handler = cmd_man_run,
};
