/*
 * uaccess.c - copy_to_user / copy_from_user: a real copy, a step point,
 * and a cost proportional to the length (about 0.1 ns a byte).
 */
#include "uaccess.h"

#include <string.h>

#include "engine/probe.h"
#include "sched/sched.h"

unsigned long copy_to_user(void *to, const void *from, size_t n)
{
	KP_FUNC_ARG(copy_to_user, KP_NOOBJ, n);
	if (!to)
		return n;
	memcpy(to, from, n);
	kp_current_thread_info()->cpu->clock += n / 10;
	return 0;
}

unsigned long copy_from_user(void *to, const void *from, size_t n)
{
	KP_FUNC_ARG(copy_from_user, KP_NOOBJ, n);
	if (!from)
		return n;
	memcpy(to, from, n);
	kp_current_thread_info()->cpu->clock += n / 10;
	return 0;
}
