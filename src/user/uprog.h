/*
 * uprog.h - user programs: C functions run by emulated tasks in user mode,
 * entering the emulated kernel only through system calls.
 *
 * A program is an entry in programs.def with a main(p, argc, argv); it is
 * started with kp_user_spawn (the `run` command), which asks CPU 0 of the
 * host, through the function-call interrupt, to create and wake the task -
 * what fork+exec would do.  A program calls the u_* wrappers of libc.h,
 * which switch the task to kernel mode, call sys_*, and switch back
 * (taking pending interrupts and preemption on the way out), so user and
 * system time are charged apart and context switches counted as Linux
 * counts them.
 */
#ifndef KP_USER_UPROG_H
#define KP_USER_UPROG_H

#include <stddef.h>
#include <stdint.h>

struct kp_host;
struct kp_uproc;

struct kp_user_program {
	const char *name;
	const char *usage;   /* "udp-echo-server PORT" */
	const char *summary; /* one line */
	const char *help;    /* what it does, step by step, in kernel terms */
	int (*main)(struct kp_uproc *p, int argc, char **argv);
};

#define KP_UPROG_MAX_ARGS 16
#define KP_UPROC_MAX_MEM 8

/* The user-space part of a process. */
struct kp_uproc {
	const struct kp_user_program *prog;
	struct kp_host *host;
	int argc;
	char *argv[KP_UPROG_MAX_ARGS + 1];
	int err; /* errno of the last failed call */
	void *state; /* a program's own state, freed with free() at exit */
	/* u_malloc's blocks: freed with the process, so a program the world
	 * ends while it sleeps in a call leaks nothing */
	void *mem[KP_UPROC_MAX_MEM];
	int nr_mem;
	/* a forked child runs child_main(p, child_arg) instead of main */
	int (*child_main)(struct kp_uproc *p, long arg);
	long child_arg;
};

/* The program table (programs.def), and lookup by name. */
extern const struct kp_user_program *const kp_user_programs[];
extern const int kp_nr_user_programs;
const struct kp_user_program *kp_user_program_find(const char *name);

/*
 * From the engine (a command): start @name with @argv on @h.  The task
 * appears once CPU 0 has taken the function-call interrupt.  Returns 0 or
 * a negative errno (-ENOENT: no such program, -E2BIG: too many args).
 */
int kp_user_spawn(struct kp_host *h, const char *name, int argc,
		  char *const argv[]);
/* The same, with the task named @comm (NULL: the program's name). */
int kp_user_spawn_comm(struct kp_host *h, const char *name,
		       const char *comm, int argc, char *const argv[]);

/*
 * fork(2) for programs: a new task (same name) with a copy of the
 * caller's fd table - each file shared, one more reference - that runs
 * @child_main(child, @arg) in user mode and exits with what it returns.
 * Returns the child's pid in the parent, or -1 with p->err set.
 */
int u_fork(struct kp_uproc *p, int (*child_main)(struct kp_uproc *, long),
	   long arg);

/* malloc/calloc and free for programs: the process owns the block (at
 * most KP_UPROC_MAX_MEM at once; NULL beyond, or without memory). */
void *u_malloc(struct kp_uproc *p, size_t size);
void *u_calloc(struct kp_uproc *p, size_t n, size_t size);
void u_free(struct kp_uproc *p, void *ptr);

/* printf for programs: a line on the world's console. */
void u_printf(struct kp_uproc *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The calling program's process. */
struct kp_uproc *u_self(void);

#endif
