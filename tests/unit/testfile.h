/*
 * testfile.h - a struct file for the poll/select/epoll unit tests that
 * is readable while `ready` is set, like a socket with data: its poll
 * method registers the caller's wait entry on its own wait queue
 * (poll_wait), as sock_poll does.  (Static: include it once per test.)
 */
#ifndef KP_TEST_TESTFILE_H
#define KP_TEST_TESTFILE_H

#include "net/file.h"
#include "net/poll.h"
#include "sched/wait.h"

struct testfile {
	wait_queue_head_t wq;
	int ready;
};

static unsigned int testfile_poll(struct file *file, poll_table *pt)
{
	struct testfile *tf = file->private_data;
	poll_wait(file, &tf->wq, pt);
	return tf->ready ? KP_POLLIN | KP_POLLRDNORM : 0;
}

static const struct file_operations testfile_fops = {
	.name = "testfile",
	.poll = testfile_poll,
	.release = NULL,
};

#endif
