/*
 * wait.h - wait queues exactly as include/linux/wait.h in 3.10: a head
 * with a lock and a list of entries, each entry with flags
 * (WQ_FLAG_EXCLUSIVE), private (the task) and func (what a wake-up calls:
 * default_wake_function, autoremove_wake_function, ep_poll_callback...).
 */
#ifndef KP_SCHED_WAIT_H
#define KP_SCHED_WAIT_H

#include "engine/ids.h"
#include "engine/list.h"
#include "spinlock.h"

struct task_struct;

typedef struct __wait_queue wait_queue_t;
typedef int (*wait_queue_func_t)(wait_queue_t *wait, unsigned mode, int flags,
				 void *key);

#define WQ_FLAG_EXCLUSIVE 0x01

struct __wait_queue {
	struct kp_obj kp;
	unsigned int flags;
	void *private;
	wait_queue_func_t func;
	struct list_head task_list;
};

struct __wait_queue_head {
	struct kp_obj kp;
	spinlock_t lock;
	struct list_head task_list;
};
typedef struct __wait_queue_head wait_queue_head_t;

int default_wake_function(wait_queue_t *wait, unsigned mode, int flags,
			  void *key);
int autoremove_wake_function(wait_queue_t *wait, unsigned mode, int flags,
			     void *key);

#define DEFINE_WAIT_FUNC(name, function)                                      \
	wait_queue_t name = {                                                 \
		.kp = { .id = 0 },                                         \
		.flags = 0,                                                   \
		.private = current,                                           \
		.func = function,                                             \
		.task_list = LIST_HEAD_INIT((name).task_list),                \
	}
#define DEFINE_WAIT(name) DEFINE_WAIT_FUNC(name, autoremove_wake_function)

void init_waitqueue_head(wait_queue_head_t *q);
void init_waitqueue_entry(wait_queue_t *q, struct task_struct *p);
void init_waitqueue_func_entry(wait_queue_t *q, wait_queue_func_t func);
void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
void add_wait_queue_exclusive(wait_queue_head_t *q, wait_queue_t *wait);
void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
void __add_wait_queue(wait_queue_head_t *head, wait_queue_t *new_entry);
void __add_wait_queue_exclusive(wait_queue_head_t *q, wait_queue_t *wait);
void __remove_wait_queue(wait_queue_head_t *head, wait_queue_t *old);
void prepare_to_wait(wait_queue_head_t *q, wait_queue_t *wait, int state);
void prepare_to_wait_exclusive(wait_queue_head_t *q, wait_queue_t *wait,
			       int state);
void finish_wait(wait_queue_head_t *q, wait_queue_t *wait);

void __wake_up(wait_queue_head_t *q, unsigned int mode, int nr_exclusive,
	       void *key);
void __wake_up_sync_key(wait_queue_head_t *q, unsigned int mode,
			int nr_exclusive, void *key);
/* Called with q->lock held. */
void __wake_up_common(wait_queue_head_t *q, unsigned int mode,
		      int nr_exclusive, int wake_flags, void *key);
void wake_up_interruptible_sync_poll(wait_queue_head_t *q, unsigned long key);
void wake_up_locked(wait_queue_head_t *q);

#define wake_up(x) __wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_all(x) __wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x) __wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_poll(x, m)                                      \
	__wake_up(x, TASK_INTERRUPTIBLE, 1, (void *)(unsigned long)(m))

static inline int waitqueue_active(const wait_queue_head_t *q)
{
	return !list_empty(&q->task_list);
}

#endif
