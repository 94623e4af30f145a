/*
 * proc_pid.h - per-process files of /proc (fs/proc/array.c, base.c):
 * /proc/PID/status, /proc/PID/wchan and /proc/PID/stack, read by `cat`.
 */
#ifndef KP_UI_PROC_PID_H
#define KP_UI_PROC_PID_H

#include <stdbool.h>

#include "out.h"

struct kp_host;
struct kp_session;
struct task_struct;

/* Is @path a /proc/PID/... file? */
bool kp_proc_pid_path(const char *path);
/* `cat /proc/PID/FILE` on @h: 0, or an error already reported. */
int kp_proc_pid_cat(struct kp_session *s, struct kp_out *out,
		    struct kp_host *h, const char *path);
/* Where a sleeping task sleeps, as /proc/PID/wchan says: the innermost
 * function on its stack that is not the scheduler's; "0" when running. */
const char *kp_task_wchan(const struct task_struct *t);
/* "S (sleeping)", as the State: line of /proc/PID/status. */
const char *kp_proc_state(const struct task_struct *t);

#endif
