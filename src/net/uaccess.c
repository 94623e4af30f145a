/*
 * uaccess.c - copy_to_user / copy_from_user: a real copy, a step point,
 * and a cost proportional to the length (about 0.1 ns a byte).
 */
#include "uaccess.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

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

int memcpy_from_msg(void *to, const struct msghdr *msg, size_t len)
{
	unsigned char *out = to;
	size_t off = 0;
	for (size_t i = 0; i < msg->msg_iovlen && off < len; i++) {
		size_t n = msg->msg_iov[i].iov_len;
		if (n > len - off)
			n = len - off;
		if (copy_from_user(out + off, msg->msg_iov[i].iov_base, n))
			return -EFAULT;
		off += n;
	}
	return 0;
}
