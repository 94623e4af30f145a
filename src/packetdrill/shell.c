/*
 * shell.c - what a packetdrill script asks of the shell and of python,
 * as far as kpath can do it.  Backtick commands (packetdrill runs them
 * with /bin/sh) are read, not run: "sysctl [-q] [-w] NAME=VALUE..."
 * sets kpath's sysctl of the local host (through the `sysctl` command,
 * as typed; the input log keeps the whole packetdrill run as one input),
 * with tcp_rmem/tcp_wmem triples mapped to
 * kpath's tcp_rmem_min/_default/_max and tcp_congestion_control=cubic|
 * reno to 1|0; a "FILE.sh" (packetdrill's common/defaults.sh) is read
 * line by line the same way, relative to the script's directory;
 * "set_sysctls.py /proc/sys/net/...=VALUE" too.  $((...)) arithmetic is
 * evaluated.  Anything else, and sysctls kpath does not have, are noted
 * and ignored.  %{ }% snippets: "assert tcpi_FIELD OP N" lines are
 * checked against TCP_INFO of the last socket used; other python is
 * noted and ignored.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "net/core/net_namespace.h"
#include "run.h"
#include "sched/host.h"
#include "ui/out.h"
#include "ui/session.h"

struct shell_ctx {
	struct pd_run *r;
	int line;
	char ignored[1024]; /* what was not understood, for one note */
	int failed;
};

static void ignore(struct shell_ctx *x, const char *what)
{
	size_t n = strlen(x->ignored);
	if (strstr(x->ignored, what))
		return;
	snprintf(x->ignored + n, sizeof(x->ignored) - n, "%s%s",
		 n ? ", " : "", what);
}

/* ---- integer arithmetic: $((15*1024*1024)) ---- */

static long arith_sum(const char **p);

static long arith_atom(const char **p)
{
	while (**p == ' ')
		(*p)++;
	if (**p == '(') {
		(*p)++;
		long v = arith_sum(p);
		while (**p == ' ')
			(*p)++;
		if (**p == ')')
			(*p)++;
		return v;
	}
	if (**p == '-') {
		(*p)++;
		return -arith_atom(p);
	}
	char *end;
	long v = strtol(*p, &end, 0);
	*p = end;
	return v;
}

static long arith_prod(const char **p)
{
	long v = arith_atom(p);
	for (;;) {
		while (**p == ' ')
			(*p)++;
		char op = **p;
		if (op != '*' && op != '/' && op != '%')
			return v;
		(*p)++;
		long w = arith_atom(p);
		v = op == '*' ? v * w : !w ? 0 : op == '/' ? v / w : v % w;
	}
}

static long arith_sum(const char **p)
{
	long v = arith_prod(p);
	for (;;) {
		while (**p == ' ')
			(*p)++;
		char op = **p;
		if (op != '+' && op != '-')
			return v;
		(*p)++;
		long w = arith_prod(p);
		v = op == '+' ? v + w : v - w;
	}
}

/* Shell words of @s: quotes removed, $((...)) evaluated. */
static int words(const char *s, char w[][128], int max)
{
	int n = 0;
	while (*s && n < max) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		size_t k = 0;
		char q = 0;
		while (*s && (q || !isspace((unsigned char)*s))) {
			if (!q && (*s == '"' || *s == '\'')) {
				q = *s++;
				continue;
			}
			if (q && *s == q) {
				q = 0;
				s++;
				continue;
			}
			if (!strncmp(s, "$((", 3)) {
				const char *p = s + 3;
				long v = arith_sum(&p);
				while (*p == ' ')
					p++;
				s = !strncmp(p, "))", 2) ? p + 2 : p;
				k += (size_t)snprintf(w[n] + k, k < 127 ? 128 - k
									: 1,
						      "%ld", v);
				if (k > 127)
					k = 127;
				continue;
			}
			if (k < 127)
				w[n][k++] = *s;
			s++;
		}
		w[n++][k] = '\0';
	}
	return n;
}

static void set_one(struct shell_ctx *x, const char *name, long v)
{
	struct pd_run *r = x->r;
	char line[200];
	if (!kp_sysctl_lookup(name)) {
		ignore(x, name);
		return;
	}
	snprintf(line, sizeof(line), "sysctl %s -q -w %s=%ld", r->o.host, name,
		 v);
	if (kp_session_exec(r->s, line) < 0) {
		snprintf(r->err, sizeof(r->err), "sysctl %s=%ld failed", name,
			 v);
		x->failed = 1;
	}
}

static void sysctl_set(struct shell_ctx *x, const char *name,
		       const char *value)
{
	char nm[128];
	snprintf(nm, sizeof(nm), "%s", name);
	for (char *c = nm; *c; c++)
		if (*c == '/')
			*c = '.';
	if (!strcmp(nm, "net.ipv4.tcp_rmem") ||
	    !strcmp(nm, "net.ipv4.tcp_wmem")) {
		long a, b, c;
		if (sscanf(value, "%ld %ld %ld", &a, &b, &c) != 3) {
			ignore(x, nm);
			return;
		}
		static const char *const sfx[] = { "min", "default", "max" };
		long v[3] = { a, b, c };
		for (int i = 0; i < 3; i++) {
			char full[160];
			snprintf(full, sizeof(full), "%s_%s", nm, sfx[i]);
			set_one(x, full, v[i]);
		}
		return;
	}
	if (!strcmp(nm, "net.ipv4.tcp_congestion_control")) {
		if (!strcmp(value, "cubic") || !strcmp(value, "reno"))
			set_one(x, nm, value[0] == 'c');
		else
			ignore(x, nm);
		return;
	}
	char *end;
	long v = strtol(value, &end, 0);
	if (!*value || *end || !kp_sysctl_lookup(nm)) {
		ignore(x, nm);
		return;
	}
	set_one(x, nm, v);
}

static void run_piece(struct shell_ctx *x, const char *piece);

/* A sourced shell file, relative to the script's directory. */
static void source_file(struct shell_ctx *x, const char *path)
{
	struct pd_run *r = x->r;
	char full[600];
	const char *slash = strrchr(r->sc.file, '/');
	if (path[0] == '/' || !slash)
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%.*s/%s",
			 (int)(slash - r->sc.file), r->sc.file, path);
	FILE *f = r->include_depth < 3 ? fopen(full, "r") : NULL;
	if (!f) {
		ignore(x, path);
		return;
	}
	r->include_depth++;
	char line[512];
	while (!x->failed && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "#\n")] = '\0';
		run_piece(x, line);
	}
	r->include_depth--;
	fclose(f);
}

static void run_piece(struct shell_ctx *x, const char *piece)
{
	char w[16][128];
	int n = words(piece, w, 16);
	if (!n)
		return;
	const char *cmd = strrchr(w[0], '/') ? strrchr(w[0], '/') + 1 : w[0];
	size_t cl = strlen(cmd);
	if (!strcmp(cmd, "sysctl") || !strcmp(cmd, "set_sysctls.py")) {
		for (int i = 1; i < n && !x->failed; i++) {
			char *eq = strchr(w[i], '=');
			if (w[i][0] == '-' || !eq)
				continue; /* -q, -w, -e; a read */
			*eq = '\0';
			const char *name = w[i];
			if (!strncmp(name, "/proc/sys/", 10))
				name += 10;
			sysctl_set(x, name, eq + 1);
		}
	} else if (cl > 3 && !strcmp(cmd + cl - 3, ".sh")) {
		source_file(x, w[0]);
	} else {
		char what[300];
		snprintf(what, sizeof(what), "'%s%s%.40s'", w[0],
			 n > 1 ? " " : "", n > 1 ? w[1] : "");
		ignore(x, what);
	}
}

int pd_command(struct pd_run *r, const char *text, int line)
{
	struct shell_ctx x = { .r = r, .line = line };
	char buf[PD_CMD_LEN];
	snprintf(buf, sizeof(buf), "%s", text);
	/* a backslash at the end of a line goes on on the next */
	for (char *c = buf; (c = strstr(c, "\\\n"));)
		c[0] = c[1] = ' ';
	char *save = NULL;
	for (char *p = strtok_r(buf, "\n;&", &save); p && !x.failed;
	     p = strtok_r(NULL, "\n;&", &save))
		run_piece(&x, p);
	if (x.failed)
		return -1;
	if (x.ignored[0] && r->o.verbose)
		kp_printf(r->out, "%s:%d: note: ignored (not in kpath): %s\n",
			  r->sc.file, line, x.ignored);
	return 0;
}

int pd_init_scripts(struct pd_run *r)
{
	char list[512];
	if (!r->o.init_scripts)
		return 0;
	snprintf(list, sizeof(list), "%s", r->o.init_scripts);
	char *save = NULL;
	for (char *p = strtok_r(list, ",", &save); p;
	     p = strtok_r(NULL, ",", &save)) {
		struct shell_ctx x = { .r = r };
		const char *keep = r->sc.file;
		r->sc.file = "./"; /* names as given, from the current dir */
		source_file(&x, p);
		r->sc.file = keep;
		if (x.failed)
			return -1;
		if (strstr(x.ignored, p) == x.ignored) {
			snprintf(r->err, sizeof(r->err), "cannot read init "
				 "script %s", p);
			return -1;
		}
	}
	return 0;
}

/* ---- %{ }% ---- */

static int get_info(struct pd_run *r, struct pd_tcp_info *ti)
{
	int fd = r->last_fd >= 0 && r->last_fd < PD_MAX_FDS
			 ? r->fdmap[r->last_fd] : -1;
	if (fd < 0 || r->pending >= 0) {
		snprintf(r->err, sizeof(r->err), "%s", fd < 0
			 ? "%{ }%: no socket to read tcp_info from"
			 : "%{ }%: a system call is still blocking");
		return -1;
	}
	struct pd_call c = { .op = PD_OP_TCP_INFO, .fd = fd };
	if (pd_task_post(r->pt, &c) < 0) {
		snprintf(r->err, sizeof(r->err), "%%{ }%%: cannot read "
			 "tcp_info");
		return -1;
	}
	struct kp_world *w = r->s->world;
	uint64_t limit = kp_world_time(w) + 10000000ULL;
	while (!r->pt->done && !r->halted && kp_world_time(w) < limit) {
		enum kp_stop_reason why = kp_session_run(r->s, KP_RUN_UNTIL,
							 limit);
		const char *msg = w->stop_ctl.message;
		if (why != KP_STOP_REQUEST || !msg ||
		    strncmp(msg, "packetdrill:", 12) != 0)
			break;
	}
	if (!r->pt->done || r->pt->ret < 0) {
		snprintf(r->err, sizeof(r->err), "%%{ }%%: getsockopt("
			 "TCP_INFO) failed");
		return -1;
	}
	*ti = r->pt->out.info;
	return 0;
}

static struct pd_var *var_find(struct pd_run *r, const char *name,
			       size_t len)
{
	for (int i = 0; i < r->nvars; i++)
		if (strlen(r->vars[i].name) == len &&
		    !strncmp(r->vars[i].name, name, len))
			return &r->vars[i];
	return NULL;
}

/* @in with the snippets' variables replaced by their values. */
static void var_subst(struct pd_run *r, const char *in, char *out, size_t n)
{
	size_t o = 0;
	while (*in && o + 1 < n) {
		if (isalpha((unsigned char)*in) || *in == '_') {
			size_t len = 1;
			while (isalnum((unsigned char)in[len]) || in[len] == '_')
				len++;
			struct pd_var *v = var_find(r, in, len);
			int w = v ? snprintf(out + o, n - o, "%ld", v->v)
				  : snprintf(out + o, n - o, "%.*s", (int)len,
					     in);
			o += w > 0 ? (size_t)w : 0;
			if (o >= n)
				o = n - 1;
			in += len;
			continue;
		}
		out[o++] = *in++;
	}
	out[o] = '\0';
}

/* A number, a constant (TCP_CA_Recovery) or integer arithmetic, with
 * the variables' values; a "," starts python's message. */
static long snippet_value(struct pd_run *r, const char *expr)
{
	char raw[128], rhs[256];
	long v;
	snprintf(raw, sizeof(raw), "%.*s", (int)strcspn(expr, ","), expr);
	var_subst(r, raw, rhs, sizeof(rhs));
	if (pd_expr(r, rhs, &v) < 0) {
		const char *p = rhs;
		v = arith_sum(&p);
	}
	return v;
}

/* "NAME = EXPR", "NAME += EXPR", "NAME -= EXPR": 1 if @st was one. */
static int snippet_assign(struct pd_run *r, const char *st)
{
	size_t len = 0;
	char op = '=';
	if (!isalpha((unsigned char)*st) && *st != '_')
		return 0;
	while (isalnum((unsigned char)st[len]) || st[len] == '_')
		len++;
	const char *p = st + len;
	while (*p == ' ')
		p++;
	if ((*p == '+' || *p == '-') && p[1] == '=')
		op = *p++;
	if (*p != '=' || p[1] == '=' || len >= sizeof(r->vars[0].name))
		return 0;
	long v = snippet_value(r, p + 1);
	struct pd_var *var = var_find(r, st, len);
	if (!var) {
		if (r->nvars == PD_MAX_VARS)
			return 0;
		var = &r->vars[r->nvars++];
		snprintf(var->name, sizeof(var->name), "%.*s", (int)len, st);
		var->v = 0;
	}
	var->v = op == '+' ? var->v + v : op == '-' ? var->v - v : v;
	return 1;
}

int pd_code(struct pd_run *r, const struct pd_event *ev)
{
	char buf[PD_CMD_LEN], *save = NULL;
	struct pd_tcp_info ti;
	bool have = false;
	snprintf(buf, sizeof(buf), "%s", ev->cmd);
	for (char *st = strtok_r(buf, "\n;", &save); st;
	     st = strtok_r(NULL, "\n;", &save)) {
		while (isspace((unsigned char)*st))
			st++;
		if (!*st)
			continue;
		char name[64], op[3] = "";
		int k = 0;
		if (snippet_assign(r, st))
			continue;
		if (!strncmp(st, "print(", 6))
			continue; /* python's output: nothing to check */
		if (sscanf(st, "assert %63[a-z_0-9] %2[=!<>] %n", name, op,
			   &k) != 2 || strncmp(name, "tcpi_", 5)) {
			if (r->o.verbose)
				kp_printf(r->out, "%s:%d: note: python not "
					  "run: %.60s\n", r->sc.file, ev->line,
					  st);
			continue;
		}
		long want = snippet_value(r, st + k), got;
		if (!have && get_info(r, &ti) < 0)
			return -1;
		have = true;
		if (!pd_tcp_info_field(&ti, name, &got)) {
			snprintf(r->err, sizeof(r->err), "%%{ }%%: kpath has no "
				 "%s", name);
			return -1;
		}
		bool ok = !strcmp(op, "==") ? got == want
			  : !strcmp(op, "!=") ? got != want
			  : !strcmp(op, "<=") ? got <= want
			  : !strcmp(op, ">=") ? got >= want
			  : !strcmp(op, "<")  ? got < want
			  : !strcmp(op, ">")  ? got > want : false;
		if (!ok) {
			snprintf(r->err, sizeof(r->err), "assertion failed: "
				 "%s %s %ld (%s is %ld)", name, op, want, name,
				 got);
			return -1;
		}
	}
	return 0;
}
