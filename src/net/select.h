/*
 * select.h - poll(2) and select(2) (fs/select.c): each call polls every
 * file it is given; the first pass hangs an entry (func pollwake,
 * private = the poll_wqueues of the caller) on each file's wait queue
 * through __pollwait; if nothing is ready the task sleeps in
 * poll_schedule_timeout until a pollwake or the timeout, then polls
 * every file again.  Unlike epoll, all of this is redone on every call.
 */
#ifndef KP_NET_SELECT_H
#define KP_NET_SELECT_H

#include <stdbool.h>

#include "poll.h"
#include "sched/wait.h"

struct file;
struct task_struct;

/* struct pollfd of <poll.h> */
struct kp_pollfd {
	int fd;
	short events;
	short revents;
};

/* fd_set for up to KP_FD_SETSIZE descriptors */
#define KP_FD_SETSIZE 1024
typedef struct {
	unsigned long fds_bits[KP_FD_SETSIZE / (8 * sizeof(unsigned long))];
} kp_fd_set;

static inline void kp_fd_set_bit(int fd, kp_fd_set *s)
{
	s->fds_bits[fd / (8 * sizeof(unsigned long))] |=
		1ul << (fd % (8 * sizeof(unsigned long)));
}

static inline bool kp_fd_isset(int fd, const kp_fd_set *s)
{
	return s->fds_bits[fd / (8 * sizeof(unsigned long))] >>
		       (fd % (8 * sizeof(unsigned long))) & 1;
}

/* One wait entry per (file, wait queue) the poll visited. */
struct poll_table_entry {
	struct file *filp;
	unsigned long key;
	wait_queue_t wait;
	wait_queue_head_t *wait_address;
};

#define KP_POLL_ENTRIES 64

/* The caller's poll state (include/linux/poll.h) */
struct poll_wqueues {
	poll_table pt;
	struct task_struct *polling_task;
	int triggered;
	int error;
	int inline_index;
	struct poll_table_entry inline_entries[KP_POLL_ENTRIES];
};

/* timeout_msecs < 0: forever */
int sys_poll(struct kp_pollfd *ufds, unsigned int nfds, int timeout_msecs);
/* timeout_msecs < 0: NULL timeval (forever) */
int sys_select(int n, kp_fd_set *inp, kp_fd_set *outp, kp_fd_set *exp,
	       int timeout_msecs);
int pollwake(wait_queue_t *wait, unsigned mode, int sync, void *key);

#endif
