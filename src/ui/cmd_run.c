/*
 * cmd_run.c - starting user programs: `run PROGRAM [ARGS] [on HOST]`
 * spawns a built-in program (programs.def) as a new task through the
 * function-call interrupt, then lets the world run until it is idle (a
 * server then sits asleep in recvfrom or epoll_wait).
 */
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "sched/host.h"
#include "session.h"
#include "user/uprog.h"

/* `run` alone: every program of programs.def with its arguments. */
static void list_programs(struct kp_out *out)
{
	kp_puts(out, "usage: run PROGRAM [ARGS...] [on HOST]; the programs:\n");
	for (int i = 0; i < kp_nr_user_programs; i++) {
		const struct kp_user_program *p = kp_user_programs[i];
		kp_printf(out, "  %-44s %s\n", p->usage ? p->usage : p->name,
			  p->summary ? p->summary : "");
	}
}

static int cmd_run(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	if (argc < 1) {
		list_programs(out);
		return 0;
	}
	struct kp_host *h = kp_host_by_name(s->world, "server");
	int nargs = argc - 1;
	if (argc >= 3 && strcmp(argv[argc - 2], "on") == 0) {
		h = kp_host_by_name(s->world, argv[argc - 1]);
		if (!h)
			return kp_cmd_error(s, out,
					    "no host '%s'; 'info hosts' lists "
					    "them (default: server)",
					    argv[argc - 1]);
		nargs = argc - 3;
	}
	if (!h)
		h = s->world->nr_hosts ? s->world->hosts[0] : NULL;
	if (!h)
		return kp_cmd_error(s, out, "no host to run on");
	if (!kp_user_program_find(argv[0])) {
		kp_session_print_location(s, out);
		kp_printf(out, "No program '%s'; the programs are", argv[0]);
		for (int i = 0; i < kp_nr_user_programs; i++)
			kp_printf(out, "%s %s", i ? "," : "",
				  kp_user_programs[i]->name);
		kp_puts(out, "\n");
		return -ENOENT;
	}
	int ret = kp_user_spawn(h, argv[0], nargs, argv + 1);
	if (ret < 0)
		return kp_cmd_error(s, out, "could not start %s (%s)", argv[0],
				    strerror(-ret));
	enum kp_stop_reason why = kp_session_run(s, KP_RUN_CONTINUE, 0);
	if (why != KP_STOP_IDLE)
		kp_session_report_stop(s, out);
	return 0;
}

static void complete_run(struct kp_session *s, int argc, char **argv,
			 struct kp_completions *c)
{
	if (argc == 0) {
		for (int i = 0; i < kp_nr_user_programs; i++)
			kp_complete_add(c, kp_user_programs[i]->name);
		return;
	}
	if (strcmp(argv[argc - 1], "on") == 0) {
		kp_complete_hosts(s, c);
		return;
	}
	kp_complete_add(c, "on");
}

const struct kp_cmd kp_cmd_run = {
	.name = "run",
	.usage = "run PROGRAM [ARGS...] [on HOST]",
	.summary = "start a built-in user program as a new task",
	.help = "Starts PROGRAM on HOST (default: server) as fork+exec would:\n"
		"CPU 0 takes the function-call interrupt, creates the task and\n"
		"wakes it.  The world then runs until nothing is left to do, so\n"
		"a server ends up asleep in recvfrom or epoll_wait (state S,\n"
		"see 'ps').  What the program prints appears on the console.\n"
		"\n"
		"'run' alone lists every program with its arguments.  UDP:\n"
		"udp-server PORT [COUNT] (blocking recvfrom loop),\n"
		"udp-epoll-server PORT[-LAST] [lt|et] [COUNT] (one task, one\n"
		"epoll fd, a socket per port), udp-client DST:PORT [COUNT]\n"
		"[SIZE] [GAP_US] [BURST] (sendto in a loop, paced), ping [-c N]\n"
		"[-i SEC] [-s SIZE] DST (iputils' output).  Thundering herds:\n"
		"herd-epoll, herd-shared-ep, herd-recv, tcp-accept-herd.  TCP:\n"
		"tcp-echo-server, tcp-echo-client, tcp-bulk-recv,\n"
		"tcp-bulk-send, and the seed's Reactor servers\n"
		"reactor-single, reactor-pool, reactor-multi.  'task new\n"
		"HOST' starts a task you drive by hand with 'sys' (socket,\n"
		"bind, connect, sendto, send, recvfrom, listen, accept,\n"
		"shutdown, ...).\n"
		"\n"
		"Example:\n"
		"  run udp-server 7000 on server\n"
		"  run udp-client 10.0.0.2:7000 3 on client\n"
		"  run ping -c 3 10.0.0.2 on client\n"
		"  ss -uanp\n",
	.group = "programs",
	.flags = 0,
	.complete = complete_run,
	.handler = cmd_run,
};
