/*
 * task_ref.h - naming a task in a command: "[HOST] PID".
 */
#ifndef KP_UI_TASK_REF_H
#define KP_UI_TASK_REF_H

#include "out.h"

struct kp_session;
struct task_struct;

/*
 * Read "[HOST] PID" at the front of argv; *used: how many words it took.
 * Without a host, a manual task with that pid wins, then server's.  NULL
 * after an error message.
 */
struct task_struct *kp_cmd_task_ref(struct kp_session *s, struct kp_out *out,
				    int argc, char **argv, int *used);

#endif
