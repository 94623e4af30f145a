/*
 * values_sock.c - value paths for processes and epoll (values.def):
 * sums over every task of a name (a herd of workers shares one) and over
 * every eventpoll of a host, the numbers the thundering-herd lessons
 * compare.
 */
#include <errno.h>
#include <string.h>

#include "net/eventpoll.h"
#include "net/file.h"
#include "sched/host.h"
#include "values.h"

static int procs_sum(struct kp_value_query *q, struct kp_value *out,
		     int what)
{
	struct kp_host *h = kp_value_host(q, 0);
	struct task_struct *t;
	int64_t sum = 0, n = 0;
	if (!h)
		return -ESRCH;
	list_for_each_entry(t, &h->tasks, tasks) {
		if (strcmp(t->comm, q->cap[1]) != 0)
			continue;
		n++;
		sum += what == 0 ? (int64_t)t->wakeups
		     : what == 1 ? (int64_t)t->nvcsw
				 : (int64_t)t->nivcsw;
	}
	kp_value_int(out, what < 0 ? n : sum);
	return 0;
}

int value_procs_count(struct kp_value_query *q, struct kp_value *out)
{
	return procs_sum(q, out, -1);
}

int value_procs_wakeups(struct kp_value_query *q, struct kp_value *out)
{
	return procs_sum(q, out, 0);
}

int value_procs_nvcsw(struct kp_value_query *q, struct kp_value *out)
{
	return procs_sum(q, out, 1);
}

int value_procs_nivcsw(struct kp_value_query *q, struct kp_value *out)
{
	return procs_sum(q, out, 2);
}

int value_epoll(struct kp_value_query *q, struct kp_value *out)
{
	struct kp_host *h = kp_value_host(q, 0);
	const char *name = q->cap[1];
	int64_t sum = 0;
	struct file *f;
	if (!h)
		return -ESRCH;
	int what = strcmp(name, "callbacks") == 0       ? 0
		   : strcmp(name, "wakeups") == 0       ? 1
		   : strcmp(name, "empty_wakeups") == 0 ? 2
		   : strcmp(name, "items") == 0         ? 3
		   : strcmp(name, "count") == 0         ? 4
							: -1;
	if (what < 0)
		return kp_value_fail(q, "no epoll count '%s' (callbacks, "
					"wakeups, empty_wakeups, items, count)",
				     name);
	if (h->fs) {
		list_for_each_entry(f, &h->fs->files, f_host_link) {
			const struct eventpoll *ep = kp_file_eventpoll(f);
			if (!ep)
				continue;
			sum += what == 0   ? (int64_t)ep->callbacks
			       : what == 1 ? (int64_t)ep->wakeups
			       : what == 2 ? (int64_t)ep->empty_wakeups
			       : what == 3 ? (int64_t)ep->nr_items
					   : 1;
		}
	}
	kp_value_int(out, sum);
	return 0;
}
