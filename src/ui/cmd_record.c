/*
 * cmd_record.c - the input log at the command level, and `record save`,
 * `record load`, `record list`.
 *
 * Every command line that changes the world is logged with the position
 * of the run at which it applied (engine/record.h): those named in the
 * table below (inject, run, sysctl -w, ethtool -G...) when they succeed,
 * and any other command that ran kernel code (the trace grew) although
 * it is not a run command.  Run commands (step, continue...) are not
 * inputs: re-execution reproduces what they did.  Breakpoints, displays,
 * watches and settings are not inputs either; `set seed`, `set cpus` and
 * `set trace-size` are world configuration, saved at the top of a record.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "debugger.h"
#include "session.h"
#include "tokenize.h"

struct kp_dbg *kp_dbg_get(struct kp_session *s)
{
	if (!s->dbg) {
		s->dbg = calloc(1, sizeof(*s->dbg));
		if (!s->dbg)
			return NULL;
		kp_input_log_init(&s->dbg->log);
		s->dbg->limit_seq = UINT64_MAX;
		s->dbg->next_display = 1;
		s->dbg->filter.skb = -1;
		s->dbg->filter.host = -1;
		s->dbg->filter.cpu = -1;
		s->dbg->filter.layer = -1;
	}
	return s->dbg;
}

void kp_dbg_free(struct kp_session *s)
{
	struct kp_dbg *d = s->dbg;
	if (!d)
		return;
	kp_input_log_free(&d->log);
	for (int i = 0; i < d->nr_watches; i++) {
		free(d->watches[i].expr);
		free(d->watches[i].path);
	}
	for (int i = 0; i < d->nr_displays; i++)
		free(d->displays[i].expr);
	free(d);
	s->dbg = NULL;
}

/* ---- which commands are world inputs ---- */

static bool word_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(w, *list) == 0)
			return true;
	return false;
}

static bool prefix_of(const char *w, const char *full)
{
	return *w && strncmp(w, full, strlen(w)) == 0;
}

/* ethtool -G/-L/-C/-K/-X/-A/-N/-s change the device; lower-case options
 * other than -s only show. */
static bool ethtool_sets(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			continue;
		if (a[1] == '-')
			return strncmp(a, "--set", 5) == 0 ||
			       strncmp(a, "--change", 8) == 0 ||
			       strcmp(a, "--coalesce") == 0 ||
			       strcmp(a, "--features") == 0;
		return isupper((unsigned char)a[1]) || strcmp(a, "-s") == 0;
	}
	return false;
}

/* iptables changes the rules unless it lists them. */
static bool iptables_sets(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == '-')
			continue;
		if (strpbrk(a + 1, "LS"))
			return false;
		if (strpbrk(a + 1, "AIDRFPNXZE"))
			return true;
	}
	for (int i = 1; i < argc; i++)
		if (word_in(argv[i], (const char *const[]){
			"--append", "--insert", "--delete", "--replace",
			"--flush", "--policy", "--new-chain",
			"--delete-chain", "--zero", NULL }))
			return true;
	return false;
}

static bool ip_sets(int argc, char **argv)
{
	static const char *const objs[] = { "link", "addr", "address",
					     "route", "neigh", "neighbour",
					     NULL };
	static const char *const verbs[] = { "set", "add", "del", "delete",
					      "replace", "change", "flush",
					      "append", NULL };
	int i = 1;
	while (i < argc && argv[i][0] == '-')
		i++;
	if (i + 1 >= argc)
		return false;
	bool obj = false;
	for (const char *const *o = objs; *o; o++)
		obj |= prefix_of(argv[i], *o);
	if (!obj)
		return false;
	for (const char *const *v = verbs; *v; v++)
		if (prefix_of(argv[i + 1], *v) && strlen(argv[i + 1]) >= 2)
			return true;
	return false;
}

/* The table of world inputs: the first word, and a test of the rest. */
static bool is_world_input(int argc, char **argv)
{
	static const char *const always[] = {
		"inject", "run", "sys", "replay", "tcpdump", "packetdrill",
		NULL
	};
	const char *w = argv[0];
	if (word_in(w, always))
		return true;
	if (strcmp(w, "task") == 0)
		return argc > 1 && prefix_of(argv[1], "new");
	if (strcmp(w, "sysctl") == 0) {
		for (int i = 1; i < argc; i++)
			if (strcmp(argv[i], "-w") == 0 ||
			    (argv[i][0] != '-' && strchr(argv[i], '=')))
				return true;
		return false;
	}
	if (strcmp(w, "ethtool") == 0)
		return ethtool_sets(argc, argv);
	if (strcmp(w, "tc") == 0) {
		for (int i = 1; i < argc; i++)
			if (word_in(argv[i], (const char *const[]){
				"add", "del", "delete", "replace", "change",
				"link", NULL }))
				return true;
		return false;
	}
	if (strcmp(w, "link") == 0)
		return argc > 1 && prefix_of(argv[1], "set");
	if (strcmp(w, "iptables") == 0)
		return iptables_sets(argc, argv);
	if (strcmp(w, "ip") == 0)
		return ip_sets(argc, argv);
	return false;
}

/* Commands that are never inputs themselves: they replay, rebuild or
 * contain other commands. */
static bool never_logged(const struct kp_cmd *cmd)
{
	return cmd == &kp_cmd_record_load || cmd == &kp_cmd_record_save ||
	       cmd == &kp_cmd_goto || cmd == &kp_cmd_man_run ||
	       cmd == &kp_cmd_source || cmd == &kp_cmd_reverse_step ||
	       cmd == &kp_cmd_reverse_next ||
	       cmd == &kp_cmd_reverse_finish ||
	       cmd == &kp_cmd_reverse_continue;
}

void kp_record_before(struct kp_session *s, int argc, char **argv,
		      struct kp_record_mark *m, struct kp_out *out)
{
	memset(m, 0, sizeof(*m));
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d || d->replaying || argc == 0 || d->input_depth > 0)
		return;
	const struct kp_cmd *cmd = kp_cmd_lookup(argc, argv, NULL);
	if (!cmd || (cmd->flags & KP_CMD_RUNS))
		return;
	/* the dispatcher would boot the world first: do it now, so the
	 * position is the one the command found */
	if (!(cmd->flags & KP_CMD_SETUP) && !s->started)
		kp_session_start(s, out);
	m->candidate = true;
	m->nonruns = true;
	d->nonruns_depth++;
	m->table_input = is_world_input(argc, argv);
	if (m->table_input) {
		m->outer_input = true;
		d->input_depth++;
	}
	kp_pos_of_world(s->world, s->started, &m->pos);
	m->seq0 = s->world->trace.seq;
	m->now = s->world->now;
	m->n0 = d->log.n;
	m->line = kp_args_join(argc, argv);
}

void kp_record_after(struct kp_session *s, int argc, char **argv,
		     const struct kp_record_mark *m, int ret)
{
	struct kp_dbg *d = s->dbg;
	char *line = m->line;
	if (!m->candidate || !d) {
		free(line);
		return;
	}
	d->nonruns_depth--;
	if (m->outer_input)
		d->input_depth--;
	const struct kp_cmd *cmd = kp_cmd_lookup(argc, argv, NULL);
	if (cmd == &kp_cmd_reboot) {
		if (ret == 0)
			kp_input_log_truncate(&d->log, 0);
		free(line);
		return;
	}
	bool changed = s->world->trace.seq != m->seq0;
	if (!line || !cmd || never_logged(cmd) || d->log.n != m->n0 ||
	    (!changed && !(ret == 0 && m->table_input))) {
		free(line);
		return;
	}
	/* a new input ends the recorded future */
	kp_input_log_truncate(&d->log, d->log.applied);
	if (kp_input_log_append(&d->log, &m->pos, m->now, line) == 0)
		d->log.applied = d->log.n;
	free(line);
}

int kp_record_exec_at(struct kp_session *s, const char *line,
		      struct kp_out *out)
{
	char word[64];
	size_t len = strcspn(line, " \t");
	struct kp_pos pos;
	if (len >= sizeof(word))
		return kp_cmd_error(s, out, "'%.*s' is not a position; write "
					    "@SEQ, @N:idle, @SEQ:exit:D, "
					    "@N:until:T, @N:event or @boot",
				    (int)len, line);
	memcpy(word, line, len);
	word[len] = 0;
	uint64_t now;
	if (kp_pos_parse_now(word, &pos, &now))
		return kp_cmd_error(s, out, "'%s' is not a position; write "
					    "@SEQ, @N:idle, @SEQ:exit:D, "
					    "@N:until:T, @N:event or @boot",
				    word);
	int err = kp_replay_advance(s, &pos, out);
	if (err)
		return err;
	kp_replay_set_now(s, &pos, now);
	const char *rest = line + len;
	rest += strspn(rest, " \t");
	if (!*rest)
		return 0;
	return kp_session_exec(s, rest);
}

/* ---- record save / load / list ---- */

static void complete_record_file(struct kp_session *s, int argc,
				 char **argv, struct kp_completions *c)
{
	(void)s;
	(void)argv;
	if (argc == 0)
		c->files = true;
}

static int cmd_record_save(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out)
{
	char buf[96];
	if (argc != 1)
		return KP_CMD_USAGE;
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	FILE *f = fopen(argv[0], "w");
	if (!f)
		return kp_cmd_error(s, out, "record save: cannot write '%s': "
					    "%s",
				    argv[0], strerror(errno));
	fprintf(f, "# kpath record: the world's configuration, then each "
		   "input at the\n# point of the run where it applied.  "
		   "Replay with 'record load FILE'\n# or 'kpath --batch "
		   "FILE'.\n");
	fprintf(f, "set seed %" PRIu64 "\n", s->cfg.seed);
	fprintf(f, "set cpus %d\n", s->cfg.nr_cpus);
	fprintf(f, "set trace-size %llu\n", 1ULL << s->cfg.trace_order);
	for (size_t i = 0; i < d->log.applied; i++) {
		const struct kp_input *e = &d->log.v[i];
		kp_pos_format(&e->pos, buf, sizeof(buf));
		if (e->pos.kind == KP_POS_IDLE)
			fprintf(f, "%s,t=%" PRIu64 " %s\n", buf, e->now,
				e->line);
		else
			fprintf(f, "%s %s\n", buf, e->line);
	}
	struct kp_pos now;
	kp_pos_of_world(s->world, s->started, &now);
	kp_pos_format(&now, buf, sizeof(buf));
	if (now.kind != KP_POS_BOOT)
		fprintf(f, "%s\n", buf);
	int err = ferror(f);
	if (fclose(f) || err)
		return kp_cmd_error(s, out, "record save: error writing '%s'",
				    argv[0]);
	kp_printf(out, "Saved %zu input%s and the stop %s to %s.\n",
		  d->log.applied, d->log.applied == 1 ? "" : "s", buf,
		  argv[0]);
	return 0;
}

const struct kp_cmd kp_cmd_record_save = {
	.name = "record save",
	.aliases = NULL,
	.usage = "record save FILE",
	.summary = "save the configuration and the input log to a file",
	.help = "Writes the world's configuration (seed, CPUs, trace size)\n"
		"and every input since power-on - injected frames, started\n"
		"programs, sysctl, ethtool, ip and iptables changes, manual\n"
		"syscalls, replays - each prefixed with the point of the run\n"
		"where it applied (@SEQ at a trace record, @N:idle when\n"
		"nothing was left to do after N records), and last the point\n"
		"where the world stands now.  'record load FILE' or 'kpath\n"
		"--batch FILE' rebuilds the same run, record for record.\n"
		"\n"
		"Example:\n"
		"  record save /tmp/run.kp\n",
	.group = "reverse",
	.flags = KP_CMD_SETUP,
	.complete = complete_record_file,
	.handler = cmd_record_save,
};

/* A line of a record file: settings run as commands; "@POS CMD" lines
 * become the input log, the last bare "@POS" the point to stop at. */
static int load_line(struct kp_session *s, struct kp_dbg *d, char *line,
		     struct kp_pos *end, const char *file, int lineno,
		     struct kp_out *out)
{
	line[strcspn(line, "\r\n")] = 0;
	char *p = line + strspn(line, " \t");
	if (!*p || *p == '#')
		return 0;
	if (*p != '@') {
		if (strncmp(p, "set ", 4) != 0)
			return kp_cmd_error(s, out, "%s:%d: a record holds "
						    "'set' lines and '@POS "
						    "COMMAND' lines only",
					    file, lineno);
		return kp_session_exec(s, p);
	}
	size_t len = strcspn(p, " \t");
	char word[64];
	struct kp_pos pos;
	uint64_t now;
	if (len >= sizeof(word))
		len = sizeof(word) - 1;
	memcpy(word, p, len);
	word[len] = 0;
	if (kp_pos_parse_now(word, &pos, &now))
		return kp_cmd_error(s, out, "%s:%d: '%s' is not a position",
				    file, lineno, word);
	const char *cmd = p + len + strspn(p + len, " \t");
	if (!*cmd) {
		*end = pos;
		return 0;
	}
	if (d->log.n &&
	    kp_pos_key(&pos) < kp_pos_key(&d->log.v[d->log.n - 1].pos))
		return kp_cmd_error(s, out, "%s:%d: inputs out of order",
				    file, lineno);
	*end = pos;
	return kp_input_log_append(&d->log, &pos, now, cmd);
}

static int cmd_record_load(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out)
{
	char line[4096];
	if (argc != 1)
		return KP_CMD_USAGE;
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d)
		return kp_cmd_error(s, out, "out of memory");
	FILE *f = fopen(argv[0], "r");
	if (!f)
		return kp_cmd_error(s, out, "record load: cannot read '%s': "
					    "%s",
				    argv[0], strerror(errno));
	/* the settings first take effect on an unstarted world */
	int err = kp_session_reboot(s);
	kp_input_log_truncate(&d->log, 0);
	struct kp_pos end = { .kind = KP_POS_BOOT };
	int lineno = 0;
	while (!err && fgets(line, sizeof(line), f))
		err = load_line(s, d, line, &end, argv[0], ++lineno, out);
	fclose(f);
	if (err) {
		kp_input_log_truncate(&d->log, 0);
		return err < 0 ? err : -EINVAL;
	}
	d->log.applied = 0;
	size_t n = d->log.n;
	if (end.kind == KP_POS_BOOT) {
		kp_printf(out, "Loaded %zu inputs; the world is at "
			       "power-on.\n", n);
		return 0;
	}
	err = kp_replay_goto_pos(s, &end, out);
	if (err)
		return err;
	kp_printf(out, "Loaded %zu input%s from %s.\n", n, n == 1 ? "" : "s",
		  argv[0]);
	kp_session_report_stop(s, out);
	return 0;
}

const struct kp_cmd kp_cmd_record_load = {
	.name = "record load",
	.aliases = NULL,
	.usage = "record load FILE",
	.summary = "rebuild a saved run from its input log",
	.help = "Reads a file written by 'record save': sets the seed, CPUs\n"
		"and trace size, rebuilds the world at power-on and runs it\n"
		"forward, applying each input at its point, to the point\n"
		"where the recording stopped.  Breakpoints, watches and\n"
		"displays are kept; the loaded inputs become the input log,\n"
		"so reverse-step and goto work across them.\n"
		"\n"
		"Example:\n"
		"  record load /tmp/run.kp\n",
	.group = "reverse",
	.flags = KP_CMD_SETUP,
	.complete = complete_record_file,
	.handler = cmd_record_load,
};

static int cmd_record_list(struct kp_session *s, int argc, char **argv,
			   struct kp_out *out)
{
	char buf[96];
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	struct kp_dbg *d = kp_dbg_get(s);
	if (!d || d->log.n == 0) {
		kp_puts(out, "No inputs since power-on.\n");
		return 0;
	}
	for (size_t i = 0; i < d->log.n; i++) {
		kp_pos_format(&d->log.v[i].pos, buf, sizeof(buf));
		kp_printf(out, "%3zu %-18s %s%s\n", i + 1, buf,
			  d->log.v[i].line,
			  i >= d->log.applied ? "   (ahead)" : "");
	}
	return 0;
}

const struct kp_cmd kp_cmd_record_list = {
	.name = "record list",
	.aliases = NULL,
	.usage = "record list",
	.summary = "the input log: each input and where it applied",
	.help = "Lists the inputs logged since power-on, each with the point\n"
		"of the run where it applied.  After going back (goto,\n"
		"reverse-step), inputs further on are marked '(ahead)': the\n"
		"run commands apply them again when the run reaches their\n"
		"point, and a new input drops them.\n"
		"\n"
		"Example:\n"
		"  record list\n",
	.group = "reverse",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_record_list,
};
