/*
 * wait.c - wait queues (kernel/wait.c and the wake-up half of
 * kernel/sched/core.c in 3.10).
 */
#include "wait.h"

#include "engine/probe.h"
#include "sched.h"

static void wait_assign_id(struct kp_obj *kp)
{
	if (!kp->id)
		kp_obj_assign(&kp_current_world()->ids, kp, KP_OBJ_WQ);
}

void init_waitqueue_head(wait_queue_head_t *q)
{
	KP_FUNC0(init_waitqueue_head);
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->task_list);
	kp_obj_set(&q->kp, KP_OBJ_NONE, 0);
}

void init_waitqueue_entry(wait_queue_t *q, struct task_struct *p)
{
	KP_FUNC(init_waitqueue_entry, p);
	kp_obj_set(&q->kp, KP_OBJ_NONE, 0);
	wait_assign_id(&q->kp);
	q->flags = 0;
	q->private = p;
	q->func = default_wake_function;
	INIT_LIST_HEAD(&q->task_list);
}

void init_waitqueue_func_entry(wait_queue_t *q, wait_queue_func_t func)
{
	kp_obj_set(&q->kp, KP_OBJ_NONE, 0);
	wait_assign_id(&q->kp);
	q->flags = 0;
	q->private = NULL;
	q->func = func;
	INIT_LIST_HEAD(&q->task_list);
}

void __add_wait_queue(wait_queue_head_t *head, wait_queue_t *new_entry)
{
	wait_assign_id(&new_entry->kp);
	list_add(&new_entry->task_list, &head->task_list);
}

void __add_wait_queue_exclusive(wait_queue_head_t *q, wait_queue_t *wait)
{
	KP_FUNC(__add_wait_queue_exclusive, wait);
	wait_assign_id(&wait->kp);
	wait->flags |= WQ_FLAG_EXCLUSIVE;
	list_add_tail(&wait->task_list, &q->task_list);
}

void __remove_wait_queue(wait_queue_head_t *head, wait_queue_t *old)
{
	KP_FUNC(__remove_wait_queue, old);
	(void)head;
	list_del_init(&old->task_list);
}

void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
	KP_FUNC(add_wait_queue, wait);
	unsigned long flags;
	wait->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&q->lock, flags);
	__add_wait_queue(q, wait);
	spin_unlock_irqrestore(&q->lock, flags);
}

void add_wait_queue_exclusive(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;
	spin_lock_irqsave(&q->lock, flags);
	__add_wait_queue_exclusive(q, wait);
	spin_unlock_irqrestore(&q->lock, flags);
}

void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;
	spin_lock_irqsave(&q->lock, flags);
	__remove_wait_queue(q, wait);
	spin_unlock_irqrestore(&q->lock, flags);
}

void prepare_to_wait(wait_queue_head_t *q, wait_queue_t *wait, int state)
{
	KP_FUNC(prepare_to_wait, wait);
	unsigned long flags;
	wait->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&q->lock, flags);
	if (list_empty(&wait->task_list))
		__add_wait_queue(q, wait);
	set_current_state(state);
	spin_unlock_irqrestore(&q->lock, flags);
}

void prepare_to_wait_exclusive(wait_queue_head_t *q, wait_queue_t *wait,
			       int state)
{
	KP_FUNC(prepare_to_wait_exclusive, wait);
	unsigned long flags;
	spin_lock_irqsave(&q->lock, flags);
	if (list_empty(&wait->task_list)) {
		wait_assign_id(&wait->kp);
		wait->flags |= WQ_FLAG_EXCLUSIVE;
		list_add_tail(&wait->task_list, &q->task_list);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&q->lock, flags);
}

void finish_wait(wait_queue_head_t *q, wait_queue_t *wait)
{
	KP_FUNC(finish_wait, wait);
	unsigned long flags;
	__set_current_state(TASK_RUNNING);
	if (!list_empty(&wait->task_list)) {
		spin_lock_irqsave(&q->lock, flags);
		list_del_init(&wait->task_list);
		spin_unlock_irqrestore(&q->lock, flags);
	}
}

int default_wake_function(wait_queue_t *wait, unsigned mode, int flags,
			  void *key)
{
	KP_FUNC(default_wake_function, wait);
	(void)key;
	return try_to_wake_up(wait->private, mode, flags);
}

int autoremove_wake_function(wait_queue_t *wait, unsigned mode, int flags,
			     void *key)
{
	KP_FUNC(autoremove_wake_function, wait);
	int ret = default_wake_function(wait, mode, flags, key);
	if (ret)
		list_del_init(&wait->task_list);
	return ret;
}

void __wake_up_common(wait_queue_head_t *q, unsigned int mode,
		      int nr_exclusive, int wake_flags, void *key)
{
	KP_FUNC_ARG(__wake_up_common, KP_NOOBJ, nr_exclusive);
	wait_queue_t *curr, *next;
	list_for_each_entry_safe(curr, next, &q->task_list, task_list) {
		unsigned flags = curr->flags;
		if (curr->func(curr, mode, wake_flags, key) &&
		    (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
}

void __wake_up(wait_queue_head_t *q, unsigned int mode, int nr_exclusive,
	       void *key)
{
	KP_FUNC0(__wake_up);
	unsigned long flags;
	spin_lock_irqsave(&q->lock, flags);
	__wake_up_common(q, mode, nr_exclusive, 0, key);
	spin_unlock_irqrestore(&q->lock, flags);
}

void __wake_up_sync_key(wait_queue_head_t *q, unsigned int mode,
			int nr_exclusive, void *key)
{
	KP_FUNC0(__wake_up_sync_key);
	unsigned long flags;
	int wake_flags = nr_exclusive == 1 ? WF_SYNC : 0;
	spin_lock_irqsave(&q->lock, flags);
	__wake_up_common(q, mode, nr_exclusive, wake_flags, key);
	spin_unlock_irqrestore(&q->lock, flags);
}

void wake_up_interruptible_sync_poll(wait_queue_head_t *q, unsigned long key)
{
	KP_FUNC0(wake_up_interruptible_sync_poll);
	__wake_up_sync_key(q, TASK_INTERRUPTIBLE, 1, (void *)key);
}

void wake_up_locked(wait_queue_head_t *q)
{
	KP_FUNC0(wake_up_locked);
	__wake_up_common(q, TASK_NORMAL, 1, 0, NULL);
}
