/*
 * eventpoll.h - epoll (fs/eventpoll.c in Linux): struct eventpoll with its
 * wait queue wq, ready list rdllist and red-black tree rbr of epitems;
 * struct epitem with the wait entries (eppoll_entry) it hangs on the
 * watched files' wait queues, whose func is ep_poll_callback.
 */
#ifndef KP_NET_EVENTPOLL_H
#define KP_NET_EVENTPOLL_H

#include <stdint.h>

#include "engine/ids.h"
#include "engine/list.h"
#include "lib/rbtree.h"
#include "poll.h"
#include "sched/spinlock.h"
#include "sched/wait.h"

#define EPOLLIN 0x00000001u
#define EPOLLPRI 0x00000002u
#define EPOLLOUT 0x00000004u
#define EPOLLERR 0x00000008u
#define EPOLLHUP 0x00000010u
#define EPOLLRDNORM 0x00000040u
#define EPOLLRDBAND 0x00000080u
#define EPOLLWRNORM 0x00000100u
#define EPOLLWRBAND 0x00000200u
#define EPOLLMSG 0x00000400u
#define EPOLLRDHUP 0x00002000u
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

/* Bits that stay in epi->event.events after an EPOLLONESHOT fires. */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EP_MAX_EVENTS (INT32_MAX / 12)

struct epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

struct file;

struct epoll_filefd {
	struct file *file;
	int fd;
};

struct eventpoll {
	struct kp_obj kp;
	spinlock_t lock;
	wait_queue_head_t wq;        /* tasks blocked in epoll_wait */
	wait_queue_head_t poll_wait; /* file->poll() of the epoll fd itself */
	struct list_head rdllist;    /* epitems with events ready */
	struct rb_root rbr;          /* every epitem, by (file, fd) */
	struct epitem *ovflist;      /* ready while rdllist is being scanned */
	struct file *file;
	int nr_items;
	/* kpath's counts, shown by `show ep` */
	unsigned long callbacks, wakeups, empty_wakeups;
	struct list_head host_link;
};

struct epitem {
	struct kp_obj kp;
	struct rb_node rbn;
	struct list_head rdllink;
	struct epitem *next; /* on ovflist */
	struct epoll_filefd ffd;
	int nwait;
	struct list_head pwqlist; /* eppoll_entry of this item */
	struct eventpoll *ep;
	struct list_head fllink;  /* on ffd.file->f_ep_links */
	struct epoll_event event;
};

/* The wait-queue entry epoll hangs on a watched file's wait queue. */
struct eppoll_entry {
	struct list_head llink;
	struct epitem *base;
	wait_queue_t wait;
	wait_queue_head_t *whead;
};

int sys_epoll_create1(int flags);
int sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int sys_epoll_wait(int epfd, struct epoll_event *events, int maxevents,
		   int timeout);
int ep_poll_callback(wait_queue_t *wait, unsigned mode, int sync, void *key);

/* fput(): remove every epitem that watches @file. */
void eventpoll_release(struct file *file);
/* World teardown, off any CPU: free @file's eventpoll, its epitems and
 * their wait entries without unlinking them (the watched files and their
 * wait queues go away too). */
void kp_eventpoll_teardown(struct file *file);
/* Is @file an epoll file?  Its eventpoll, or NULL. */
struct eventpoll *kp_file_eventpoll(const struct file *file);

#endif
