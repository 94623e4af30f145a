/*
 * poll.h - poll masks and the poll_table that f_op->poll queues the
 * caller's wait entry through (include/linux/poll.h).  epoll's
 * ep_ptable_queue_proc and select/poll's __pollwait are such procs.
 */
#ifndef KP_NET_POLL_H
#define KP_NET_POLL_H

#include "sched/wait.h"

struct file;
struct poll_table_struct;

typedef void (*poll_queue_proc)(struct file *, wait_queue_head_t *,
				struct poll_table_struct *);

typedef struct poll_table_struct {
	poll_queue_proc _qproc;
	unsigned long _key;
} poll_table;

static inline void poll_wait(struct file *filp, wait_queue_head_t *wait_address,
			     poll_table *p)
{
	if (p && p->_qproc && wait_address)
		p->_qproc(filp, wait_address, p);
}

void init_poll_funcptr(poll_table *pt, poll_queue_proc qproc);

/* Poll bits (asm-generic/poll.h); the EPOLL* values are the same. */
#define KP_POLLIN 0x0001
#define KP_POLLPRI 0x0002
#define KP_POLLOUT 0x0004
#define KP_POLLERR 0x0008
#define KP_POLLHUP 0x0010
#define KP_POLLNVAL 0x0020
#define KP_POLLRDNORM 0x0040
#define KP_POLLRDBAND 0x0080
#define KP_POLLWRNORM 0x0100
#define KP_POLLWRBAND 0x0200
#define KP_POLLMSG 0x0400
#define KP_POLLRDHUP 0x2000
#define KP_POLLFREE 0x4000

#endif
