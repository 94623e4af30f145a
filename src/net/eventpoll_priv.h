/*
 * eventpoll_priv.h - what eventpoll.c (the set: epoll_ctl, the callback)
 * and eventpoll_wait.c (epoll_wait) share, both of fs/eventpoll.c in
 * Linux: the "not on ovflist" marker, ep_is_linked, ep_events_available
 * and ep_item_poll.  Nobody else includes it.
 */
#ifndef KP_NET_EVENTPOLL_PRIV_H
#define KP_NET_EVENTPOLL_PRIV_H

#include <stdbool.h>

#include "engine/list.h"
#include "eventpoll.h"
#include "poll.h"

#define EP_UNACTIVE_PTR ((struct epitem *)-1L)

static inline bool ep_is_linked(const struct list_head *p)
{
	return !list_empty(p);
}

/* Is rdllist or ovflist non-empty? */
int ep_events_available(struct eventpoll *ep);
/* Poll the watched file; with a queueing @pt this also hangs our entry. */
unsigned int ep_item_poll(struct epitem *epi, poll_table *pt);

#endif
