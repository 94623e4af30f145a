/*
 * pane_sock.c - the sockets pane: every struct sock of the host shown
 * (kp_net_socks, as `ss` walks them) with its addresses and state, the
 * receive queue skb by skb (the packet pane's skb in brackets and its
 * line highlighted), the backlog's skbs and the socket lock's owner, receive-buffer accounting and
 * drops, and the entries on its wait queue (sk_sleep: tasks blocked in
 * recvfrom with autoremove_wake_function, epitems with
 * ep_poll_callback).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "net/core/net_namespace.h"
#include "net/core/sock.h"
#include "sched/host.h"
#include "tui.h"

static void addr_text(char *buf, size_t size, uint32_t addr, uint16_t port)
{
	char a[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr };
	if (!addr)
		snprintf(a, sizeof(a), "*");
	else
		inet_ntop(AF_INET, &in, a, sizeof(a));
	if (port)
		snprintf(buf, size, "%s:%u", a, port);
	else
		snprintf(buf, size, "%s:*", a);
}

/* @q's skbs as "skb#3 [skb#4] (2)" (the followed one in brackets);
 * true when it holds the followed skb. */
static bool queue_text(char *buf, size_t size, const struct sk_buff_head *q,
		       uint32_t sel)
{
	size_t len = 0;
	bool held = false;
	buf[0] = '\0';
	if (!q->next || q->qlen == 0) {
		snprintf(buf, size, "-");
		return false;
	}
	for (const struct sk_buff *skb = q->next;
	     skb && skb != (const struct sk_buff *)q && len + 16 < size;
	     skb = skb->next) {
		held = held || (sel && skb->kp.id == sel);
		len += (size_t)snprintf(buf + len, size - len,
					skb->kp.id == sel ? "%s[skb#%u]"
							  : "%sskb#%u",
					len ? " " : "", skb->kp.id);
	}
	snprintf(buf + len, size - len, " (%u)", q->qlen);
	return held;
}

/* The skbs on @sk's backlog (release_sock runs them), "" when none. */
static bool backlog_text(char *buf, size_t size, const struct sock *sk,
			 uint32_t sel)
{
	size_t len = 0;
	bool held = false;
	buf[0] = '\0';
	for (const struct sk_buff *skb = sk->sk_backlog.head;
	     skb && len + 16 < size; skb = skb->next) {
		held = held || (sel && skb->kp.id == sel);
		len += (size_t)snprintf(buf + len, size - len,
					skb->kp.id == sel ? "%s[skb#%u]"
							  : "%sskb#%u",
					len ? " " : "", skb->kp.id);
	}
	return held;
}

static void render_sock(struct tui *t, struct tui_lines *out,
			struct sock *sk)
{
	char local[32], peer[32], q[256], owner[48] = "-";
	const struct sock_common *c = &sk->__sk_common;
	addr_text(local, sizeof(local), c->skc_rcv_saddr, c->skc_num);
	addr_text(peer, sizeof(peer), c->skc_daddr, ntohs(c->skc_dport));
	tui_lines_printf(out, TUI_A_HEAD, "sk#%u %s %s %s -> %s", sk->kp.id,
			 sk->sk_prot && sk->sk_prot->name ? sk->sk_prot->name
							  : "?",
			 kp_sock_state_name(sk), local, peer);
	tui_lines_printf(out, TUI_A_NORMAL,
			 "  rmem %d/%d  drops %d  refcnt %d", sk->sk_rmem_alloc,
			 sk->sk_rcvbuf, sk->sk_drops, sk->sk_refcnt);
	bool held = queue_text(q, sizeof(q), &sk->sk_receive_queue,
			       t->skb_sel);
	tui_lines_printf(out, held ? TUI_A_SEL : TUI_A_NORMAL,
			 "  sk_receive_queue: %s", q);
	if (sk->sk_lock.owned && sk->sk_lock.owner)
		snprintf(owner, sizeof(owner), "%s[%d]",
			 sk->sk_lock.owner->comm, (int)sk->sk_lock.owner->pid);
	held = backlog_text(q, sizeof(q), sk, t->skb_sel);
	tui_lines_printf(out, held ? TUI_A_SEL : TUI_A_NORMAL,
			 "  backlog %d bytes%s%s  lock owner %s",
			 sk->sk_backlog.len, q[0] ? " " : "", q, owner);
	if (sk->sk_wq)
		tui_wait_queue_lines(out, "sk_sleep", &sk->sk_wq->wait);
	if (sk->sk_lock.wq.task_list.next &&
	    !list_empty(&sk->sk_lock.wq.task_list))
		tui_wait_queue_lines(out, "lock_sock waiters", &sk->sk_lock.wq);
}

static void sock_render(struct tui *t, struct tui_pane *p,
			struct tui_lines *out, int rows, int cols)
{
	(void)p;
	(void)rows;
	(void)cols;
	struct kp_host *h = tui_host(t);
	struct list_head *socks = h ? kp_net_socks(h->net) : NULL;
	struct sock *sk;
	int n = 0;
	if (socks && socks->next)
		list_for_each_entry(sk, socks, kp_node) {
			render_sock(t, out, sk);
			n++;
		}
	if (!n)
		tui_lines_add(out, TUI_A_DIM, "(no sockets on this host)");
}

const struct tui_pane_ops tui_pane_sock = {
	.name = "Sockets",
	.key = '5',
	.left = true,
	.weight = 3,
	.mark_changes = true,
	.render = sock_render,
	.on_key = NULL,
	.title = NULL,
};
