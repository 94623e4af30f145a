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

static void uproc_free(void *arg)
{
	struct kp_uproc *p = arg;
	for (int i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->state);
	free(p);
}

/* The task's body: user mode from the first instruction of main. */
static void user_task_main(void *arg)
{
	struct kp_uproc *p = arg;
	kp_task_set_user(true);
	int code = p->prog->main(p, p->argc, p->argv);
	kp_task_set_user(false);
	do_exit(code);
}

/* A spawn request waiting for its CPU; owns the process until then. */
struct spawn_req {
	struct kp_uproc *p;
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
	struct task_struct *t = kp_task_create(p->host, p->prog->name,
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
	return kp_host_call(h, 0, spawn_on_cpu, req, spawn_req_free);
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
	kp_console_printf(p->host->world, p->host->id, (uint32_t)t->pid,
			  local_clock(), "%s", buf);
}
