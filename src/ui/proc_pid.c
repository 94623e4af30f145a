/*
 * proc_pid.c - /proc/PID/status (fs/proc/array.c: proc_pid_status, the
 * lines a user reads for a process: Name, State, Pid, the context switch
 * counts), /proc/PID/wchan and /proc/PID/stack (fs/proc/base.c).
 *
 * Leaves out: memory lines (Vm*), signal masks, capabilities, cpusets;
 * kpath has no uids (everything is root) and no parent links (PPid is 1
 * for user tasks, 2 - kthreadd - for kernel threads, 0 for init).
 */
#include "proc_pid.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine/probe.h"
#include "net/file.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "session.h"

bool kp_proc_pid_path(const char *path)
{
	return strncmp(path, "/proc/", 6) == 0 &&
	       isdigit((unsigned char)path[6]);
}

const char *kp_proc_state(const struct task_struct *t)
{
	if (t->state == TASK_RUNNING)
		return "R (running)";
	if (t->state & TASK_INTERRUPTIBLE)
		return "S (sleeping)";
	if (t->state & TASK_UNINTERRUPTIBLE)
		return "D (disk sleep)";
	if (t->state & __TASK_STOPPED)
		return "T (stopped)";
	if (t->state & TASK_DEAD)
		return "X (dead)";
	return "R (running)";
}

/* Linux skips the __sched functions (in_sched_functions) */
static bool sched_function(int probe)
{
	return probe == KP_P_schedule || probe == KP_P_context_switch ||
	       probe == KP_P_pick_next_task_fair ||
	       probe == KP_P_schedule_timeout ||
	       probe == KP_P_schedule_hrtimeout_range;
}

const char *kp_task_wchan(const struct task_struct *t)
{
	if (t->state == TASK_RUNNING || t->on_cpu)
		return "0";
	const struct kp_thread_info *ti = kp_coro_thread_info(&t->coro);
	for (int i = (int)ti->depth - 1; i >= 0; i--)
		if (!sched_function(ti->frames[i].probe))
			return kp_probes[ti->frames[i].probe].name;
	return "0";
}

static void show_status(struct kp_out *out, const struct task_struct *t)
{
	const struct files_struct *files = t->files;
	int ppid = t->pid == 1 ? 0 : t->kthread ? 2 : 1;
	kp_printf(out, "Name:\t%s\n", t->comm);
	kp_puts(out, "Umask:\t0022\n");
	kp_printf(out, "State:\t%s\n", kp_proc_state(t));
	kp_printf(out, "Tgid:\t%d\n", (int)t->pid);
	kp_puts(out, "Ngid:\t0\n");
	kp_printf(out, "Pid:\t%d\n", (int)t->pid);
	kp_printf(out, "PPid:\t%d\n", ppid);
	kp_puts(out, "TracerPid:\t0\n");
	kp_puts(out, "Uid:\t0\t0\t0\t0\n");
	kp_puts(out, "Gid:\t0\t0\t0\t0\n");
	kp_printf(out, "FDSize:\t%d\n", files ? 64 : 0);
	kp_puts(out, "Threads:\t1\n");
	if (t->bound_cpu >= 0 || t->host->nr_cpus == 1)
		kp_printf(out, "Cpus_allowed_list:\t%d\n",
			  t->bound_cpu >= 0 ? t->bound_cpu : 0);
	else
		kp_printf(out, "Cpus_allowed_list:\t0-%d\n",
			  t->host->nr_cpus - 1);
	kp_printf(out, "voluntary_ctxt_switches:\t%lu\n", t->nvcsw);
	kp_printf(out, "nonvoluntary_ctxt_switches:\t%lu\n", t->nivcsw);
}

/* /proc/PID/stack: "[<0>] func+0x0/0x0" innermost first */
static void show_stack(struct kp_out *out, const struct task_struct *t)
{
	if (t->on_cpu)
		return; /* Linux refuses a running task's stack too */
	const struct kp_thread_info *ti = kp_coro_thread_info(&t->coro);
	for (int i = (int)ti->depth - 1; i >= 0; i--)
		kp_printf(out, "[<0>] %s+0x0/0x0\n",
			  kp_probes[ti->frames[i].probe].name);
}

int kp_proc_pid_cat(struct kp_session *s, struct kp_out *out,
		    struct kp_host *h, const char *path)
{
	char *end;
	long pid = strtol(path + 6, &end, 10);
	const char *file = *end == '/' ? end + 1 : "";
	struct task_struct *t = kp_task_find(h, (pid_t)pid);
	if (!t)
		return kp_cmd_error(s, out, "cat: %s: no process %ld on %s; "
					    "'ps' lists them",
				    path, pid, h->name);
	if (strcmp(file, "status") == 0)
		show_status(out, t);
	else if (strcmp(file, "wchan") == 0)
		kp_printf(out, "%s\n", kp_task_wchan(t));
	else if (strcmp(file, "stack") == 0)
		show_stack(out, t);
	else
		return kp_cmd_error(s, out, "cat: %s: kpath has /proc/%ld/"
					    "status, wchan and stack (and "
					    "'ls -l /proc/%ld/fd')",
				    path, pid, pid);
	return 0;
}
