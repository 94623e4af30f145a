/*
 * tcp_ipv4.c - TCP's IPv4 glue (net/ipv4/tcp_ipv4.c): the receive entry
 * tcp_v4_rcv (checksum, __inet_lookup_skb, socket owned by a task ->
 * backlog, else tcp_prequeue, else tcp_v4_do_rcv), tcp_v4_do_rcv's
 * dispatch by state, listening (tcp_v4_hnd_req, tcp_v4_conn_request,
 * tcp_v4_syn_recv_sock), tcp_v4_connect, checksums, tcp_prot and the
 * per-host tables.
 *
 * tcp_prequeue is 3.10's: with net.ipv4.tcp_low_latency=1 (the default
 * here, and how current Linux behaves - it removed the prequeue in 4.14)
 * it passes every segment on; with 0 it queues segments for a reader
 * sleeping in tcp_recvmsg, which processes them in process context.
 * Leaves out: SYN cookies, TCP-MD5, fast open, early demux.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "engine/prng.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/inet_protocol.h"
#include "net/ipv4/ip_output.h"
#include "sched/sched.h"
#include "tcp.h"

/* ---- checksums ---- */

uint16_t kp_tcp_v4_csum(const struct sk_buff *skb, int offset,
			unsigned int len, uint32_t saddr, uint32_t daddr)
{
	/* the pseudo header as native loads of its network-order words
	 * (csum_tcpudp_nofold), then the segment (skb_checksum) */
	uint64_t sum = (uint64_t)saddr + daddr + htons(IPPROTO_TCP) +
		       htons((uint16_t)len);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	return csum_fold(skb_checksum(skb, offset, (int)len, (uint32_t)sum));
}

/* The full checksum in software (no offload modelled on transmit). */
void tcp_v4_send_check(struct sock *sk, struct sk_buff *skb)
{
	struct inet_sock *inet = inet_sk(sk);
	struct tcphdr *th = tcp_hdr(skb);
	th->check = 0;
	th->check = kp_tcp_v4_csum(skb, skb_transport_offset(skb),
				   skb->len -
					   (unsigned int)skb_transport_offset(skb),
				   inet->inet_saddr, inet->inet_daddr);
	skb->ip_summed = CHECKSUM_NONE;
}

/* ---- connect ---- */

int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = { 0 };
	struct rtable *rt;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	fl4.daddr = usin->sin_addr.s_addr;
	fl4.saddr = inet->inet_saddr;
	fl4.flowi4_proto = IPPROTO_TCP;
	fl4.flowi4_oif = sk->sk_bound_dev_if;
	err = kp_ip_route_output_key(net, &fl4, &rt);
	if (err) {
		if (err == -ENETUNREACH)
			__IP_INC_STATS(net, OutNoRoutes);
		return err;
	}
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST))
		return -ENETUNREACH;
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4.saddr;
	inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_dport = usin->sin_port;
	inet->inet_daddr = usin->sin_addr.s_addr;
	if (rt->dst.dev)
		inet_csk(sk)->icsk_pmtu_cookie = rt->dst.dev->mtu;

	tcp_set_state(sk, TCP_SYN_SENT);
	err = inet_hash_connect(sk);
	if (err)
		goto failure;
	/* secure_tcp_seq and the timestamp offset: random, from the
	 * world's PRNG */
	if (!tp->write_seq)
		tp->write_seq =
			(uint32_t)kp_prng_next(&kp_current_world()->prng);
	tp->snt_isn = tp->write_seq;
	tp->tsoffset = (uint32_t)kp_prng_next(&kp_current_world()->prng);
	inet->inet_id = (uint16_t)(tp->write_seq ^ jiffies);
	err = tcp_connect(sk);
	if (err)
		goto failure;
	return 0;
failure:
	tcp_set_state(sk, TCP_CLOSE);
	inet->inet_dport = 0;
	return err;
}

/* ---- listening ---- */

int tcp_v4_conn_request(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	struct tcp_options_received tmp_opt;
	struct request_sock *req;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	uint32_t rcv_wnd = 0, clamp = 0;

	if (skb_rtable(skb) &&
	    (skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)))
		goto drop;
	if (inet_csk_reqsk_queue_is_full(sk) ||
	    inet_csk(sk)->icsk_accept_queue.qlen >=
		    net->sysctl.tcp_max_syn_backlog)
		goto drop; /* no syncookies: the SYN is dropped */
	if (sk_acceptq_is_full(sk)) {
		__NET_INC_STATS(net, ListenOverflows);
		goto drop;
	}
	req = reqsk_alloc(sk);
	if (!req)
		goto drop;

	memset(&tmp_opt, 0, sizeof(tmp_opt));
	tmp_opt.mss_clamp = TCP_MSS_DEFAULT; /* no MSS option: 536 */
	tmp_opt.user_mss = tcp_sk(sk)->rx_opt.user_mss;
	tcp_parse_options(skb, &tmp_opt, 0);
	req->ir_rmt_addr = iph->saddr;
	req->ir_loc_addr = iph->daddr;
	req->ir_rmt_port = th->source;
	req->ir_num = inet_sk(sk)->inet_num;
	req->rcv_isn = TCP_SKB_CB(skb)->seq;
	req->snt_isn = (uint32_t)kp_prng_next(&kp_current_world()->prng);
	req->tsoffset = (uint32_t)kp_prng_next(&kp_current_world()->prng);
	/* the peer's MSS (capped by TCP_MAXSEG): the child's mss_clamp */
	req->mss = tmp_opt.mss_clamp;
	req->tstamp_ok = tmp_opt.saw_tstamp && net->sysctl.tcp_timestamps;
	req->ts_recent = tmp_opt.saw_tstamp ? tmp_opt.rcv_tsval : 0;
	req->sack_ok = tmp_opt.sack_ok && net->sysctl.tcp_sack;
	req->wscale_ok = tmp_opt.wscale_ok && net->sysctl.tcp_window_scaling;
	req->snd_wscale = req->wscale_ok ? tmp_opt.snd_wscale : 0;
	tcp_select_initial_window(
		sk, sk->sk_rcvbuf / 2,
		req->mss - (req->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0),
		&rcv_wnd, &clamp, req->wscale_ok, &req->rcv_wscale, 0);
	req->rcv_wnd = rcv_wnd;

	inet_csk_reqsk_queue_hash_add(sk, req,
				      msecs_to_jiffies(TCP_TIMEOUT_INIT_MS));
	tcp_v4_send_synack(sk, req);
	return 0;
drop:
	__NET_INC_STATS(net, ListenDrops);
	return 0;
}

struct sock *tcp_v4_syn_recv_sock(struct sock *sk, struct sk_buff *skb,
				  struct request_sock *req)
{
	struct net *net = sock_net(sk);
	struct sock *newsk;

	if (sk_acceptq_is_full(sk)) {
		__NET_INC_STATS(net, ListenOverflows);
		goto exit;
	}
	newsk = tcp_create_openreq_child(sk, req, skb);
	if (!newsk)
		goto exit;
	/* the child's IP ids start at a random value (Linux draws one;
	 * here from the random ISN, leaving the PRNG stream as it was) */
	inet_sk(newsk)->inet_id = (uint16_t)(req->snt_isn >> 16 ^ jiffies);
	/* Linux routes the child here (sk_setup_caps); kpath at its first
	 * send (ip_queue_xmit) - the GSO limit tcp_tso_autosize reads is
	 * the device's from now on, as in Linux */
	newsk->sk_gso_max_size = 65536;
	__inet_inherit_port(sk, newsk);
	__inet_hash_nolisten(newsk);
	return newsk;
exit:
	__NET_INC_STATS(net, ListenDrops);
	return NULL;
}

/* A segment for a listener: the ACK of a pending handshake, or a SYN. */
static struct sock *tcp_v4_hnd_req(struct sock *sk, struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct request_sock *req =
		inet_csk_search_req(sk, th->source, iph->saddr, iph->daddr);
	if (req)
		return tcp_check_req(sk, skb, req);
	return sk;
}

/* ---- receive ---- */

int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC_ARG(tcp_v4_do_rcv, sk, sk->sk_state);

	if (sk->sk_state == TCP_ESTABLISHED) {
		tcp_rcv_established(sk, skb);
		return 0;
	}
	if (sk->sk_state == TCP_LISTEN) {
		struct sock *nsk = tcp_v4_hnd_req(sk, skb);
		if (!nsk)
			goto discard;
		if (nsk != sk) {
			if (tcp_child_process(sk, nsk, skb))
				goto reset;
			return 0;
		}
	}
	if (tcp_rcv_state_process(sk, skb))
		goto reset;
	return 0;
reset:
	tcp_v4_send_reset(sk, skb);
discard:
	kfree_skb_reason(skb, SKB_DROP_REASON_TCP_FLAGS);
	return 0;
}

bool tcp_prequeue(struct sock *sk, struct sk_buff *skb)
{
	KP_FUNC(tcp_prequeue, sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (sock_net(sk)->sysctl.tcp_low_latency || !tp->ucopy.task)
		return false;
	if (skb->len <= (unsigned int)__tcp_hdrlen(tcp_hdr(skb)) &&
	    skb_queue_len(&tp->ucopy.prequeue) == 0)
		return false; /* a pure ACK is processed at once */
	skb_dst_drop(skb);
	__skb_queue_tail(&tp->ucopy.prequeue, skb);
	kp_skb_where(skb, "ucopy.prequeue", sk->kp.id);
	tp->ucopy.memory += (int)skb->truesize;
	if (skb_queue_len(&tp->ucopy.prequeue) == 1) {
		/* wake the reader; it runs the queue in tcp_recvmsg */
		wake_up_interruptible_sync_poll(sk_sleep(sk),
						KP_POLLIN | KP_POLLRDNORM |
							KP_POLLRDBAND);
		if (!inet_csk(sk)->icsk_ack.pending)
			inet_csk_reset_xmit_timer(
				sk, ICSK_TIME_DACK,
				msecs_to_jiffies(TCP_DELACK_MIN_MS * 3));
	}
	return true;
}

int tcp_v4_rcv(struct sk_buff *skb)
{
	KP_FUNC_ARG(tcp_v4_rcv, skb, skb->len);
	struct net *net = skb->net;
	enum skb_drop_reason reason = SKB_DROP_REASON_NOT_SPECIFIED;
	const struct iphdr *iph;
	struct tcphdr *th;
	struct sock *sk;
	int ret = 0;

	if (skb->pkt_type != PACKET_HOST)
		goto discard_it;
	/* kpath: the tables appear with the host's first TCP use */
	if (!net->tcp && kp_tcp_net_init(net))
		goto discard_it;
	__TCP_INC_STATS(net, InSegs);
	if (!pskb_may_pull(skb, sizeof(struct tcphdr)))
		goto short_packet;
	th = tcp_hdr(skb);
	if (th->doff < sizeof(struct tcphdr) / 4)
		goto bad_packet;
	if (!pskb_may_pull(skb, __tcp_hdrlen(th)))
		goto short_packet;
	th = tcp_hdr(skb);
	iph = ip_hdr(skb);
	if (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    kp_tcp_v4_csum(skb, skb_transport_offset(skb),
			   skb->len - (unsigned int)skb_transport_offset(skb),
			   iph->saddr, iph->daddr))
		goto csum_error;
	skb->ip_summed = CHECKSUM_UNNECESSARY;

	TCP_SKB_CB(skb)->seq = ntohl(th->seq);
	TCP_SKB_CB(skb)->end_seq = TCP_SKB_CB(skb)->seq + th->syn + th->fin +
				   skb->len - __tcp_hdrlen(th);
	TCP_SKB_CB(skb)->ack_seq = ntohl(th->ack_seq);
	TCP_SKB_CB(skb)->tcp_flags = tcp_flag_byte(th);
	TCP_SKB_CB(skb)->sacked = 0;
	TCP_SKB_CB(skb)->when = 0;

	sk = __inet_lookup_skb(net->tcp, skb, th->source, th->dest);
	if (!sk)
		goto no_tcp_socket;
	if (sk->sk_state == TCP_TIME_WAIT) {
		ret = tcp_timewait_state_process(sk, skb);
		sock_put(sk);
		return ret;
	}

	skb->dev = NULL;
	/* bh_lock_sock_nested: held while the segment is processed, so a
	 * task's lock_sock on another CPU spins until we are done */
	spin_lock(&sk->sk_lock.slock);
	if (!sock_owned_by_user(sk)) {
		if (!tcp_prequeue(sk, skb))
			ret = tcp_v4_do_rcv(sk, skb);
		spin_unlock(&sk->sk_lock.slock);
	} else if (!sk_add_backlog(sk, skb,
				   (unsigned int)(sk->sk_rcvbuf +
						  sk->sk_sndbuf))) {
		spin_unlock(&sk->sk_lock.slock);
		__NET_INC_STATS(net, TCPBacklogDrop);
		kp_drop_detail(net, SKB_DROP_REASON_SOCKET_BACKLOG,
			       "sk#%u backlog full", sk->kp.id);
		sock_put(sk);
		kfree_skb_reason(skb, SKB_DROP_REASON_SOCKET_BACKLOG);
		return 0;
	} else {
		spin_unlock(&sk->sk_lock.slock);
	}
	sock_put(sk);
	return ret;

no_tcp_socket:
	kp_drop_detail(net, SKB_DROP_REASON_NO_SOCKET,
		       "no TCP socket on port %u", ntohs(th->dest));
	tcp_v4_send_reset(NULL, skb);
	kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET);
	return 0;
short_packet:
	reason = SKB_DROP_REASON_PKT_TOO_SMALL;
	kp_drop_detail(net, reason, "TCP segment of %u bytes", skb->len);
	goto bad;
csum_error:
	reason = SKB_DROP_REASON_TCP_CSUM;
	__TCP_INC_STATS(net, InCsumErrors);
	kp_drop_detail(net, reason, "TCP checksum does not verify");
	goto bad;
bad_packet:
	reason = SKB_DROP_REASON_PKT_TOO_SMALL;
	kp_drop_detail(net, reason, "TCP data offset %u", th->doff);
bad:
	__TCP_INC_STATS(net, InErrs);
discard_it:
	kfree_skb_reason(skb, reason);
	return 0;
}

/* ---- socket init and destroy ---- */

int tcp_v4_init_sock(struct sock *sk)
{
	tcp_init_sock(sk);
	inet_csk(sk)->icsk_af_ops = &ipv4_specific;
	return 0;
}

static void tcp_purge(struct sk_buff_head *q)
{
	struct sk_buff *skb;
	while ((skb = __skb_dequeue(q)) != NULL) {
		skb_orphan(skb);
		kfree_skb_reason(skb, SKB_DROP_REASON_QUEUE_PURGE);
	}
}

void tcp_v4_destroy_sock(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;

	inet_csk_clear_xmit_timers(sk);
	while ((skb = __skb_dequeue(&sk->sk_write_queue)) != NULL)
		kp_tcp_wmem_free_skb(sk, skb);
	tp->sk_send_head = NULL;
	tcp_purge(&tp->out_of_order_queue);
	tcp_purge(&tp->ucopy.prequeue);
	tcp_purge(&sk->sk_receive_queue);
}

/* ---- per-host state ---- */

static void kp_tcp_free_reqs(struct sock *sk)
{
	struct request_sock_queue *q = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req, *tmp;
	if (!q->syn_table.next)
		return;
	list_for_each_entry_safe(req, tmp, &q->syn_table, dl_next)
		free(req);
	list_for_each_entry_safe(req, tmp, &q->accept_q, dl_next)
		free(req);
}

static void kp_tcp_cut_queue(struct sk_buff_head *q)
{
	struct sk_buff *skb;
	skb_queue_walk(q, skb) {
		skb->sk = NULL;
		skb->destructor = NULL;
	}
}

/* Teardown, off any CPU: stop timers and cut queued skbs loose; the
 * socks themselves are freed with the host's socket list (udp.c). */
static void tcp_net_exit(struct net *net)
{
	struct kp_tcp_hashinfo *h = net->tcp;
	struct list_head *socks = kp_net_socks(net);
	struct sock *sk;
	if (!h)
		return;
	if (socks) {
		list_for_each_entry(sk, socks, kp_node) {
			if (sk->sk_prot != &tcp_prot)
				continue;
			struct tcp_sock *tp = tcp_sk(sk);
			/* pending timers die with the CPUs' event queues
			 * (del_timer is a step point: CPUs only) */
			if (sk->sk_state == TCP_LISTEN)
				kp_tcp_free_reqs(sk);
			if (tp->out_of_order_queue.next) {
				kp_tcp_cut_queue(&tp->out_of_order_queue);
				kp_tcp_cut_queue(&tp->ucopy.prequeue);
			}
			if (sk->sk_write_queue.next)
				kp_tcp_cut_queue(&sk->sk_write_queue);
		}
	}
	free(h);
	net->tcp = NULL;
}

int kp_tcp_net_init(struct net *net)
{
	struct kp_tcp_hashinfo *h;
	if (net->tcp)
		return 0;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (int i = 0; i < KP_TCP_EHASH_SIZE; i++)
		INIT_LIST_HEAD(&h->ehash[i]);
	for (int i = 0; i < KP_TCP_LHASH_SIZE; i++)
		INIT_LIST_HEAD(&h->listening_hash[i]);
	for (int i = 0; i < KP_TCP_BHASH_SIZE; i++)
		INIT_LIST_HEAD(&h->bhash[i]);
	net->tcp = h;
	return kp_net_register_exit(net, tcp_net_exit);
}

static void tcp_v4_hash(struct sock *sk)
{
	inet_hash(sk);
}

const struct inet_connection_sock_af_ops ipv4_specific = {
	.queue_xmit = ip_queue_xmit,
	.net_header_len = sizeof(struct iphdr),
};

const struct proto tcp_prot = {
	.name = "TCP",
	.close = tcp_close,
	.connect = tcp_v4_connect,
	.disconnect = tcp_disconnect,
	.accept = inet_csk_accept,
	.init = tcp_v4_init_sock,
	.destroy = tcp_v4_destroy_sock,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.ioctl = tcp_ioctl,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.backlog_rcv = tcp_v4_do_rcv,
	.release_cb = tcp_release_cb,
	.hash = tcp_v4_hash,
	.unhash = inet_unhash,
	.get_port = inet_csk_get_port,
	.obj_size = sizeof(struct tcp_sock),
	.max_header = MAX_TCP_HEADER,
	.no_autobind = true,
};

const struct net_protocol tcp_protocol = {
	.handler = tcp_v4_rcv,
	.no_policy = 1,
	.netns_ok = 1,
};
