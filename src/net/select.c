/*
 * select.c - poll(2) and select(2), as fs/select.c in 3.10: sys_poll ->
 * do_sys_poll (poll_initwait, do_poll, poll_freewait); sys_select ->
 * core_sys_select -> do_select.  The first pass over the files queues a
 * poll_table_entry (func pollwake) on each wait queue through
 * __pollwait; once something is ready, _qproc is cleared so later polls
 * only ask.  With nothing ready the task sleeps in poll_schedule_timeout
 * until pollwake sets triggered and wakes it, then polls everything
 * again - the O(n) per call that epoll avoids.
 *
 * Departures: at most KP_POLL_ENTRIES wait entries per call (Linux chains
 * pages of them; beyond that the call fails with ENOMEM), no signals, no
 * timer slack, select's timeout is not written back.
 */
#include "select.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "file.h"
#include "sched/sched.h"
#include "sched/timer.h"
#include "uaccess.h"

#define DEFAULT_POLLMASK (KP_POLLIN | KP_POLLOUT | KP_POLLRDNORM | KP_POLLWRNORM)
#define POLLIN_SET (KP_POLLRDNORM | KP_POLLRDBAND | KP_POLLIN | KP_POLLHUP | \
		    KP_POLLERR)
#define POLLOUT_SET (KP_POLLWRBAND | KP_POLLWRNORM | KP_POLLOUT | KP_POLLERR)
#define POLLEX_SET (KP_POLLPRI)
#define BITS_PER_LONG (8 * (int)sizeof(unsigned long))

/* ---- the poll table: one wait entry per file visited ---- */

int pollwake(wait_queue_t *wait, unsigned mode, int sync, void *key)
{
	KP_FUNC(pollwake, wait);
	struct poll_table_entry *entry =
		container_of(wait, struct poll_table_entry, wait);
	struct poll_wqueues *pwq = wait->private;
	wait_queue_t dummy_wait;

	if (key && !((unsigned long)key & entry->key))
		return 0;
	/* __pollwake: mark it, then wake the task that polls */
	pwq->triggered = 1;
	memset(&dummy_wait, 0, sizeof(dummy_wait));
	dummy_wait.private = pwq->polling_task;
	return default_wake_function(&dummy_wait, mode, sync, key);
}

static void __pollwait(struct file *filp, wait_queue_head_t *wait_address,
		       poll_table *p)
{
	KP_FUNC(__pollwait, filp);
	struct poll_wqueues *pwq = container_of(p, struct poll_wqueues, pt);
	struct poll_table_entry *entry;

	if (pwq->inline_index >= KP_POLL_ENTRIES) {
		pwq->error = -ENOMEM;
		return;
	}
	entry = &pwq->inline_entries[pwq->inline_index++];
	filp->f_count++; /* get_file */
	entry->filp = filp;
	entry->wait_address = wait_address;
	entry->key = p->_key;
	init_waitqueue_func_entry(&entry->wait, pollwake);
	entry->wait.private = pwq;
	add_wait_queue(wait_address, &entry->wait);
}

static void poll_initwait(struct poll_wqueues *pwq)
{
	init_poll_funcptr(&pwq->pt, __pollwait);
	pwq->polling_task = current;
	pwq->triggered = 0;
	pwq->error = 0;
	pwq->inline_index = 0;
}

static void poll_freewait(struct poll_wqueues *pwq)
{
	KP_FUNC_ARG(poll_freewait, KP_NOOBJ, pwq->inline_index);
	for (int i = 0; i < pwq->inline_index; i++) {
		struct poll_table_entry *entry = &pwq->inline_entries[i];
		remove_wait_queue(entry->wait_address, &entry->wait);
		fput(entry->filp);
	}
	pwq->inline_index = 0;
}

/* Sleep until a pollwake or @expires (0: forever); 0 when timed out. */
static int poll_schedule_timeout(struct poll_wqueues *pwq, int state,
				 uint64_t expires)
{
	KP_FUNC_ARG(poll_schedule_timeout, KP_NOOBJ, expires);
	int rc = -EINTR;

	set_current_state(state);
	if (!pwq->triggered)
		rc = schedule_hrtimeout_range(expires, 0);
	__set_current_state(TASK_RUNNING);
	/* the next pass polls again; a wake-up from now on re-triggers */
	pwq->triggered = 0;
	return rc;
}

static uint64_t end_time_of(int timeout_msecs, bool *zero)
{
	*zero = timeout_msecs == 0;
	if (timeout_msecs <= 0)
		return 0;
	return local_clock() + (uint64_t)timeout_msecs * NSEC_PER_MSEC;
}

/* ---- poll(2) ---- */

static unsigned int do_pollfd(struct kp_pollfd *pollfd, poll_table *pwait)
{
	unsigned int mask = 0;
	int fd = pollfd->fd;

	if (fd >= 0) {
		struct file *f = fget(fd);
		mask = KP_POLLNVAL;
		if (f) {
			mask = DEFAULT_POLLMASK;
			if (f->f_op->poll) {
				if (pwait)
					pwait->_key = (unsigned short)
						pollfd->events |
						KP_POLLERR | KP_POLLHUP;
				mask = f->f_op->poll(f, pwait);
			}
			mask &= (unsigned short)pollfd->events | KP_POLLERR |
				KP_POLLHUP;
			fput(f);
		}
	}
	pollfd->revents = (short)mask;
	return mask;
}

static int do_poll(unsigned int nfds, struct kp_pollfd *fds,
		   struct poll_wqueues *wait, uint64_t end_time,
		   bool zero_timeout)
{
	KP_FUNC_ARG(do_poll, KP_NOOBJ, nfds);
	poll_table *pt = &wait->pt;
	int timed_out = 0, count = 0;

	if (zero_timeout) {
		pt->_qproc = NULL;
		timed_out = 1;
	}
	for (;;) {
		for (unsigned int i = 0; i < nfds; i++) {
			if (do_pollfd(&fds[i], pt)) {
				count++;
				pt->_qproc = NULL;
			}
		}
		/* all waiters are queued after the first pass */
		pt->_qproc = NULL;
		if (!count)
			count = wait->error;
		if (count || timed_out)
			break;
		if (!poll_schedule_timeout(wait, TASK_INTERRUPTIBLE, end_time))
			timed_out = 1;
	}
	return count;
}

static int do_sys_poll(struct kp_pollfd *ufds, unsigned int nfds,
		       uint64_t end_time, bool zero_timeout)
{
	KP_FUNC_ARG(do_sys_poll, KP_NOOBJ, nfds);
	struct poll_wqueues table;
	struct kp_pollfd *fds;
	int fdcount, err = -EFAULT;

	if (nfds > KP_NR_OPEN_DEFAULT)
		return -EINVAL;
	fds = calloc(nfds ? nfds : 1, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	if (nfds && copy_from_user(fds, ufds, nfds * sizeof(*fds)))
		goto out;
	poll_initwait(&table);
	fdcount = do_poll(nfds, fds, &table, end_time, zero_timeout);
	poll_freewait(&table);
	for (unsigned int i = 0; i < nfds; i++)
		if (copy_to_user(&ufds[i].revents, &fds[i].revents,
				 sizeof(fds[i].revents)))
			goto out;
	err = fdcount;
out:
	free(fds);
	return err;
}

int sys_poll(struct kp_pollfd *ufds, unsigned int nfds, int timeout_msecs)
{
	KP_FUNC_ARG(sys_poll, KP_NOOBJ, nfds);
	bool zero;
	uint64_t end_time = end_time_of(timeout_msecs, &zero);
	return do_sys_poll(ufds, nfds, end_time, zero);
}

/* ---- select(2) ---- */

struct fd_set_bits {
	kp_fd_set in, out, ex, res_in, res_out, res_ex;
};

static int max_select_fd(int n, const struct fd_set_bits *fds)
{
	for (int i = 0; i < n; i++) {
		if (!kp_fd_isset(i, &fds->in) && !kp_fd_isset(i, &fds->out) &&
		    !kp_fd_isset(i, &fds->ex))
			continue;
		struct file *f = fget(i);
		if (!f)
			return -EBADF;
		fput(f);
	}
	return n;
}

static int do_select(int n, struct fd_set_bits *fds, uint64_t end_time,
		     bool zero_timeout)
{
	KP_FUNC_ARG(do_select, KP_NOOBJ, n);
	struct poll_wqueues table;
	poll_table *wait;
	int retval, timed_out = 0;

	retval = max_select_fd(n, fds);
	if (retval < 0)
		return retval;
	poll_initwait(&table);
	wait = &table.pt;
	if (zero_timeout) {
		wait->_qproc = NULL;
		timed_out = 1;
	}
	retval = 0;
	for (;;) {
		for (int i = 0; i < n; i++) {
			bool in = kp_fd_isset(i, &fds->in);
			bool out = kp_fd_isset(i, &fds->out);
			bool ex = kp_fd_isset(i, &fds->ex);
			if (!in && !out && !ex)
				continue;
			struct file *f = fget(i);
			if (!f)
				continue;
			unsigned int mask = DEFAULT_POLLMASK;
			if (f->f_op->poll) {
				/* wait_key_set */
				wait->_key = POLLEX_SET |
					     (in ? POLLIN_SET : 0) |
					     (out ? POLLOUT_SET : 0);
				mask = f->f_op->poll(f, wait);
			}
			fput(f);
			if ((mask & POLLIN_SET) && in) {
				kp_fd_set_bit(i, &fds->res_in);
				retval++;
				wait->_qproc = NULL;
			}
			if ((mask & POLLOUT_SET) && out) {
				kp_fd_set_bit(i, &fds->res_out);
				retval++;
				wait->_qproc = NULL;
			}
			if ((mask & POLLEX_SET) && ex) {
				kp_fd_set_bit(i, &fds->res_ex);
				retval++;
				wait->_qproc = NULL;
			}
		}
		wait->_qproc = NULL;
		if (retval || timed_out)
			break;
		if (table.error) {
			retval = table.error;
			break;
		}
		if (!poll_schedule_timeout(&table, TASK_INTERRUPTIBLE,
					   end_time))
			timed_out = 1;
	}
	poll_freewait(&table);
	return retval;
}

static int core_sys_select(int n, kp_fd_set *inp, kp_fd_set *outp,
			   kp_fd_set *exp, uint64_t end_time,
			   bool zero_timeout)
{
	KP_FUNC_ARG(core_sys_select, KP_NOOBJ, n);
	struct fd_set_bits *fds;
	int ret;

	if (n < 0 || n > KP_FD_SETSIZE)
		return -EINVAL;
	fds = calloc(1, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	ret = -EFAULT;
	if ((inp && copy_from_user(&fds->in, inp, sizeof(*inp))) ||
	    (outp && copy_from_user(&fds->out, outp, sizeof(*outp))) ||
	    (exp && copy_from_user(&fds->ex, exp, sizeof(*exp))))
		goto out;
	ret = do_select(n, fds, end_time, zero_timeout);
	if (ret < 0)
		goto out;
	if ((inp && copy_to_user(inp, &fds->res_in, sizeof(*inp))) ||
	    (outp && copy_to_user(outp, &fds->res_out, sizeof(*outp))) ||
	    (exp && copy_to_user(exp, &fds->res_ex, sizeof(*exp))))
		ret = -EFAULT;
out:
	free(fds);
	return ret;
}

int sys_select(int n, kp_fd_set *inp, kp_fd_set *outp, kp_fd_set *exp,
	       int timeout_msecs)
{
	KP_FUNC_ARG(sys_select, KP_NOOBJ, n);
	bool zero;
	uint64_t end_time = end_time_of(timeout_msecs, &zero);
	return core_sys_select(n, inp, outp, exp, end_time, zero);
}
