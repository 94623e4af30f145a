/*
 * cmd_ep.c - `show ep [ep#N]`: an eventpoll as fs/eventpoll.c keeps it -
 * the red-black tree of epitems (drawn as a tree, colours included), the
 * ready list rdllist, the wait queue wq of tasks in epoll_wait, and
 * kpath's counts of ep_poll_callback calls, wake-ups and wake-ups that
 * found nothing to do (the thundering herd's waste).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_sock.h"
#include "net/eventpoll.h"
#include "net/file.h"
#include "net/socket.h"
#include "sched/host.h"
#include "session.h"

void kp_fmt_epoll_events(char *buf, size_t size, uint32_t ev, bool brief)
{
	static const struct {
		uint32_t bit;
		const char *name;
		const char *brief; /* without "EPOLL" */
	} names[] = {
		{ EPOLLIN, "EPOLLIN", "IN" },
		{ EPOLLOUT, "EPOLLOUT", "OUT" },
		{ EPOLLERR, "EPOLLERR", "ERR" },
		{ EPOLLHUP, "EPOLLHUP", "HUP" },
		{ EPOLLRDHUP, "EPOLLRDHUP", "RDHUP" },
		{ EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE", "EXCL" },
		{ EPOLLONESHOT, "EPOLLONESHOT", "ONESHOT" },
		{ EPOLLET, "EPOLLET", "ET" },
	};
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((ev & names[i].bit) && len + 1 < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? "|" : "",
						brief ? names[i].brief
						      : names[i].name);
	if (!buf[0])
		snprintf(buf, size, "0");
}

static void epi_text(char *buf, size_t size, const struct epitem *epi)
{
	char ev[128];
	const struct socket *sock = kp_file_socket(epi->ffd.file);
	kp_fmt_epoll_events(ev, sizeof(ev), epi->event.events, false);
	if (sock && sock->sk)
		snprintf(buf, size, "epi#%u fd %d (sk#%u) %s", epi->kp.id,
			 epi->ffd.fd, sock->sk->kp.id, ev);
	else
		snprintf(buf, size, "epi#%u fd %d %s", epi->kp.id, epi->ffd.fd,
			 ev);
}

/* The tree sideways-free: each node, then its left and right subtrees
 * indented under it. */
static void show_tree(struct kp_out *out, const struct rb_node *n,
		      const char *prefix, const char *side)
{
	char text[192], sub[128];
	if (!n)
		return;
	epi_text(text, sizeof(text), rb_entry(n, struct epitem, rbn));
	kp_printf(out, "    %s%s%s %s\n", prefix, side,
		  n->color == RB_RED ? "red" : "black", text);
	snprintf(sub, sizeof(sub), "%s%s", prefix, *side ? "    " : "");
	show_tree(out, n->rb_left, sub, "L: ");
	show_tree(out, n->rb_right, sub, "R: ");
}

static void show_one(struct kp_out *out, struct kp_host *h,
		     struct eventpoll *ep)
{
	const struct epitem *epi;
	int ready = 0;
	list_for_each_entry(epi, &ep->rdllist, rdllink)
		ready++;
	kp_printf(out, "ep#%u on %s: %d item%s, %d ready\n", ep->kp.id,
		  h->name, ep->nr_items, ep->nr_items == 1 ? "" : "s", ready);
	kp_printf(out, "  ep_poll_callback %lu  wakeups %lu  "
		       "empty_wakeups %lu\n",
		  ep->callbacks, ep->wakeups, ep->empty_wakeups);
	kp_puts(out, "  rbr (red-black tree by file, fd):\n");
	if (!ep->rbr.rb_node)
		kp_puts(out, "    (empty)\n");
	show_tree(out, ep->rbr.rb_node, "", "");
	kp_printf(out, "  rdllist:%s", list_empty(&ep->rdllist) ? " (empty)"
								 : "");
	list_for_each_entry(epi, &ep->rdllist, rdllink)
		kp_printf(out, " epi#%u", epi->kp.id);
	kp_puts(out, "\n");
	if (ep->ovflist != (struct epitem *)-1L)
		kp_puts(out, "  ovflist: active (ep_scan_ready_list runs)\n");
	kp_fmt_waitqueue(out, "wq", &ep->wq);
	if (waitqueue_active(&ep->poll_wait))
		kp_fmt_waitqueue(out, "poll_wait", &ep->poll_wait);
}

static int cmd_show_ep(struct kp_session *s, int argc, char **argv,
		       struct kp_out *out)
{
	struct kp_world *w = s->world;
	uint32_t id = 0;
	if (argc > 1)
		return KP_CMD_USAGE;
	if (argc == 1) {
		enum kp_obj_kind kind;
		char *end;
		if (kp_obj_parse(argv[0], &kind, &id) == 0) {
			if (kind != KP_OBJ_EP)
				return kp_cmd_error(s, out, "'%s' is not an "
							    "eventpoll; try "
							    "show ep ep#N",
						    argv[0]);
		} else {
			id = (uint32_t)strtoul(argv[0], &end, 10);
			if (*end || !id)
				return KP_CMD_USAGE;
		}
	}
	int n = 0;
	for (int i = 0; i < w->nr_hosts; i++) {
		struct kp_host *h = w->hosts[i];
		struct file *f;
		if (!h->fs)
			continue;
		list_for_each_entry(f, &h->fs->files, f_host_link) {
			struct eventpoll *ep = kp_file_eventpoll(f);
			if (!ep || (id && ep->kp.id != id))
				continue;
			if (id) {
				show_one(out, h, ep);
				return 0;
			}
			int waiters = 0;
			wait_queue_t *wq;
			list_for_each_entry(wq, &ep->wq.task_list, task_list)
				waiters++;
			kp_printf(out, "ep#%u %s items %d waiters %d "
				       "callbacks %lu wakeups %lu "
				       "empty_wakeups %lu\n",
				  ep->kp.id, h->name, ep->nr_items, waiters,
				  ep->callbacks, ep->wakeups,
				  ep->empty_wakeups);
			n++;
		}
	}
	if (id)
		return kp_cmd_error(s, out, "no ep#%u; 'show ep' lists them",
				    id);
	if (!n)
		kp_puts(out, "No eventpoll yet (epoll_create1 makes one).\n");
	return 0;
}

static void complete_show_ep(struct kp_session *s, int argc, char **argv,
			     struct kp_completions *c)
{
	(void)argv;
	if (argc)
		return;
	struct kp_world *w = s->world;
	for (int i = 0; i < w->nr_hosts; i++) {
		struct file *f;
		if (!w->hosts[i]->fs)
			continue;
		list_for_each_entry(f, &w->hosts[i]->fs->files, f_host_link) {
			struct eventpoll *ep = kp_file_eventpoll(f);
			char name[24];
			if (!ep)
				continue;
			snprintf(name, sizeof(name), "ep#%u", ep->kp.id);
			kp_complete_add(c, name);
		}
	}
}

const struct kp_cmd kp_cmd_show_ep = {
	.name = "show ep",
	.usage = "show ep [ep#N]",
	.summary = "an eventpoll: rbtree of epitems, rdllist, wq, wake-ups",
	.help = "Without an argument, one line per eventpoll of every host.\n"
		"With ep#N: the struct eventpoll - its red-black tree of\n"
		"epitems (one per watched fd, with colour and events), rdllist\n"
		"(the epitems ep_poll_callback found ready), wq (tasks asleep\n"
		"in epoll_wait, exclusive entries with default_wake_function)\n"
		"and the counts: ep_poll_callback calls, wake-ups of wq, and\n"
		"empty_wakeups - a woken epoll_wait that found rdllist taken\n"
		"by another waiter and went back to sleep.\n"
		"\n"
		"Example:\n"
		"  run udp-epoll-server 7000\n"
		"  show ep ep#1\n",
	.group = "network",
	.flags = 0,
	.complete = complete_show_ep,
	.handler = cmd_show_ep,
};
