/*
 * cmd_sock.c - looking at sockets: `ss -tuanpmi` in ss's own columns (UDP
 * sockets in the order the UDP hash table holds them, as udp_diag walks
 * it, then TCP's; ss_table.c lays them out), and `show sock ID`: one struct sock with its addresses, buffer
 * accounting, receive queue, lock and the entries of its wait queue (who
 * sleeps there and what a wake-up will call).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "engine/ids.h"
#include "format_net.h"
#include "format_sock.h"
#include "net/core/net_namespace.h"
#include "net/core/sock.h"
#include "net/eventpoll.h"
#include "net/file.h"
#include "net/ipv4/udp.h"
#include "net/select.h"
#include "net/socket.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "cmd_ss_tcp.h"
#include "session.h"
#include "ss_table.h"

static void addr_port(char *buf, size_t n, uint32_t addr, uint16_t port_be,
		      bool star_port)
{
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &addr, a, sizeof(a));
	if (star_port && !port_be)
		snprintf(buf, n, "%s:*", a);
	else
		snprintf(buf, n, "%s:%u", a, ntohs(port_be));
}

/* users:(("comm",pid=N,fd=N),...) of every task holding the socket */
static void sock_users(char *buf, size_t n, struct kp_host *h,
		       const struct sock *sk)
{
	size_t used = 0;
	struct task_struct *t;
	buf[0] = '\0';
	if (!sk->sk_socket || !sk->sk_socket->file)
		return;
	list_for_each_entry(t, &h->tasks, tasks) {
		int fd = kp_fd_of(t->files, sk->sk_socket->file);
		if (fd < 0)
			continue;
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0,
					 "%s(\"%s\",pid=%d,fd=%d)",
					 used ? "," : "users:(", t->comm,
					 (int)t->pid, fd);
		if (used >= n)
			break;
	}
	if (used && used + 2 < n)
		strcat(buf, ")");
}

/* The UDP sockets in the order the UDP hash table holds them, as
 * udp_diag walks it; unconnected ones (UNCONN) only with @all. */
static void ss_udp(struct ss_table *t, struct kp_host *h, bool all, bool mem)
{
	struct udp_table *tbl = &h->net->udp->udp_table;
	for (unsigned slot = 0; slot <= tbl->mask; slot++) {
		struct sock *sk;
		list_for_each_entry(sk, &tbl->hash[slot].head, sk_node) {
			const struct inet_sock *inet = inet_sk(sk);
			if (!all && sk->sk_state == TCP_CLOSE)
				continue;
			struct ss_row *r = ss_table_add(
				t, sk, "udp", inet->inet_rcv_saddr,
				inet->inet_num, inet->inet_daddr,
				inet->inet_dport);
			if (!r)
				return;
			r->state = kp_sock_state_name(sk);
			r->rq = sk_rmem_alloc_get(sk);
			r->sq = sk_wmem_alloc_get(sk);
			if (!mem)
				continue;
			struct kp_strbuf sb;
			struct kp_out line;
			kp_strbuf_init(&sb);
			kp_out_init_strbuf(&line, &sb);
			kp_ss_skmem(&line, sk);
			r->extra = sb.buf; /* the row owns the text now */
		}
	}
}

static int cmd_ss(struct kp_session *s, int argc, char **argv,
		  struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	bool all = false, udp = false, tcp = false, proc = false;
	bool mem = false, info = false;
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-')
			return KP_CMD_USAGE;
		for (const char *c = argv[i] + 1; *c; c++) {
			switch (*c) {
			case 'a': all = true; break;
			case 'u': udp = true; break;
			case 't': tcp = true; break;
			case 'm': mem = true; break;
			case 'i': info = true; break;
			case 'n': break;
			case 'p': proc = true; break;
			default:
				return kp_cmd_error(s, out,
						    "ss: option -%c is not "
						    "emulated; try ss -tuanpmi", *c);
			}
		}
	}
	if (!udp && !tcp)
		udp = true;
	if (!h || !h->net || !h->net->udp)
		return kp_cmd_error(s, out, "no network stack yet (the host "
					    "has not run inet_init)");
	struct ss_table t = { .netid = udp && tcp };
	if (udp)
		ss_udp(&t, h, all, mem);
	if (tcp)
		kp_ss_tcp(&t, h, all, mem, info);
	for (size_t i = 0; proc && i < t.n; i++) {
		char users[256];
		sock_users(users, sizeof(users), h, t.rows[i].sk);
		if (users[0])
			t.rows[i].process = strdup(users);
	}
	ss_table_print(out, &t);
	ss_table_free(&t);
	return 0;
}

const struct kp_cmd kp_cmd_ss = {
	.name = "ss",
	.usage = "ss [-tuanpmi] [HOST]",
	.summary = "socket statistics: TCP and UDP sockets, queues, owners",
	.help = "Lists the sockets of HOST (default: server) as ss(8) does.\n"
		"-t TCP, -u UDP (the default), -a also listening and\n"
		"unconnected (UNCONN) ones, -n numeric, -p the owning\n"
		"processes, -m each socket's skmem:(r rmem_alloc, rb rcvbuf,\n"
		"t wmem_alloc, tb sndbuf, f forward_alloc, w wmem_queued,\n"
		"o, bl backlog, d drops) and -i the tcp_info line (cwnd,\n"
		"rtt, rto...) of TCP sockets.  Recv-Q of a UDP socket is\n"
		"sk_rmem_alloc: the truesize of the datagrams waiting in\n"
		"sk_receive_queue, to compare with sk_rcvbuf ('show sock');\n"
		"of a TCP listener, the accept queue against its backlog.\n"
		"\n"
		"Example:\n"
		"  run udp-server 7000\n"
		"  ss -uanp\n"
		"  ss -uam\n"
		"  ss -tanmi\n",
	.group = "network",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_ss,
};

/* ---- show sock ---- */

static const char *wait_func_name(wait_queue_func_t f)
{
	if (f == autoremove_wake_function)
		return "autoremove_wake_function";
	if (f == default_wake_function)
		return "default_wake_function";
	if (f == ep_poll_callback)
		return "ep_poll_callback";
	if (f == pollwake)
		return "pollwake";
	return "?";
}

void kp_fmt_waitqueue(struct kp_out *out, const char *name,
		      wait_queue_head_t *q)
{
	wait_queue_t *wq;
	int n = 0;
	list_for_each_entry(wq, &q->task_list, task_list)
		n++;
	kp_printf(out, "  %s: %d entr%s\n", name, n, n == 1 ? "y" : "ies");
	list_for_each_entry(wq, &q->task_list, task_list) {
		kp_printf(out, "    wait#%u func %s flags %s", wq->kp.id,
			  wait_func_name(wq->func),
			  wq->flags & WQ_FLAG_EXCLUSIVE ? "EXCLUSIVE" : "0");
		if (wq->func == ep_poll_callback) {
			struct eppoll_entry *pwq =
				container_of(wq, struct eppoll_entry, wait);
			kp_printf(out, " epi#%u of ep#%u", pwq->base->kp.id,
				  pwq->base->ep->kp.id);
		} else if (wq->func == pollwake && wq->private) {
			struct poll_wqueues *pwq = wq->private;
			struct task_struct *t = pwq->polling_task;
			kp_printf(out, " poll_wqueues of %s/%d (%s)", t->comm,
				  (int)t->pid, kp_task_state_name(t->state));
		} else if (wq->private) {
			struct task_struct *t = wq->private;
			kp_printf(out, " task %s/%d (%s)", t->comm, (int)t->pid,
				  kp_task_state_name(t->state));
		}
		kp_puts(out, "\n");
	}
}

static struct sock *find_sock(struct kp_world *w, uint32_t id,
			      struct kp_host **hp)
{
	for (int i = 0; i < w->nr_hosts; i++) {
		struct sock *sk = kp_sock_find(w->hosts[i]->net, id);
		if (sk) {
			*hp = w->hosts[i];
			return sk;
		}
	}
	return NULL;
}

static int cmd_show_sock(struct kp_session *s, int argc, char **argv,
			 struct kp_out *out)
{
	struct kp_world *w = s->world;
	if (argc == 0) {
		/* every sock of every host */
		for (int i = 0; i < w->nr_hosts; i++) {
			struct list_head *socks = kp_net_socks(w->hosts[i]->net);
			struct sock *sk;
			if (!socks)
				continue;
			list_for_each_entry(sk, socks, kp_node) {
				char la[40];
				addr_port(la, sizeof(la),
					  inet_sk(sk)->inet_rcv_saddr,
					  inet_sk(sk)->inet_sport, true);
				kp_printf(out, "sk#%u %s %s %s %s rmem %d/%d "
					       "queue %u\n",
					  sk->kp.id, w->hosts[i]->name,
					  sk->sk_prot->name,
					  kp_sock_state_name(sk), la,
					  sk->sk_rmem_alloc, sk->sk_rcvbuf,
					  skb_queue_len(&sk->sk_receive_queue));
			}
		}
		return 0;
	}
	const char *arg = argv[0];
	uint32_t id;
	enum kp_obj_kind kind;
	if (kp_obj_parse(arg, &kind, &id) == 0) {
		if (kind != KP_OBJ_SOCK)
			return kp_cmd_error(s, out, "'%s' is not a sock; try "
						    "show sock sk#N", arg);
	} else {
		char *end;
		id = (uint32_t)strtoul(arg, &end, 10);
		if (*end || !id)
			return KP_CMD_USAGE;
	}
	struct kp_host *h = NULL;
	struct sock *sk = find_sock(w, id, &h);
	if (!sk)
		return kp_cmd_error(s, out, "no sk#%u; 'show sock' lists them",
				    id);
	struct inet_sock *inet = inet_sk(sk);
	char la[40], ra[40];
	addr_port(la, sizeof(la), inet->inet_rcv_saddr, inet->inet_sport, true);
	addr_port(ra, sizeof(ra), inet->inet_daddr, inet->inet_dport, true);
	kp_printf(out, "sk#%u on %s: %s %s %s, state %s\n", sk->kp.id, h->name,
		  sk->sk_family == AF_INET ? "AF_INET" : "?",
		  sk->sk_type == SOCK_DGRAM ? "SOCK_DGRAM" : "SOCK_STREAM",
		  sk->sk_prot->name, kp_sock_state_name(sk));
	kp_printf(out, "  local %s  remote %s\n", la, ra);
	if (sk->sk_socket) {
		struct socket *sock = sk->sk_socket;
		kp_printf(out, "  socket: %s, ops %s, file socket:[%lu]%s\n",
			  sock->state == SS_CONNECTED ? "SS_CONNECTED"
						      : "SS_UNCONNECTED",
			  sock->ops ? sock->ops->name : "-",
			  sock->file ? sock->file->f_ino : 0ul,
			  sock->file && (sock->file->f_flags & O_NONBLOCK)
				  ? " O_NONBLOCK"
				  : "");
	} else {
		kp_puts(out, "  socket: none (orphaned)\n");
	}
	kp_printf(out, "  sk_rcvbuf %d  sk_rmem_alloc %d  sk_forward_alloc %d"
		       "  sk_drops %d\n",
		  sk->sk_rcvbuf, sk->sk_rmem_alloc, sk->sk_forward_alloc,
		  sk->sk_drops);
	kp_printf(out, "  sk_sndbuf %d  sk_wmem_alloc %d\n", sk->sk_sndbuf,
		  sk->sk_wmem_alloc);
	if (sk->sk_rcvtimeo == (long)(~0ul >> 1))
		kp_puts(out, "  sk_rcvtimeo forever");
	else
		kp_printf(out, "  sk_rcvtimeo %ld jiffies", sk->sk_rcvtimeo);
	kp_printf(out, "  sk_reuse %d  sk_reuseport %d\n", sk->sk_reuse,
		  sk->sk_reuseport);
	if (sk->sk_lock.owned && sk->sk_lock.owner)
		kp_printf(out, "  sk_lock: owned by %s/%d\n",
			  sk->sk_lock.owner->comm, (int)sk->sk_lock.owner->pid);
	else
		kp_puts(out, "  sk_lock: not owned\n");

	kp_printf(out, "  sk_receive_queue: %u skb%s\n",
		  skb_queue_len(&sk->sk_receive_queue),
		  skb_queue_len(&sk->sk_receive_queue) == 1 ? "" : "s");
	struct sk_buff *skb;
	skb_queue_walk(&sk->sk_receive_queue, skb)
		kp_printf(out, "    skb#%u len %u truesize %u\n", skb->kp.id,
			  skb->len, skb->truesize);
	if (sk->sk_backlog.head) {
		kp_printf(out, "  sk_backlog: len %d\n", sk->sk_backlog.len);
		for (skb = sk->sk_backlog.head; skb; skb = skb->next)
			kp_printf(out, "    skb#%u len %u\n", skb->kp.id,
				  skb->len);
	}
	if (sk->sk_wq)
		kp_fmt_waitqueue(out, "sk_wq->wait", &sk->sk_wq->wait);
	if (waitqueue_active(&sk->sk_lock.wq))
		kp_fmt_waitqueue(out, "sk_lock.wq", &sk->sk_lock.wq);
	kp_printf(out, "  sk_data_ready %s\n",
		  sk->sk_data_ready == sock_def_readable ? "sock_def_readable"
							 : "?");
	return 0;
}

static void complete_show_sock(struct kp_session *s, int argc, char **argv,
			       struct kp_completions *c)
{
	(void)argv;
	if (argc)
		return;
	struct kp_world *w = s->world;
	for (int i = 0; i < w->nr_hosts; i++) {
		struct list_head *socks = kp_net_socks(w->hosts[i]->net);
		struct sock *sk;
		if (!socks)
			continue;
		list_for_each_entry(sk, socks, kp_node) {
			char name[24];
			snprintf(name, sizeof(name), "sk#%u", sk->kp.id);
			kp_complete_add(c, name);
		}
	}
}

const struct kp_cmd kp_cmd_show_sock = {
	.name = "show sock",
	.usage = "show sock [sk#N]",
	.summary = "a socket: addresses, buffers, receive queue, wait queue",
	.help = "Without an argument, one line per socket of every host.\n"
		"With sk#N: the struct sock - family, type, state, local and\n"
		"remote address, sk_rcvbuf against sk_rmem_alloc, the skbs in\n"
		"sk_receive_queue, the owner of the socket lock, and each entry\n"
		"of the socket's wait queue with its func\n"
		"(autoremove_wake_function for a task blocked in recvfrom,\n"
		"ep_poll_callback for an epitem), its flags (EXCLUSIVE) and\n"
		"its task.\n"
		"\n"
		"Example:\n"
		"  run udp-server 7000\n"
		"  show sock sk#1\n",
	.group = "network",
	.flags = 0,
	.complete = complete_show_sock,
	.handler = cmd_show_sock,
};

/* ---- ls -l /proc/PID/fd ---- */

static int cmd_ls(struct kp_session *s, int argc, char **argv,
		  struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	int pid;
	char rest[16];
	if (argc != 2 || strcmp(argv[0], "-l") != 0 ||
	    sscanf(argv[1], "/proc/%d/%15s", &pid, rest) != 2 ||
	    strcmp(rest, "fd") != 0)
		return KP_CMD_USAGE;
	struct task_struct *t = h ? kp_task_find(h, pid) : NULL;
	if (!t)
		return kp_cmd_error(s, out, "no process %d on %s; 'ps' lists "
					    "them", pid, h ? h->name : "?");
	struct files_struct *files = t->files;
	int n = 0;
	for (int fd = 0; files && fd < files->max_fds; fd++)
		n += files->fd[fd] != NULL;
	kp_printf(out, "total %d\n", n);
	for (int fd = 0; files && fd < files->max_fds; fd++) {
		struct file *f = files->fd[fd];
		if (!f)
			continue;
		if (kp_file_socket(f))
			kp_printf(out, "lrwx------ 1 root root 64 Jan  1 00:00 "
				       "%d -> socket:[%lu]\n", fd, f->f_ino);
		else
			kp_printf(out, "lrwx------ 1 root root 64 Jan  1 00:00 "
				       "%d -> %s\n", fd,
				  f->f_op->name ? f->f_op->name : "?");
	}
	return 0;
}

const struct kp_cmd kp_cmd_ls = {
	.name = "ls",
	.usage = "ls -l /proc/PID/fd [HOST]",
	.summary = "a process's open file descriptors: sockets, eventpolls",
	.help = "Lists the fd table of process PID on HOST (default: server)\n"
		"as ls -l /proc/PID/fd does: a socket shows as\n"
		"socket:[INODE], the number ss -e and /proc/net/udp print;\n"
		"an epoll fd as anon_inode:[eventpoll].\n"
		"\n"
		"Example:\n"
		"  run udp-server 7000\n"
		"  ls -l /proc/4/fd\n",
	.group = "programs",
	.flags = 0,
	.complete = NULL,
	.handler = cmd_ls,
};
