/*
 * cmd_proc.c - `cat FILE`: the /proc files a Linux user reads to watch
 * the receive path, in the kernel's own format - /proc/net/softnet_stat,
 * /proc/interrupts, /proc/net/snmp, /proc/net/netstat, /proc/net/dev,
 * /proc/net/tcp (tcp4_seq_show), /proc/net/udp (udp4_seq_show) - and every
 * tunable as /proc/sys/net/...
 * (one number and a newline).
 *
 * The table below is the list of files; another /proc file (say
 * /proc/PID/status) is one more entry.  Left out: everything else in
 * /proc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "net/file.h"
#include "net/ipv4/tcp.h"
#include "net/ipv4/udp.h"
#include "proc_pid.h"
#include "sched/host.h"
#include "session.h"

struct proc_file {
	const char *path;
	void (*show)(struct kp_out *out, struct kp_host *h);
};

static void show_softnet_stat(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_softnet_stat(out, h);
}

static void show_snmp(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_proc_snmp(out, h->net);
}

static void show_netstat(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_proc_netstat(out, h->net);
}

static void show_net_dev(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_proc_net_dev(out, h->net);
}

/* ---- /proc/net/tcp (net/ipv4/tcp_ipv4.c, tcp4_seq_show) ---- */

#define PROC_TCP_TMPSZ 150 /* each line padded to TMPSZ - 1 */

struct proc_tcp_iter {
	struct kp_out *out;
	unsigned long now; /* jiffies */
	int sl;
};

/* The line, padded with blanks to TMPSZ - 1 as seq_pad does. */
static void proc_tcp_line(struct kp_out *out, const char *line)
{
	kp_printf(out, "%-*s\n", PROC_TCP_TMPSZ - 1, line);
}

/* jiffies (HZ 1000) to clock_t (USER_HZ 100) */
static long proc_tcp_clock_t(long j)
{
	return j / (HZ / 100);
}

static void proc_tcp_sock(struct sock *sk, void *arg)
{
	struct proc_tcp_iter *it = arg;
	const struct inet_sock *inet = inet_sk(sk);
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	int state = sk->sk_state, timer_active = 0;
	char line[PROC_TCP_TMPSZ + 64];
	long expires = 0;
	int32_t rxq;
	unsigned long ino = 0;

	if (sk->sk_socket && sk->sk_socket->file)
		ino = sk->sk_socket->file->f_ino;
	if (state == TCP_TIME_WAIT) {
		/* get_timewait4_sock: substate, timer 3 (TIME_WAIT) */
		long delta = (long)(icsk->kp_tw_timer.expires - it->now);
		snprintf(line, sizeof(line),
				"%4d: %08X:%04X %08X:%04X %02X %08X:%08X "
				"%02X:%08lX %08X %5d %8d %d %d %016x",
				it->sl++, inet->inet_rcv_saddr, inet->inet_num,
				inet->inet_daddr, ntohs(inet->inet_dport),
				state, 0, 0, 3,
				(unsigned long)proc_tcp_clock_t(delta > 0 ? delta
									  : 0),
				0, 0, 0, 0, sk->sk_refcnt, 0);
		proc_tcp_line(it->out, line);
		return;
	}
	if (icsk->icsk_pending == ICSK_TIME_RETRANS ||
	    icsk->icsk_pending == ICSK_TIME_REO_TIMEOUT ||
	    icsk->icsk_pending == ICSK_TIME_LOSS_PROBE) {
		timer_active = 1;
		expires = (long)(icsk->icsk_timeout - it->now);
	} else if (icsk->icsk_pending == ICSK_TIME_PROBE0) {
		timer_active = 4;
		expires = (long)(icsk->icsk_timeout - it->now);
	}
	if (state == TCP_LISTEN)
		rxq = icsk->icsk_accept_queue.accept_qlen;
	else
		rxq = (int32_t)(tp->rcv_nxt - tp->copied_seq) > 0
			      ? (int32_t)(tp->rcv_nxt - tp->copied_seq)
			      : 0;
	snprintf(line, sizeof(line),
			"%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX "
			"%08X %5u %8d %lu %d %016x %lu %lu %u %u %d",
			it->sl++, inet->inet_rcv_saddr, inet->inet_num,
			inet->inet_daddr, ntohs(inet->inet_dport), state,
			tp->write_seq - tp->snd_una, (uint32_t)rxq,
			timer_active,
			(unsigned long)proc_tcp_clock_t(expires > 0 ? expires
								    : 0),
			icsk->icsk_retransmits, 0u, 0, ino, sk->sk_refcnt, 0,
			(unsigned long)proc_tcp_clock_t((long)icsk->icsk_rto),
			(unsigned long)proc_tcp_clock_t(
				(long)icsk->icsk_ack.ato),
			(unsigned)((icsk->icsk_ack.quick << 1) |
				   (icsk->icsk_ack.pingpong ? 1 : 0)),
			tp->snd_cwnd,
			state == TCP_LISTEN ? 0
			: tp->snd_ssthresh >= TCP_INFINITE_SSTHRESH
				? -1
				: (int)tp->snd_ssthresh);
	proc_tcp_line(it->out, line);
}

static void show_net_tcp(struct kp_out *out, struct kp_host *h)
{
	struct proc_tcp_iter it = {
		.out = out,
		.now = (unsigned long)(kp_world_time(h->world) / NSEC_PER_JIFFY),
	};
	proc_tcp_line(out, "  sl  local_address rem_address   st tx_queue "
			   "rx_queue tr tm->when retrnsmt   uid  timeout inode");
	kp_tcp_for_each_sock(h->net, proc_tcp_sock, &it);
}

/* ---- /proc/net/udp (net/ipv4/udp.c, udp4_seq_show) ---- */

#define PROC_UDP_WIDTH 127 /* seq_setwidth(seq, 127), then seq_pad */

/* One line per socket, hash bucket by bucket as udp_get_first walks them:
 * the bucket, addresses in hex (network order read as a host word, as on
 * little-endian Linux), state 07 (TCP_CLOSE) for an unconnected socket,
 * tx_queue (sk_wmem_alloc), rx_queue (udp_rqueue_get: sk_rmem_alloc),
 * the inode, the refcount, a %pK pointer (0 when kptr_restrict hides it)
 * and sk_drops. */
static void show_net_udp(struct kp_out *out, struct kp_host *h)
{
	struct udp_table *tbl = &h->net->udp->udp_table;
	kp_printf(out, "%-*s\n", PROC_UDP_WIDTH,
		  "   sl  local_address rem_address   st tx_queue rx_queue tr "
		  "tm->when retrnsmt   uid  timeout inode ref pointer drops");
	for (unsigned slot = 0; slot <= tbl->mask; slot++) {
		struct sock *sk;
		list_for_each_entry(sk, &tbl->hash[slot].head, sk_node) {
			const struct inet_sock *inet = inet_sk(sk);
			unsigned long ino = 0;
			char line[PROC_UDP_WIDTH + 64];
			if (sk->sk_socket && sk->sk_socket->file)
				ino = sk->sk_socket->file->f_ino;
			snprintf(line, sizeof(line),
				 "%5u: %08X:%04X %08X:%04X %02X %08X:%08X "
				 "%02X:%08lX %08X %5u %8d %lu %d %016x %u",
				 slot, inet->inet_rcv_saddr, inet->inet_num,
				 inet->inet_daddr, ntohs(inet->inet_dport),
				 sk->sk_state, (uint32_t)sk_wmem_alloc_get(sk),
				 (uint32_t)sk_rmem_alloc_get(sk), 0, 0ul, 0,
				 0u, 0, ino, sk->sk_refcnt, 0,
				 (unsigned)sk->sk_drops);
			kp_printf(out, "%-*s\n", PROC_UDP_WIDTH, line);
		}
	}
}

static const struct proc_file proc_files[] = {
	{ "/proc/interrupts", kp_fmt_proc_interrupts },
	{ "/proc/net/dev", show_net_dev },
	{ "/proc/net/netstat", show_netstat },
	{ "/proc/net/snmp", show_snmp },
	{ "/proc/net/softnet_stat", show_softnet_stat },
	{ "/proc/net/tcp", show_net_tcp },
	{ "/proc/net/udp", show_net_udp },
};

#define NR_PROC_FILES (sizeof(proc_files) / sizeof(proc_files[0]))

static int cat_one(struct kp_session *s, struct kp_out *out,
		   struct kp_host *h, const char *path)
{
	for (size_t i = 0; i < NR_PROC_FILES; i++) {
		if (strcmp(path, proc_files[i].path) == 0) {
			if (!h->net && strcmp(path, "/proc/interrupts") != 0)
				return kp_cmd_error(s, out, "cat: %s: %s has "
							    "no network stack",
						    path, h->name);
			proc_files[i].show(out, h);
			return 0;
		}
	}
	if (kp_proc_pid_path(path))
		return kp_proc_pid_cat(s, out, h, path);
	if (strncmp(path, "/proc/sys/", 10) == 0 && h->net) {
		const struct kp_sysctl_info *si = kp_sysctl_lookup(path + 10);
		if (si) {
			kp_printf(out, "%ld\n", kp_sysctl_get(h->net, si));
			return 0;
		}
	}
	kp_session_print_location(s, out);
	kp_printf(out, "cat: %s: No such file or directory; kpath has",
		  path);
	for (size_t i = 0; i < NR_PROC_FILES; i++)
		kp_printf(out, " %s", proc_files[i].path);
	kp_puts(out, " and /proc/sys/... (see 'sysctl -a')\n");
	return -ENOENT;
}

static int cmd_cat(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	int ret = 0;
	if (!argc)
		return KP_CMD_USAGE;
	for (int i = 0; i < argc; i++) {
		int r = cat_one(s, out, h, argv[i]);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

static void complete_cat(struct kp_session *s, int argc, char **argv,
			 struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_hosts(s, c);
	for (size_t i = 0; i < NR_PROC_FILES; i++)
		kp_complete_add(c, proc_files[i].path);
	for (int k = 0; k < kp_nr_sysctls; k++) {
		char path[160];
		snprintf(path, sizeof(path), "/proc/sys/%s",
			 kp_sysctl_table[k].name);
		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		kp_complete_add(c, path);
	}
}

const struct kp_cmd kp_cmd_cat = {
	.name = "cat",
	.aliases = NULL,
	.usage = "cat [HOST] FILE...",
	.summary = "read /proc files: softnet_stat, interrupts, snmp, netstat, tcp, udp",
	.help = "Prints a /proc file of the host (HOST defaults to server)\n"
		"exactly as the Linux kernel formats it, so what you learn to\n"
		"read here reads the same on a real machine:\n"
		"\n"
		"  /proc/net/softnet_stat  one line per CPU, hex columns:\n"
		"                          processed, dropped (backlog full),\n"
		"                          time_squeeze, 0 x5, cpu_collision,\n"
		"                          received_rps, flow_limit_count,\n"
		"                          backlog length, CPU number\n"
		"  /proc/interrupts        interrupts per line and CPU: the\n"
		"                          NIC's MSI-X vectors (eth0-TxRx-0),\n"
		"                          LOC (timer), CAL (function call)\n"
		"  /proc/net/snmp          Ip, Icmp, IcmpMsg, Tcp, Udp counters\n"
		"  /proc/net/netstat       TcpExt and IpExt counters\n"
		"  /proc/net/dev           per-device packets, errors, drops\n"
		"  /proc/net/tcp           TCP sockets: addresses in hex,\n"
		"                          state, queues, timer, rto, cwnd\n"
		"  /proc/net/udp           UDP sockets by hash bucket: queues,\n"
		"                          inode, refcount, drops\n"
		"  /proc/sys/net/...       a tunable (as 'sysctl -n')\n"
		"\n"
		"'nstat' and 'netstat -s' read the same counters by name.\n"
		"\n"
		"Example:\n"
		"  cat /proc/net/softnet_stat\n"
		"  cat client /proc/interrupts\n"
		"  cat /proc/sys/net/core/netdev_budget\n"
		"  cat /proc/net/udp\n",
	.group = "network",
	.flags = 0,
	.complete = complete_cat,
	.handler = cmd_cat,
};
