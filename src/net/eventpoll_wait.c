/*
 * eventpoll_wait.c - epoll_wait, as fs/eventpoll.c in 3.10: ep_poll
 * sleeps on ep->wq until ep_poll_callback (eventpoll.c) has put an
 * epitem on rdllist, then ep_send_events scans the ready list
 * (ep_scan_ready_list, with ovflist catching what becomes ready
 * meanwhile) and ep_send_events_proc re-polls each item, copies its
 * events out and re-queues level-triggered ones.
 *
 * Leaves out: wakeup sources (EPOLLWAKEUP), busy polling, signals
 * interrupting the wait (-EINTR), epoll_pwait's signal mask.
 */
#include "eventpoll.h"

#include <errno.h>

#include "engine/probe.h"
#include "eventpoll_priv.h"
#include "file.h"
#include "sched/sched.h"
#include "sched/timer.h"
#include "uaccess.h"

struct ep_send_events_data {
	int maxevents;
	struct epoll_event *events;
};

static int ep_send_events_proc(struct eventpoll *ep, struct list_head *head,
			       void *priv)
{
	KP_FUNC(ep_send_events_proc, ep);
	struct ep_send_events_data *esed = priv;
	struct epoll_event *uevent = esed->events;
	poll_table pt;
	int eventcnt = 0;

	init_poll_funcptr(&pt, NULL);
	while (!list_empty(head) && eventcnt < esed->maxevents) {
		struct epitem *epi =
			list_first_entry(head, struct epitem, rdllink);
		list_del_init(&epi->rdllink);
		unsigned int revents = ep_item_poll(epi, &pt);
		if (!revents)
			continue; /* consumed meanwhile: drop it */
		struct epoll_event ev = { revents, epi->event.data };
		if (copy_to_user(uevent, &ev, sizeof(ev))) {
			list_add(&epi->rdllink, head);
			return eventcnt ? eventcnt : -EFAULT;
		}
		eventcnt++;
		uevent++;
		if (epi->event.events & EPOLLONESHOT)
			epi->event.events &= EP_PRIVATE_BITS;
		else if (!(epi->event.events & EPOLLET))
			/* level-triggered: back on the ready list, so the
			 * next epoll_wait polls it again */
			list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	return eventcnt;
}

static int ep_scan_ready_list(struct eventpoll *ep,
			      int (*sproc)(struct eventpoll *,
					   struct list_head *, void *),
			      void *priv)
{
	KP_FUNC(ep_scan_ready_list, ep);
	struct list_head txlist;
	unsigned long flags;
	INIT_LIST_HEAD(&txlist);

	spin_lock_irqsave(&ep->lock, flags);
	list_splice_tail_init(&ep->rdllist, &txlist);
	ep->ovflist = NULL;
	spin_unlock_irqrestore(&ep->lock, flags);

	int error = sproc(ep, &txlist, priv);

	spin_lock_irqsave(&ep->lock, flags);
	/* events that came while we copied, parked on ovflist */
	struct epitem *nepi, *epi;
	for (nepi = ep->ovflist; (epi = nepi) != NULL;
	     nepi = epi->next, epi->next = EP_UNACTIVE_PTR) {
		if (!ep_is_linked(&epi->rdllink))
			list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	ep->ovflist = EP_UNACTIVE_PTR;
	/* what was not sent goes back in front */
	list_splice_tail_init(&ep->rdllist, &txlist);
	list_splice_tail_init(&txlist, &ep->rdllist);
	if (!list_empty(&ep->rdllist) && waitqueue_active(&ep->wq)) {
		ep->wakeups++;
		wake_up_locked(&ep->wq);
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	return error;
}

static int ep_send_events(struct eventpoll *ep, struct epoll_event *events,
			  int maxevents)
{
	KP_FUNC(ep_send_events, ep);
	struct ep_send_events_data esed = { maxevents, events };
	return ep_scan_ready_list(ep, ep_send_events_proc, &esed);
}

static int ep_poll(struct eventpoll *ep, struct epoll_event *events,
		   int maxevents, long timeout)
{
	KP_FUNC_ARG(ep_poll, ep, timeout);
	int res = 0, eavail, timed_out = 0, slept = 0;
	unsigned long flags;
	uint64_t expires = 0;
	wait_queue_t wait;

	if (timeout > 0) {
		expires = local_clock() + (uint64_t)timeout * NSEC_PER_MSEC;
	} else if (timeout == 0) {
		timed_out = 1;
		spin_lock_irqsave(&ep->lock, flags);
		goto check_events;
	}
fetch_events:
	spin_lock_irqsave(&ep->lock, flags);
	if (!ep_events_available(ep)) {
		init_waitqueue_entry(&wait, current);
		__add_wait_queue_exclusive(&ep->wq, &wait);
		for (;;) {
			set_current_state(TASK_INTERRUPTIBLE);
			if (ep_events_available(ep) || timed_out)
				break;
			spin_unlock_irqrestore(&ep->lock, flags);
			slept = 1;
			if (!schedule_hrtimeout_range(expires, 0))
				timed_out = 1;
			spin_lock_irqsave(&ep->lock, flags);
		}
		__remove_wait_queue(&ep->wq, &wait);
		set_current_state(TASK_RUNNING);
	}
check_events:
	eavail = ep_events_available(ep);
	spin_unlock_irqrestore(&ep->lock, flags);
	if (!res && eavail && !(res = ep_send_events(ep, events, maxevents)) &&
	    !timed_out) {
		/* Nothing left to report: another waiter took the events, or a
		 * level-triggered item was re-polled empty.  Only the first
		 * costs a wake-up: count those. */
		if (slept)
			ep->empty_wakeups++;
		slept = 0;
		goto fetch_events;
	}
	return res;
}

int sys_epoll_wait(int epfd, struct epoll_event *events, int maxevents,
		   int timeout)
{
	KP_FUNC_ARG(sys_epoll_wait, KP_NOOBJ, epfd);
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!events)
		return -EFAULT;
	struct file *f = fget(epfd);
	if (!f)
		return -EBADF;
	struct eventpoll *ep = kp_file_eventpoll(f);
	int error = ep ? ep_poll(ep, events, maxevents, timeout) : -EINVAL;
	fput(f);
	return error;
}
