/*
 * test_udp.c - sockets and UDP receive without a NIC: a one-host world
 * runs inet_init, a task blocks in recvfrom, another task hands
 * hand-built IPv4/UDP skbs to udp_rcv (with softirqs off, as
 * ip_local_deliver_finish would), and the checks look at what the
 * receiver got, its state and context switches, the counters, the drop
 * reasons, the rcvbuf limit, EADDRINUSE and EAGAIN.
 * (Test state is file-scope; initcalls take no argument.)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine/probe.h"
#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "net/core/skbuff.h"
#include "net/core/sock.h"
#include "net/ipv4/af_inet.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/udp.h"
#include "net/socket.h"
#include "sched/host.h"
#include "sched/sched.h"
#include "sched/softirq.h"
#include "sched/timer.h"

#define SERVER_IP "10.0.0.2"
#define CLIENT_IP "10.0.0.1"

static struct {
	/* receiver */
	int fd;
	ssize_t got;
	char buf[64];
	struct sockaddr_in from;
	int fromlen;
	long state_while_blocked;
	unsigned long nvcsw_before, nvcsw_after;
	struct task_struct *rx;
	int sk_id;
	/* misc results */
	int eaddrinuse, eagain;
	int small_fd;
	int rcvbuf;
	int accepted, dropped;
	unsigned int truesize;
	struct linger linger_got;
	int linger_len, linger_short;
	struct sockaddr_in name;
	int name_len, name_ret, peer_ret;
} ut;

static void teardown_hosts(struct kp_world *w)
{
	for (int i = 0; i < w->nr_hosts; i++)
		kp_host_destroy(w->hosts[i]);
	w->nr_hosts = 0;
}

static const struct kp_world_ops test_world_ops = {
	.teardown = teardown_hosts,
};

static void host_net_free(struct kp_host *h)
{
	kp_net_free(h->net);
	h->net = NULL;
}

static struct kp_world *run_host(int (*ic)(void))
{
	static struct kp_initcall calls[3];
	calls[0] = (struct kp_initcall){ KP_INITCALL_EARLY, "spawn_ksoftirqd",
					 spawn_ksoftirqd };
	calls[1] = (struct kp_initcall){ KP_INITCALL_FS, "inet_init",
					 inet_init };
	calls[2] = (struct kp_initcall){ KP_INITCALL_LATE, "test", ic };
	struct kp_world *w = calloc(1, sizeof(*w));
	kp_world_init(w, 1, 12);
	w->ops = &test_world_ops;
	struct kp_host_config cfg = { .name = "server", .nr_cpus = 2,
				      .initcalls = calls, .nr_initcalls = 3 };
	struct kp_host *h = kp_host_create(w, &cfg);
	h->net = kp_net_create(h);
	h->net_free = host_net_free;
	kp_host_power_on(h, 0);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
	return w;
}

static void free_world(struct kp_world *w)
{
	kp_world_destroy(w);
	free(w);
}

static void sleep_ms(int ms)
{
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_timeout(ms);
}

/* An IPv4+UDP datagram as ip_local_deliver_finish hands it to udp_rcv:
 * data at the UDP header.  @bad_csum corrupts the checksum. */
static struct sk_buff *make_udp_skb(const char *payload, uint16_t sport,
				    uint16_t dport, bool bad_csum)
{
	struct net *net = current_net();
	size_t plen = strlen(payload);
	struct sk_buff *skb = alloc_skb(net, 128 + (unsigned int)plen);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	struct iphdr *iph = (struct iphdr *)skb_put(skb, sizeof(*iph));
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->tot_len = htons((uint16_t)(20 + 8 + plen));
	inet_pton(AF_INET, CLIENT_IP, &iph->saddr);
	inet_pton(AF_INET, SERVER_IP, &iph->daddr);
	ip_send_check(iph);
	skb_set_transport_header(skb, sizeof(*iph));
	struct udphdr *uh = (struct udphdr *)skb_put(skb, 8);
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons((uint16_t)(8 + plen));
	uh->check = 0;
	memcpy(skb_put(skb, (unsigned int)plen), payload, plen);
	/* checksum over pseudo header + UDP header + payload */
	uint32_t sum = 0, s = ntohl(iph->saddr), d = ntohl(iph->daddr);
	sum += (s >> 16) + (s & 0xffff) + (d >> 16) + (d & 0xffff);
	sum += IPPROTO_UDP + 8 + (uint32_t)plen;
	const unsigned char *b = (const unsigned char *)uh;
	for (size_t i = 0; i < 8 + plen; i += 2)
		sum += (uint32_t)b[i] << 8 | (i + 1 < 8 + plen ? b[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t c = (uint16_t)~sum;
	uh->check = htons(c ? c : 0xffff);
	if (bad_csum)
		uh->check ^= htons(0x0101);
	skb->protocol = ETH_P_IP;
	__skb_pull(skb, sizeof(*iph));
	return skb;
}

static void deliver(struct sk_buff *skb)
{
	local_bh_disable();
	udp_rcv(skb);
	local_bh_enable();
}

static int bind_port(int fd, uint16_t port)
{
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	return sys_bind(fd, (struct sockaddr *)&sin, sizeof(sin));
}

/* ---- blocking receive, woken by the "softirq" ---- */

static void receiver(void *arg)
{
	(void)arg;
	ut.fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	bind_port(ut.fd, 7000);
	struct socket *sock = kp_file_socket(current_files()->fd[ut.fd]);
	ut.sk_id = (int)sock->sk->kp.id;
	int fd2 = sys_socket(AF_INET, SOCK_DGRAM, 0);
	ut.eaddrinuse = bind_port(fd2, 7000);
	sys_close(fd2);
	char tmp[8];
	ut.eagain = (int)sys_recvfrom(ut.fd, tmp, sizeof(tmp), MSG_DONTWAIT,
				      NULL, NULL);
	ut.nvcsw_before = current->nvcsw;
	ut.fromlen = sizeof(ut.from);
	ut.got = sys_recvfrom(ut.fd, ut.buf, sizeof(ut.buf), 0,
			      (struct sockaddr *)&ut.from, &ut.fromlen);
	ut.nvcsw_after = current->nvcsw;
	sys_close(ut.fd);
}

static void sender(void *arg)
{
	(void)arg;
	sleep_ms(2);
	ut.state_while_blocked = ut.rx->state;
	deliver(make_udp_skb("nobody", 4000, 9, false));    /* NoPorts */
	deliver(make_udp_skb("corrupt", 4000, 7000, true)); /* csum */
	deliver(make_udp_skb("hello", 4000, 7000, false));
}

static int blocking_setup(void)
{
	struct kp_host *h = current_host();
	ut.rx = kp_task_create(h, "udp-server", receiver, NULL, -1, false);
	wake_up_process(ut.rx);
	wake_up_process(kp_task_create(h, "sender", sender, NULL, -1, false));
	return 0;
}

KP_TEST(test_udp_blocking_recvfrom)
{
	memset(&ut, 0, sizeof(ut));
	struct kp_world *w = run_host(blocking_setup);
	struct net *net = w->hosts[0]->net;

	KP_CHECK_EQ(st, ut.fd, 3);
	KP_CHECK_EQ(st, ut.eaddrinuse, -EADDRINUSE);
	KP_CHECK_EQ(st, ut.eagain, -EAGAIN);
	KP_CHECK_EQ(st, ut.state_while_blocked, TASK_INTERRUPTIBLE);
	KP_CHECK_EQ(st, ut.got, 5);
	KP_CHECK(st, memcmp(ut.buf, "hello", 5) == 0);
	KP_CHECK_EQ(st, ntohs(ut.from.sin_port), 4000);
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &ut.from.sin_addr, a, sizeof(a));
	KP_CHECK_STR(st, a, CLIENT_IP);
	KP_CHECK_EQ(st, ut.fromlen, (int)sizeof(struct sockaddr_in));
	/* slept once in wait_for_more_packets: one voluntary switch */
	KP_CHECK_EQ(st, ut.nvcsw_after - ut.nvcsw_before, 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Udp_NoPorts], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Udp_InCsumErrors], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Udp_InErrors], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Udp_InDatagrams], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_NO_SOCKET], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_UDP_CSUM], 1);
	/* every skb ended: consumed or dropped */
	KP_CHECK_EQ(st, net->skb.alive, 0);
	KP_CHECK_EQ(st, net->skb.consumed, 1);
	/* closed: no sockets left */
	KP_CHECK(st, list_empty(kp_net_socks(net)));
	free_world(w);
}

/* ---- the receive buffer limit ---- */

static void rcvbuf_task(void *arg)
{
	(void)arg;
	ut.small_fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	int one = 1;
	sys_setsockopt(ut.small_fd, SOL_SOCKET, SO_RCVBUF, (char *)&one,
		       sizeof(one));
	int len = sizeof(ut.rcvbuf);
	sys_getsockopt(ut.small_fd, SOL_SOCKET, SO_RCVBUF, (char *)&ut.rcvbuf,
		       &len);
	/* SO_LINGER round trip; a short optlen is EINVAL */
	struct linger l = { .l_onoff = 1, .l_linger = 5 };
	sys_setsockopt(ut.small_fd, SOL_SOCKET, SO_LINGER, (char *)&l,
		       sizeof(l));
	ut.linger_len = sizeof(ut.linger_got);
	sys_getsockopt(ut.small_fd, SOL_SOCKET, SO_LINGER,
		       (char *)&ut.linger_got, &ut.linger_len);
	ut.linger_short = sys_setsockopt(ut.small_fd, SOL_SOCKET, SO_LINGER,
					 (char *)&l, sizeof(int));
	bind_port(ut.small_fd, 5000);
	/* getsockname: the bound address; getpeername: not connected */
	ut.name_len = sizeof(ut.name);
	ut.name_ret = sys_getsockname(ut.small_fd, (struct sockaddr *)&ut.name,
				      &ut.name_len);
	struct sockaddr_in peer;
	int peer_len = sizeof(peer);
	ut.peer_ret = sys_getpeername(ut.small_fd, (struct sockaddr *)&peer,
				      &peer_len);
	struct sock *sk =
		kp_file_socket(current_files()->fd[ut.small_fd])->sk;
	for (int i = 0; i < 20; i++) {
		struct sk_buff *skb = make_udp_skb("0123456789", 4000, 5000,
						   false);
		ut.truesize = skb->truesize;
		/* Linux 6.15+: refused when it would pass rcvbuf, unless
		 * the queue is empty */
		bool fits = sk->sk_rmem_alloc == 0 ||
			    sk->sk_rmem_alloc + (int)skb->truesize <=
				    sk->sk_rcvbuf;
		deliver(skb);
		if (fits)
			ut.accepted++;
		else
			ut.dropped++;
	}
	ut.sk_id = sk->sk_drops;
	/* keep the socket open: teardown must free it and its queue */
}

static int rcvbuf_setup(void)
{
	wake_up_process(kp_task_create(current_host(), "t", rcvbuf_task, NULL,
				       -1, false));
	return 0;
}

KP_TEST(test_udp_rcvbuf_drop)
{
	memset(&ut, 0, sizeof(ut));
	struct kp_world *w = run_host(rcvbuf_setup);
	struct net *net = w->hosts[0]->net;
	/* SO_RCVBUF 1 is raised to SOCK_MIN_RCVBUF (TCP_SKB_MIN_TRUESIZE,
	 * 2048 + the aligned struct sk_buff) */
	KP_CHECK_EQ(st, ut.rcvbuf, 2304);
	KP_CHECK_EQ(st, ut.linger_got.l_onoff, 1);
	KP_CHECK_EQ(st, ut.linger_got.l_linger, 5);
	KP_CHECK_EQ(st, ut.linger_len, (int)sizeof(struct linger));
	KP_CHECK_EQ(st, ut.linger_short, -EINVAL);
	KP_CHECK_EQ(st, ut.name_ret, 0);
	KP_CHECK_EQ(st, ut.name_len, (int)sizeof(struct sockaddr_in));
	KP_CHECK_EQ(st, ntohs(ut.name.sin_port), 5000);
	KP_CHECK_EQ(st, ut.peer_ret, -ENOTCONN);
	KP_CHECK(st, ut.accepted > 1);
	KP_CHECK(st, ut.dropped > 0);
	KP_CHECK_EQ(st, ut.accepted + ut.dropped, 20);
	/* accepted while rmem_alloc + truesize stayed within rcvbuf */
	KP_CHECK_EQ(st, ut.accepted, (int)(ut.rcvbuf / ut.truesize));
	KP_CHECK_EQ(st, net->mib[KP_MIB_Udp_RcvbufErrors], ut.dropped);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Udp_InErrors], ut.dropped);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_SOCKET_RCVBUFF], ut.dropped);
	KP_CHECK_EQ(st, ut.sk_id, ut.dropped); /* sk_drops */
	free_world(w);
}

KP_TEST_MAIN(test_udp_blocking_recvfrom, test_udp_rcvbuf_drop)
