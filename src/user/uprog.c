/*
 * uprog.c - starting user programs and the program table.
 */
#include "uprog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/console.h"
#include "net/file.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/smp.h"

#define KP_UPROG(sym) extern const struct kp_user_program kp_uprog_##sym;
#include "programs.def"
#undef KP_UPROG

const struct kp_user_program *const kp_user_programs[] = {
#define KP_UPROG(sym) &kp_uprog_##sym,
#include "programs.def"
#undef KP_UPROG
	NULL,
};

const int kp_nr_user_programs =
	(int)(sizeof(kp_user_programs) / sizeof(kp_user_programs[0])) - 1;

const struct kp_user_program *kp_user_program_find(const char *name)
{
	for (int i = 0; i < kp_nr_user_programs; i++)
		if (strcmp(kp_user_programs[i]->name, name) == 0)
			return kp_user_programs[i];
	return NULL;
}

static int exit_now_main(struct kp_uproc *p, int argc, char **argv)
{
	(void)p;
	(void)argc;
	(void)argv;
	return 1;
}

/* What a child whose fork failed half-way runs: nothing. */
static const struct kp_user_program kp_uprog_exit_now = {
	.name = "exit",
	.usage = "exit",
	.summary = "exits at once",
	.help = "",
	.main = exit_now_main,
};

static void uproc_free(void *arg)
{
	struct kp_uproc *p = arg;
	for (int i = 0; i < p->argc; i++)
		free(p->argv[i]);
	for (int i = 0; i < p->nr_mem; i++)
		free(p->mem[i]);
	free(p->state);
	free(p);
}

void *u_calloc(struct kp_uproc *p, size_t n, size_t size)
{
	if (p->nr_mem == KP_UPROC_MAX_MEM)
		return NULL;
	void *m = calloc(n ? n : 1, size ? size : 1);
	if (m)
		p->mem[p->nr_mem++] = m;
	return m;
}

void *u_malloc(struct kp_uproc *p, size_t size)
{
	return u_calloc(p, 1, size);
}

void u_free(struct kp_uproc *p, void *ptr)
{
	for (int i = 0; ptr && i < p->nr_mem; i++) {
		if (p->mem[i] != ptr)
			continue;
		p->mem[i] = p->mem[--p->nr_mem];
		free(ptr);
		return;
	}
}

/* The task's body: user mode from the first instruction of main. */
static void user_task_main(void *arg)
{
	struct kp_uproc *p = arg;
	kp_task_set_user(true);
	int code = p->child_main ? p->child_main(p, p->child_arg)
				 : p->prog->main(p, p->argc, p->argv);
	kp_task_set_user(false);
	do_exit(code);
}

/* A spawn request waiting for its CPU; owns the process until then. */
struct spawn_req {
	struct kp_uproc *p;
	char comm[TASK_COMM_LEN];
};

static void spawn_req_free(void *info)
{
	struct spawn_req *req = info;
	if (req->p)
		uproc_free(req->p);
	free(req);
}

/* Runs on CPU 0 in the function-call interrupt: fork + exec. */
static void spawn_on_cpu(void *info)
{
	struct spawn_req *req = info;
	struct kp_uproc *p = req->p;
	struct task_struct *t = kp_task_create(p->host, req->comm,
					       user_task_main, p, -1, false);
	if (!t)
		return; /* spawn_req_free frees p */
	req->p = NULL; /* the task owns it now */
	t->user = p;
	t->arg_free = uproc_free;
	wake_up_process(t);
}

int kp_user_spawn(struct kp_host *h, const char *name, int argc,
		  char *const argv[])
{
	return kp_user_spawn_comm(h, name, NULL, argc, argv);
}

int kp_user_spawn_comm(struct kp_host *h, const char *name,
		       const char *comm, int argc, char *const argv[])
{
	const struct kp_user_program *prog = kp_user_program_find(name);
	if (!prog)
		return -ENOENT;
	if (argc > KP_UPROG_MAX_ARGS)
		return -E2BIG;
	struct kp_uproc *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->prog = prog;
	p->host = h;
	p->argc = argc;
	for (int i = 0; i < argc; i++)
		p->argv[i] = strdup(argv[i]);
	struct spawn_req *req = malloc(sizeof(*req));
	if (!req) {
		uproc_free(p);
		return -ENOMEM;
	}
	req->p = p;
	snprintf(req->comm, sizeof(req->comm), "%s", comm ? comm : prog->name);
	return kp_host_call(h, 0, spawn_on_cpu, req, spawn_req_free);
}

/* fork's kernel half: the child task, its fd table, its wake-up. */
static long do_fork(struct kp_uproc *p,
		    int (*child_main)(struct kp_uproc *, long), long arg)
{
	struct task_struct *parent = current;
	struct kp_uproc *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->prog = p->prog;
	c->host = p->host;
	c->child_main = child_main;
	c->child_arg = arg;
	struct task_struct *t = kp_task_create(p->host, parent->comm,
					       user_task_main, c, -1, false);
	if (!t) {
		free(c);
		return -EAGAIN;
	}
	t->user = c;
	t->arg_free = uproc_free;
	if (kp_files_dup(t, parent) < 0) {
		/* never ran: let it exit at once */
		c->child_main = NULL;
		c->prog = &kp_uprog_exit_now;
	}
	wake_up_process(t);
	return t->pid;
}

int u_fork(struct kp_uproc *p, int (*child_main)(struct kp_uproc *, long),
	   long arg)
{
	kp_task_set_user(false);
	long ret = do_fork(p, child_main, arg);
	kp_task_set_user(true);
	if (ret < 0) {
		p->err = (int)-ret;
		return -1;
	}
	return (int)ret;
}

struct kp_uproc *u_self(void)
{
	return current->user;
}

void u_printf(struct kp_uproc *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct task_struct *t = current;
	struct kp_console *c = &p->host->world->console;
	size_t before = c->len;
	kp_console_printf(p->host->world, p->host->id, (uint32_t)t->pid,
			  local_clock(), "%s", buf);
	if (c->len > before)
		snprintf(c->lines[c->len - 1].comm,
			 sizeof(c->lines[c->len - 1].comm), "%s", t->comm);
}
