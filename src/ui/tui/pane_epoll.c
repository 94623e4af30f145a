/*
 * pane_epoll.c - the epoll pane: every eventpoll of the host shown, with
 * its red-black tree of epitems (rbr, drawn sideways: in order, indented
 * by depth, R/B colour), the ready list rdllist, and the wait queue wq
 * of tasks blocked in epoll_wait with each entry's func and flags.
 * Eventpolls are found through the host's open files (src/net/file.c),
 * as /proc/PID/fdinfo finds them.  Also home of the wait-queue text the
 * sockets pane shares.
 */
#include <stdio.h>
#include <string.h>

#include "net/eventpoll.h"
#include "net/file.h"
#include "sched/host.h"
#include "tui.h"
#include "ui/format_sock.h"

static const char *wait_func_name(wait_queue_func_t func)
{
	if (func == default_wake_function)
		return "default_wake_function";
	if (func == autoremove_wake_function)
		return "autoremove_wake_function";
	if (func == ep_poll_callback)
		return "ep_poll_callback";
	return func ? "?" : "NULL";
}

void tui_fmt_wait_entry(char *buf, size_t size, const wait_queue_t *wq)
{
	const struct task_struct *task = wq->private;
	char who[48];
	if (wq->func == ep_poll_callback) {
		const struct eppoll_entry *pwq =
			container_of(wq, struct eppoll_entry, wait);
		snprintf(who, sizeof(who), "epi#%u", pwq->base->kp.id);
	} else if (task) {
		snprintf(who, sizeof(who), "%s[%d]", task->comm,
			 (int)task->pid);
	} else {
		snprintf(who, sizeof(who), "-");
	}
	snprintf(buf, size, "%s %s%s", who, wait_func_name(wq->func),
		 wq->flags & WQ_FLAG_EXCLUSIVE ? " EXCLUSIVE" : "");
}

void tui_wait_queue_lines(struct tui_lines *out, const char *label,
			  const wait_queue_head_t *q)
{
	const wait_queue_t *wq;
	char entry[128];
	if (!q->task_list.next || list_empty(&q->task_list)) {
		tui_lines_printf(out, TUI_A_NORMAL, "  %s: -", label);
		return;
	}
	tui_lines_printf(out, TUI_A_NORMAL, "  %s:", label);
	list_for_each_entry(wq, &q->task_list, task_list) {
		tui_fmt_wait_entry(entry, sizeof(entry), wq);
		tui_lines_printf(out, TUI_A_NORMAL, "    %s", entry);
	}
}

static int node_depth(const struct rb_node *n)
{
	int d = 0;
	while (n->parent) {
		n = n->parent;
		d++;
	}
	return d;
}

static void render_ep(struct tui_lines *out, const struct eventpoll *ep)
{
	char ev[64], rdl[256];
	const struct epitem *epi;
	size_t len = 0;

	tui_lines_printf(out, TUI_A_HEAD,
			 "ep#%u  items %d  callbacks %lu  wakeups %lu",
			 ep->kp.id, ep->nr_items, ep->callbacks, ep->wakeups);
	rdl[0] = '\0';
	list_for_each_entry(epi, &ep->rdllist, rdllink)
		if (len + 1 < sizeof(rdl))
			len += (size_t)snprintf(rdl + len, sizeof(rdl) - len,
						"%sepi#%u(fd %d)",
						len ? " " : "", epi->kp.id,
						epi->ffd.fd);
	tui_lines_printf(out, TUI_A_NORMAL, "  rdllist: %s",
			 rdl[0] ? rdl : "-");
	tui_wait_queue_lines(out, "wq", &ep->wq);
	if (RB_EMPTY_ROOT(&ep->rbr)) {
		tui_lines_add(out, TUI_A_NORMAL, "  rbr: (empty)");
		return;
	}
	tui_lines_add(out, TUI_A_NORMAL, "  rbr:");
	for (const struct rb_node *n = rb_first(&ep->rbr); n; n = rb_next(n)) {
		epi = rb_entry(n, struct epitem, rbn);
		kp_fmt_epoll_events(ev, sizeof(ev), epi->event.events, true);
		tui_lines_printf(out, TUI_A_NORMAL, "    %*s%c epi#%u fd %d %s",
				 2 * node_depth(n), "",
				 n->color == RB_RED ? 'R' : 'B', epi->kp.id,
				 epi->ffd.fd, ev);
	}
}

static void epoll_render(struct tui *t, struct tui_pane *p,
			 struct tui_lines *out, int rows, int cols)
{
	(void)p;
	(void)rows;
	(void)cols;
	struct kp_host *h = tui_host(t);
	struct file *f;
	int n = 0;
	if (h && h->fs && h->fs->files.next) {
		list_for_each_entry(f, &h->fs->files, f_host_link) {
			const struct eventpoll *ep = kp_file_eventpoll(f);
			if (ep) {
				render_ep(out, ep);
				n++;
			}
		}
	}
	if (!n)
		tui_lines_add(out, TUI_A_DIM, "(no epoll instance on this host)");
}

const struct tui_pane_ops tui_pane_epoll = {
	.name = "epoll",
	.key = '6',
	.left = true,
	.weight = 2,
	.mark_changes = true,
	.render = epoll_render,
	.on_key = NULL,
	.title = NULL,
};
