/*
 * main.c - kpath's options and the choice of front end:
 *
 *   kpath [--batch|--repl|--tui] [--seed N] [-c CMD]... [FILE.kp]...
 *
 * On a terminal (stdin and stdout), or with --tui, the curses TUI opens
 * and runs the -c commands and files with their output in its output
 * pane.  With --repl the -c commands and files run first, then the
 * readline REPL takes over (also the fallback when the terminal cannot
 * run curses).  With --batch, or when stdin is not
 * a terminal, they run as a script - or, when there are none, the
 * commands on stdin do - and the exit status says how it went: 0, 1
 * after a failed expect, 2 after an error.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "ui/out.h"
#include "ui/repl.h"
#include "ui/session.h"
#include "ui/tui/tui.h"

#define KPATH_VERSION "0.1"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kpath [--batch|--repl|--tui] [--seed N] [-c CMD]... "
		"[FILE.kp]...\n"
		"\n"
		"  -c CMD       run the kpath command CMD (repeatable, in order)\n"
		"  FILE.kp      run a script, after the -c commands\n"
		"  --batch      no prompt: run the commands (or stdin) and exit\n"
		"               0 if all went well, 1 if an expect failed, 2\n"
		"               on an error\n"
		"  --repl       the plain readline prompt, even on a terminal\n"
		"  --tui        the curses screen (the default on a terminal)\n"
		"  --seed N     seed of the world's random numbers (default 1)\n"
		"  --packetdrill FILE  run a packetdrill script; exit 0 if it "
		"passed, 1 if not\n"
		"    --on-fail stop    ... and if not, stay where it failed: the\n"
		"                      REPL (or the commands on stdin) follows\n"
		"    --tolerance_usecs=N, --init_scripts=F  as packetdrill's\n"
		"  --help       this text\n"
		"  --version    print the version\n"
		"\n"
		"Inside kpath, 'help' lists the commands.\n");
}

struct options {
	bool batch, repl, tui;
	struct kp_world_config cfg;
	char **cmds;
	int ncmds;
	char pd_cmd[4600]; /* --packetdrill FILE as a command */
	const char *pd_file, *pd_on_fail, *pd_tolerance, *pd_init;
	bool pd_stop;
	char **files;
	int nfiles;
};

/* 0, 1 for --help/--version done, or 2 on a usage error. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "repl", no_argument, NULL, 'r' },
		{ "tui", no_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "packetdrill", required_argument, NULL, 'p' },
		{ "on-fail", required_argument, NULL, 'F' },
		{ "tolerance_usecs", required_argument, NULL, 'T' },
		{ "init_scripts", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->cmds = calloc((size_t)argc, sizeof(*o->cmds));
	if (!o->cmds)
		return 2;
	while ((c = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'r':
			o->repl = true;
			break;
		case 't':
			o->tui = true;
			break;
		case 's':
			o->cfg.seed = strtoull(optarg, &end, 0);
			if (!*optarg || *end || optarg[0] == '-') {
				fprintf(stderr, "kpath: --seed takes a number, "
						"e.g. --seed 42\n");
				return 2;
			}
			break;
		case 'c':
			o->cmds[o->ncmds++] = optarg;
			break;
		case 'p': /* --packetdrill FILE: a batch run of one command */
			o->pd_file = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "stop") && strcmp(optarg, "exit")) {
				fprintf(stderr, "kpath: --on-fail stop|exit\n");
				return 2;
			}
			o->pd_on_fail = optarg;
			break;
		case 'T':
			o->pd_tolerance = optarg;
			break;
		case 'I':
			o->pd_init = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("kpath " KPATH_VERSION "\n");
			return 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (o->batch + o->repl + o->tui > 1) {
		fprintf(stderr, "kpath: --batch, --repl and --tui exclude "
				"each other\n");
		return 2;
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (o->pd_file) {
		/* --on-fail stop: not batch; the REPL or stdin follows a
		 * failure */
		o->pd_stop = o->pd_on_fail && !strcmp(o->pd_on_fail, "stop");
		if (!o->pd_stop)
			o->batch = true;
		snprintf(o->pd_cmd, sizeof(o->pd_cmd),
			 "packetdrill --exit%s%s%s%s%s %s",
			 o->pd_stop ? " --on-fail stop" : "",
			 o->pd_tolerance ? " --tolerance_usecs=" : "",
			 o->pd_tolerance ? o->pd_tolerance : "",
			 o->pd_init ? " --init_scripts=" : "",
			 o->pd_init ? o->pd_init : "", o->pd_file);
		o->cmds[o->ncmds++] = o->pd_cmd;
	} else if (o->pd_on_fail || o->pd_tolerance || o->pd_init) {
		fprintf(stderr, "kpath: --on-fail, --tolerance_usecs and "
				"--init_scripts go with --packetdrill FILE\n");
		return 2;
	}
	return 0;
}

/* The -c commands, then the files; false after an error. */
static bool run_startup(struct kp_session *s, const struct options *o)
{
	for (int i = 0; i < o->ncmds && !s->quit; i++)
		if (kp_script_exec_line(s, NULL, 0, o->cmds[i]) < 0)
			return false;
	for (int i = 0; i < o->nfiles && !s->quit; i++) {
		if (kp_script_source(s, o->files[i], s->out) < 0) {
			s->errors++;
			return false;
		}
	}
	return true;
}

/* The TUI runs the startup commands once its screen is up. */
static void tui_startup(struct kp_session *s, void *arg)
{
	run_startup(s, arg);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct kp_out out;
	int status;

	kp_world_config_default(&o.cfg);
	status = parse_options(argc, argv, &o);
	if (status) {
		free(o.cmds);
		return status == 1 ? 0 : 2;
	}
	kp_out_init_file(&out, stdout);
	struct kp_session *s = kp_session_new(&o.cfg, &out);
	if (!s) {
		fprintf(stderr, "kpath: cannot build the world (out of "
				"memory?)\n");
		free(o.cmds);
		return 2;
	}

	bool interactive = o.repl || o.tui ||
			   (!o.batch && isatty(STDIN_FILENO));
	bool tui = o.tui || (interactive && !o.repl && isatty(STDOUT_FILENO));
	s->batch = !interactive;
	status = tui ? kp_tui_run(s, tui_startup, &o) : -1;
	if (status >= 0) {
		/* the TUI ran; after --on-fail stop, q says the script failed
		 * (quit_code 1) unless a `quit N` said otherwise */
		if (status == 0 && o.pd_stop && s->quit_code > 0)
			status = s->quit_code;
	} else if (interactive) {
		run_startup(s, &o);
		status = s->quit ? kp_session_exit_status(s) : kp_repl_run(s);
	} else {
		bool ok = run_startup(s, &o);
		if (ok && !s->quit && (o.pd_stop || (!o.ncmds && !o.nfiles)))
			kp_script_run_stream(s, stdin, "<stdin>", NULL);
		status = kp_session_exit_status(s);
		if (o.pd_stop && !s->quit)
			status = 1; /* the script failed */
		fflush(stdout);
		if (s->expect_failures)
			fprintf(stderr, "kpath: %d of %d expects failed\n",
				s->expect_failures, s->expects);
	}
	fflush(stdout);
	kp_session_free(s);
	free(o.cmds);
	return status;
}
