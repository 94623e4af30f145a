/*
 * cmd_task.c - one task up close, and tasks driven by hand: `show task
 * PID` (state, wchan, the kernel stack it sleeps on, its fds, its
 * counts) and `task new HOST [NAME]`, which starts a task running the
 * "manual" program that waits for `sys` (cmd_sys.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "duration.h"
#include "format_net.h"
#include "format_stack.h"
#include "net/eventpoll.h"
#include "net/socket.h"
#include "proc_pid.h"
#include "sched/host.h"
#include "session.h"
#include "task_ref.h"
#include "user/manual.h"
#include "user/uprog.h"

struct task_struct *kp_cmd_task_ref(struct kp_session *s, struct kp_out *out,
				    int argc, char **argv, int *used)
{
	struct kp_world *w = s->world;
	struct kp_host *only = NULL;
	int i = 0;
	if (argc >= 2 && kp_host_by_name(w, argv[0])) {
		only = kp_host_by_name(w, argv[0]);
		i = 1;
	}
	char *end;
	long pid = argc > i ? strtol(argv[i], &end, 10) : -1;
	if (argc <= i || *end || pid <= 0) {
		kp_cmd_error(s, out, "expected a pid ('ps' lists them), "
				     "optionally after a host name");
		return NULL;
	}
	struct task_struct *found = NULL;
	int n = 0;
	for (int hi = 0; hi < w->nr_hosts; hi++) {
		struct kp_host *h = w->hosts[hi];
		if (only && h != only)
			continue;
		struct task_struct *t = kp_task_find(h, (pid_t)pid);
		if (!t)
			continue;
		/* without a host, prefer a manual task, then server */
		if (!found || (!only && kp_manual_of(t) && !kp_manual_of(found)))
			found = t;
		n++;
	}
	if (!found) {
		kp_cmd_error(s, out, "no process %ld%s%s; 'ps' lists them",
			     pid, only ? " on " : "", only ? only->name : "");
		return NULL;
	}
	if (n > 1 && !kp_manual_of(found)) {
		struct kp_host *srv = kp_host_by_name(w, "server");
		struct task_struct *t = srv ? kp_task_find(srv, (pid_t)pid)
					    : NULL;
		if (t)
			found = t;
	}
	*used = i + 1;
	return found;
}

/* ---- show task ---- */

static void show_fd(struct kp_out *out, int fd, struct file *f)
{
	struct socket *sock = kp_file_socket(f);
	struct eventpoll *ep = kp_file_eventpoll(f);
	if (sock && sock->sk) {
		struct sock *sk = sock->sk;
		struct inet_sock *inet = inet_sk(sk);
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &inet->inet_rcv_saddr, a, sizeof(a));
		kp_printf(out, "    %d -> socket:[%lu]  sk#%u %s %s:%u  "
			       "queue %u%s\n",
			  fd, f->f_ino, sk->kp.id, sk->sk_prot->name, a,
			  ntohs(inet->inet_sport),
			  skb_queue_len(&sk->sk_receive_queue),
			  f->f_flags & O_NONBLOCK ? "  O_NONBLOCK" : "");
	} else if (ep) {
		int ready = 0;
		struct epitem *epi;
		list_for_each_entry(epi, &ep->rdllist, rdllink)
			ready++;
		kp_printf(out, "    %d -> anon_inode:[eventpoll]  ep#%u, %d "
			       "item%s, %d ready\n",
			  fd, ep->kp.id, ep->nr_items,
			  ep->nr_items == 1 ? "" : "s", ready);
	} else {
		kp_printf(out, "    %d -> %s\n", fd,
			  f->f_op->name ? f->f_op->name : "?");
	}
}

static int cmd_show_task(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out)
{
	int used = 0;
	struct task_struct *t = kp_cmd_task_ref(s, out, argc, argv, &used);
	char b1[KP_TIME_BUF], b2[KP_TIME_BUF];
	if (!t)
		return -ENOENT;
	if (argc > used)
		return KP_CMD_USAGE;
	kp_printf(out, "%s pid %d on %s: %s, wchan %s, cpu %d%s\n", t->comm,
		  (int)t->pid, t->host->name, kp_proc_state(t),
		  kp_task_wchan(t), t->cpu, t->kthread ? ", kernel thread" : "");
	struct kp_uproc *p = t->user;
	if (p && p->prog) {
		kp_printf(out, "  program: %s", p->prog->name);
		for (int i = 0; i < p->argc; i++)
			kp_printf(out, " %s", p->argv[i]);
		kp_puts(out, p->child_main ? " (forked child)\n" : "\n");
	}
	kp_printf(out, "  voluntary_ctxt_switches %lu  "
		       "nonvoluntary_ctxt_switches %lu  wakeups %lu\n",
		  t->nvcsw, t->nivcsw, t->wakeups);
	kp_printf(out, "  utime %ss  stime %ss\n", kp_fmt_time(b1, t->utime_ns),
		  kp_fmt_time(b2, t->stime_ns));
	struct kp_manual *m = kp_manual_of(t);
	if (m) {
		kp_printf(out, "  manual: %lu call%s posted, %lu returned",
			  m->posted, m->posted == 1 ? "" : "s", m->done);
		if (m->in_call)
			kp_printf(out, "; in %s", kp_sys_name(m->call.op));
		else if (m->waiting)
			kp_puts(out, "; waiting for 'sys'");
		kp_puts(out, "\n");
	}
	struct files_struct *files = t->files;
	int n = 0;
	for (int fd = 0; files && fd < files->max_fds; fd++)
		n += files->fd[fd] != NULL;
	kp_printf(out, "  files: %d open\n", n);
	for (int fd = 0; files && fd < files->max_fds; fd++)
		if (files->fd[fd])
			show_fd(out, fd, files->fd[fd]);
	if (!t->on_cpu) {
		kp_puts(out, "  kernel stack:\n");
		kp_fmt_stack(out, s->world, kp_coro_thread_info(&t->coro));
	}
	return 0;
}

static void complete_pids(struct kp_session *s, int argc, char **argv,
			  struct kp_completions *c)
{
	(void)argv;
	if (argc)
		return;
	struct kp_host *h = kp_host_by_name(s->world, "server");
	struct task_struct *t;
	if (!h)
		return;
	list_for_each_entry(t, &h->tasks, tasks) {
		char pid[16];
		snprintf(pid, sizeof(pid), "%d", (int)t->pid);
		kp_complete_add(c, pid);
	}
}

const struct kp_cmd kp_cmd_show_task = {
	.name = "show task",
	.usage = "show task [HOST] PID",
	.summary = "one task: state, wchan, kernel stack, open files, counts",
	.help = "Shows task PID (of HOST; default: a manual task with that\n"
		"pid, else server's): its state as /proc/PID/status says it,\n"
		"its wchan (the function it sleeps in, past the scheduler's),\n"
		"the program it runs, its voluntary and involuntary context\n"
		"switches and wake-ups, user and system time, every open file\n"
		"(sockets with their sk#, eventpolls with their ep#) and, when\n"
		"it is not running, the kernel stack it sleeps on.\n"
		"\n"
		"Example:\n"
		"  run udp-server 7000\n"
		"  show task 4\n",
	.group = "programs",
	.flags = 0,
	.complete = complete_pids,
	.handler = cmd_show_task,
};

/* ---- task new ---- */

static int cmd_task_new(struct kp_session *s, int argc, char **argv,
			struct kp_out *out)
{
	struct kp_world *w = s->world;
	if (argc < 1 || argc > 2)
		return KP_CMD_USAGE;
	struct kp_host *h = kp_host_by_name(w, argv[0]);
	if (!h)
		return kp_cmd_error(s, out, "no host '%s'; 'info hosts' lists "
					    "them", argv[0]);
	const char *name = argc > 1 ? argv[1] : "manual";
	pid_t before = h->next_pid;
	int ret = kp_user_spawn_comm(h, "manual", name, 0, NULL);
	if (ret < 0)
		return kp_cmd_error(s, out, "could not start a task (%s)",
				    strerror(-ret));
	enum kp_stop_reason why = kp_session_run(s, KP_RUN_CONTINUE, 0);
	if (why != KP_STOP_IDLE)
		kp_session_report_stop(s, out);
	struct task_struct *t, *found = NULL;
	list_for_each_entry(t, &h->tasks, tasks)
		if (t->pid >= before && kp_manual_of(t))
			found = t;
	if (!found) {
		kp_puts(out, "The task starts when the run goes on.\n");
		return 0;
	}
	kp_printf(out, "Task %s pid %d on %s waits for system calls, e.g. "
		       "'sys %d socket inet dgram'.\n",
		  found->comm, (int)found->pid, h->name, (int)found->pid);
	return 0;
}

static void complete_task_new(struct kp_session *s, int argc, char **argv,
			      struct kp_completions *c)
{
	(void)argv;
	if (argc == 0)
		kp_complete_hosts(s, c);
}

const struct kp_cmd kp_cmd_task_new = {
	.name = "task new",
	.usage = "task new HOST [NAME]",
	.summary = "start a task you drive by hand, one system call at a time",
	.help = "Starts a task named NAME (default: manual) on HOST that\n"
		"waits for the system calls you give it with 'sys PID CALL'.\n"
		"Each call runs in the task, through the same kernel path a\n"
		"program takes, and prints as strace would.  A call that\n"
		"blocks leaves the task asleep (see 'show task PID'); its\n"
		"line appears when it returns.\n"
		"\n"
		"Example:\n"
		"  task new server\n"
		"  sys 4 socket inet dgram\n"
		"  sys 4 bind 3 0.0.0.0:7000\n"
		"  sys 4 recvfrom 3\n",
	.group = "programs",
	.flags = 0,
	.complete = complete_task_new,
	.handler = cmd_task_new,
};
