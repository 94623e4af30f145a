/*
 * eventpoll.c - epoll's set, as fs/eventpoll.c in 3.10 (with
 * EPOLLEXCLUSIVE from 4.5): epoll_create1 allocates an eventpoll
 * (ep_alloc); epoll_ctl inserts an epitem into the red-black tree
 * (ep_insert, ep_remove, ep_modify) and, through the file's poll with
 * ep_ptable_queue_proc, hangs an entry with func = ep_poll_callback
 * (private = NULL) on the file's wait queue; ep_poll_callback moves a
 * woken epitem to rdllist and wakes ep->wq.  The waiting side
 * (epoll_wait: ep_poll, ep_send_events) is eventpoll_wait.c.
 *
 * Departures: the tree is ordered by the file's kpath id instead of its
 * address (same shape, deterministic); no wakeup sources; ep->mtx is not
 * modelled (code between probes is atomic and ep->lock is held where
 * Linux holds it); loop checks for nested epolls are not done, only the
 * check list is kept and cleared as 3.10 does.
 */
#include "eventpoll.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "eventpoll_priv.h"
#include "file.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "uaccess.h"

struct ep_pqueue {
	poll_table pt;
	struct epitem *epi;
};

static unsigned int ep_eventpoll_poll(struct file *file, poll_table *wait);
static int ep_eventpoll_release(struct file *file);

static const struct file_operations eventpoll_fops = {
	.name = "anon_inode:[eventpoll]",
	.poll = ep_eventpoll_poll,
	.release = ep_eventpoll_release,
};

struct eventpoll *kp_file_eventpoll(const struct file *file)
{
	return file && file->f_op == &eventpoll_fops ? file->private_data
						     : NULL;
}

void init_poll_funcptr(poll_table *pt, poll_queue_proc qproc)
{
	KP_FUNC0(init_poll_funcptr);
	pt->_qproc = qproc;
	pt->_key = ~0ul;
}

static struct epitem *ep_item_from_wait(wait_queue_t *p)
{
	KP_FUNC(ep_item_from_wait, p);
	return container_of(p, struct eppoll_entry, wait)->base;
}

int ep_events_available(struct eventpoll *ep)
{
	KP_FUNC(ep_events_available, ep);
	return !list_empty(&ep->rdllist) || ep->ovflist != EP_UNACTIVE_PTR;
}

static int ep_alloc(struct eventpoll **pep)
{
	KP_FUNC0(ep_alloc);
	struct eventpoll *ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	kp_obj_assign(&kp_current_world()->ids, &ep->kp, KP_OBJ_EP);
	spin_lock_init(&ep->lock);
	init_waitqueue_head(&ep->wq);
	init_waitqueue_head(&ep->poll_wait);
	INIT_LIST_HEAD(&ep->rdllist);
	ep->rbr = RB_ROOT;
	ep->ovflist = EP_UNACTIVE_PTR;
	INIT_LIST_HEAD(&ep->host_link);
	*pep = ep;
	return 0;
}

static void ep_set_ffd(struct epoll_filefd *ffd, struct file *file, int fd)
{
	KP_FUNC_ARG(ep_set_ffd, file, fd);
	ffd->file = file;
	ffd->fd = fd;
}

static int ep_cmp_ffd(const struct epoll_filefd *a,
		      const struct epoll_filefd *b)
{
	if (a->file->kp.id != b->file->kp.id)
		return a->file->kp.id > b->file->kp.id ? 1 : -1;
	return a->fd - b->fd;
}

static void ep_rbtree_insert(struct eventpoll *ep, struct epitem *epi)
{
	KP_FUNC(ep_rbtree_insert, epi);
	struct rb_node **p = &ep->rbr.rb_node, *parent = NULL;
	while (*p) {
		parent = *p;
		struct epitem *cur = rb_entry(parent, struct epitem, rbn);
		p = ep_cmp_ffd(&epi->ffd, &cur->ffd) > 0 ? &parent->rb_right
							 : &parent->rb_left;
	}
	rb_link_node(&epi->rbn, parent, p);
	rb_insert_color(&epi->rbn, &ep->rbr);
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	struct epoll_filefd ffd = { file, fd };
	for (struct rb_node *n = ep->rbr.rb_node; n;) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		int kcmp = ep_cmp_ffd(&ffd, &epi->ffd);
		if (kcmp > 0)
			n = n->rb_right;
		else if (kcmp < 0)
			n = n->rb_left;
		else
			return epi;
	}
	return NULL;
}

/* Poll the watched file; with a queueing @pt this also hangs our entry. */
unsigned int ep_item_poll(struct epitem *epi, poll_table *pt)
{
	KP_FUNC(ep_item_poll, epi);
	pt->_key = epi->event.events;
	return epi->ffd.file->f_op->poll(epi->ffd.file, pt) &
	       epi->event.events;
}

int ep_poll_callback(wait_queue_t *wait, unsigned mode, int sync, void *key)
{
	KP_FUNC(ep_poll_callback, wait);
	(void)mode;
	(void)sync;
	struct epitem *epi = ep_item_from_wait(wait);
	struct eventpoll *ep = epi->ep;
	unsigned long pollflags = (unsigned long)key;
	unsigned long flags;
	int ewake = 0;

	spin_lock_irqsave(&ep->lock, flags);
	ep->callbacks++;
	/* EPOLLONESHOT fired and not re-armed: nothing to report */
	if (!(epi->event.events & ~EP_PRIVATE_BITS))
		goto out_unlock;
	if (pollflags && !(pollflags & epi->event.events))
		goto out_unlock;
	/* epoll_wait is copying rdllist out: park on ovflist */
	if (ep->ovflist != EP_UNACTIVE_PTR) {
		if (epi->next == EP_UNACTIVE_PTR) {
			epi->next = ep->ovflist;
			ep->ovflist = epi;
		}
		goto out_unlock;
	}
	if (!ep_is_linked(&epi->rdllink))
		list_add_tail(&epi->rdllink, &ep->rdllist);
	if (waitqueue_active(&ep->wq)) {
		ewake = 1;
		ep->wakeups++;
		wake_up_locked(&ep->wq);
	}
	if (waitqueue_active(&ep->poll_wait))
		__wake_up(&ep->poll_wait, TASK_NORMAL, 1,
			  (void *)(unsigned long)KP_POLLIN);
out_unlock:
	spin_unlock_irqrestore(&ep->lock, flags);
	/* With EPOLLEXCLUSIVE, only an actual wake-up counts against
	 * nr_exclusive in __wake_up_common (Linux 4.5+). */
	if (epi->event.events & EPOLLEXCLUSIVE)
		return ewake;
	return 1;
}

static void ep_ptable_queue_proc(struct file *file, wait_queue_head_t *whead,
				 poll_table *pt)
{
	KP_FUNC(ep_ptable_queue_proc, file);
	struct epitem *epi = container_of(pt, struct ep_pqueue, pt)->epi;
	struct eppoll_entry *pwq = calloc(1, sizeof(*pwq));
	if (!pwq)
		return;
	init_waitqueue_func_entry(&pwq->wait, ep_poll_callback);
	pwq->whead = whead;
	pwq->base = epi;
	if (epi->event.events & EPOLLEXCLUSIVE)
		add_wait_queue_exclusive(whead, &pwq->wait);
	else
		add_wait_queue(whead, &pwq->wait);
	list_add_tail(&pwq->llink, &epi->pwqlist);
	epi->nwait++;
}

static void ep_unregister_pollwait(struct epitem *epi)
{
	while (!list_empty(&epi->pwqlist)) {
		struct eppoll_entry *pwq =
			list_first_entry(&epi->pwqlist, struct eppoll_entry,
					 llink);
		list_del_init(&pwq->llink);
		remove_wait_queue(pwq->whead, &pwq->wait);
		free(pwq);
	}
	epi->nwait = 0;
}

static int ep_insert(struct eventpoll *ep, struct epoll_event *event,
		     struct file *tfile, int fd)
{
	KP_FUNC_ARG(ep_insert, ep, fd);
	struct epitem *epi = calloc(1, sizeof(*epi));
	if (!epi)
		return -ENOMEM;
	kp_obj_assign(&kp_current_world()->ids, &epi->kp, KP_OBJ_EPI);
	INIT_LIST_HEAD(&epi->rdllink);
	INIT_LIST_HEAD(&epi->fllink);
	INIT_LIST_HEAD(&epi->pwqlist);
	epi->ep = ep;
	ep_set_ffd(&epi->ffd, tfile, fd);
	epi->event = *event;
	epi->nwait = 0;
	epi->next = EP_UNACTIVE_PTR;

	struct ep_pqueue epq;
	epq.epi = epi;
	init_poll_funcptr(&epq.pt, ep_ptable_queue_proc);
	/* polls the file and, through ep_ptable_queue_proc, hangs
	 * ep_poll_callback on its wait queue */
	unsigned int revents = ep_item_poll(epi, &epq.pt);

	list_add_tail(&epi->fllink, &tfile->f_ep_links);
	ep_rbtree_insert(ep, epi);
	ep->nr_items++;

	unsigned long flags;
	spin_lock_irqsave(&ep->lock, flags);
	if (revents && !ep_is_linked(&epi->rdllink)) {
		list_add_tail(&epi->rdllink, &ep->rdllist);
		if (waitqueue_active(&ep->wq))
			wake_up_locked(&ep->wq);
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	return 0;
}

static int ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	unsigned long flags;
	ep_unregister_pollwait(epi);
	list_del_init(&epi->fllink);
	rb_erase(&epi->rbn, &ep->rbr);
	ep->nr_items--;
	spin_lock_irqsave(&ep->lock, flags);
	if (ep_is_linked(&epi->rdllink))
		list_del_init(&epi->rdllink);
	if (epi->next != EP_UNACTIVE_PTR) {
		/* unlink from ovflist */
		for (struct epitem **pp = &ep->ovflist;
		     *pp && *pp != EP_UNACTIVE_PTR; pp = &(*pp)->next) {
			if (*pp == epi) {
				*pp = epi->next;
				break;
			}
		}
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	free(epi);
	return 0;
}

static int ep_modify(struct eventpoll *ep, struct epitem *epi,
		     const struct epoll_event *event)
{
	poll_table pt;
	init_poll_funcptr(&pt, NULL);
	epi->event.events = event->events;
	epi->event.data = event->data;
	unsigned int revents = ep_item_poll(epi, &pt);
	if (revents) {
		unsigned long flags;
		spin_lock_irqsave(&ep->lock, flags);
		if (!ep_is_linked(&epi->rdllink)) {
			list_add_tail(&epi->rdllink, &ep->rdllist);
			if (waitqueue_active(&ep->wq))
				wake_up_locked(&ep->wq);
		}
		spin_unlock_irqrestore(&ep->lock, flags);
	}
	return 0;
}

static unsigned int ep_eventpoll_poll(struct file *file, poll_table *wait)
{
	KP_FUNC(ep_eventpoll_poll, file);
	struct eventpoll *ep = file->private_data;
	poll_wait(file, &ep->poll_wait, wait);
	return ep_events_available(ep) ? KP_POLLIN | KP_POLLRDNORM : 0;
}

static int ep_eventpoll_release(struct file *file)
{
	struct eventpoll *ep = file->private_data;
	while (!RB_EMPTY_ROOT(&ep->rbr))
		ep_remove(ep, rb_entry(rb_first(&ep->rbr), struct epitem, rbn));
	list_del_init(&ep->host_link);
	free(ep);
	return 0;
}

void kp_eventpoll_teardown(struct file *file)
{
	struct eventpoll *ep = file->private_data;
	struct rb_node *n;
	if (!ep)
		return;
	while ((n = rb_first(&ep->rbr)) != NULL) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		rb_erase(n, &ep->rbr);
		while (!list_empty(&epi->pwqlist)) {
			struct eppoll_entry *pwq = list_first_entry(
				&epi->pwqlist, struct eppoll_entry, llink);
			list_del(&pwq->llink);
			free(pwq);
		}
		free(epi);
	}
	free(ep);
	file->private_data = NULL;
}

void eventpoll_release(struct file *file)
{
	while (!list_empty(&file->f_ep_links)) {
		struct epitem *epi = list_first_entry(&file->f_ep_links,
						      struct epitem, fllink);
		ep_remove(epi->ep, epi);
	}
}

static void clear_tfile_check_list(void)
{
	KP_FUNC0(clear_tfile_check_list);
	struct kp_fs *fs = current_host()->fs;
	if (!fs)
		return;
	while (!list_empty(&fs->tfile_check_list)) {
		struct file *f = list_first_entry(&fs->tfile_check_list,
						  struct file, f_tfile_llink);
		list_del_init(&f->f_tfile_llink);
	}
}

/* ---- system calls ---- */

int sys_epoll_create1(int flags)
{
	KP_FUNC_ARG(sys_epoll_create1, KP_NOOBJ, flags);
	struct eventpoll *ep = NULL;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	int error = ep_alloc(&ep);
	if (error < 0)
		return error;
	int fd = get_unused_fd_flags((unsigned int)flags);
	if (fd < 0) {
		free(ep);
		return fd;
	}
	struct file *file = anon_inode_getfile("[eventpoll]", &eventpoll_fops,
					       ep, flags & O_CLOEXEC);
	if (!file) {
		put_unused_fd(fd);
		free(ep);
		return -ENOMEM;
	}
	ep->file = file;
	fd_install(fd, file);
	return fd;
}

int sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	KP_FUNC_ARG(sys_epoll_ctl, KP_NOOBJ, op);
	struct epoll_event epds = { 0, 0 };
	int error;

	if (op != EPOLL_CTL_DEL &&
	    copy_from_user(&epds, event, sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *file = fget(epfd);
	if (!file)
		return -EBADF;
	struct file *tfile = fget(fd);
	if (!tfile) {
		error = -EBADF;
		goto error_fput;
	}
	error = -EPERM;
	if (!tfile->f_op->poll)
		goto error_tgt_fput;
	error = -EINVAL;
	struct eventpoll *ep = kp_file_eventpoll(file);
	if (file == tfile || !ep)
		goto error_tgt_fput;
	if (epds.events & EPOLLEXCLUSIVE) {
		if (op == EPOLL_CTL_MOD)
			goto error_tgt_fput;
		if (op == EPOLL_CTL_ADD && (kp_file_eventpoll(tfile) ||
					    (epds.events & EPOLLONESHOT)))
			goto error_tgt_fput;
	}
	if (op == EPOLL_CTL_ADD && kp_file_eventpoll(tfile))
		list_add(&tfile->f_tfile_llink,
			 &current_host()->fs->tfile_check_list);

	struct epitem *epi = ep_find(ep, tfile, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (!epi) {
			epds.events |= EPOLLERR | EPOLLHUP;
			error = ep_insert(ep, &epds, tfile, fd);
		} else {
			error = -EEXIST;
		}
		clear_tfile_check_list();
		break;
	case EPOLL_CTL_DEL:
		error = epi ? ep_remove(ep, epi) : -ENOENT;
		break;
	case EPOLL_CTL_MOD:
		if (epi) {
			if (!(epi->event.events & EPOLLEXCLUSIVE)) {
				epds.events |= EPOLLERR | EPOLLHUP;
				error = ep_modify(ep, epi, &epds);
			}
		} else {
			error = -ENOENT;
		}
		break;
	default:
		error = -EINVAL;
	}
error_tgt_fput:
	fput(tfile);
error_fput:
	fput(file);
	return error;
}
