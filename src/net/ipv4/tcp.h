/*
 * tcp.h - TCP over IPv4 (include/net/tcp.h, include/net/inet_hashtables.h,
 * include/net/inet_connection_sock.h's functions): the per-host hash
 * tables, and the functions of the tcp*.c files grouped by the file that
 * defines them.  The structures (struct tcphdr, tcp_skb_cb, tcp_sock)
 * are tcp_sock.h, congestion control and loss recovery tcp_cong.h; this
 * header includes both, so a user of TCP includes tcp.h alone.
 *
 * Departures (one line each where they matter):
 * - request socks wait on their listener's SYN queue as in 3.10
 *   (tcp_v4_hnd_req -> inet_csk_search_req), not in ehash as
 *   TCP_NEW_SYN_RECV (current Linux);
 * - TIME_WAIT keeps the full tcp_sock (no inet_timewait_sock);
 * - no GSO on transmit: tcp_write_xmit cuts every skb to one MSS with
 *   tso_fragment, so each segment leaves as its own skb.
 */
#ifndef KP_NET_IPV4_TCP_H
#define KP_NET_IPV4_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/skbuff.h"
#include "net/core/sock.h"
#include "net/ipv4/ip.h"
#include "net/ipv4/inet_connection_sock.h"
#include "net/ipv4/route.h"
#include "net/ipv4/tcp_cong.h"
#include "net/ipv4/tcp_info.h"
#include "net/ipv4/tcp_sock.h"
#include "sched/timer.h"

struct net;
struct net_protocol;
struct msghdr;

/* ---- the per-host tables (include/net/inet_hashtables.h) ---- */

#define KP_TCP_EHASH_SIZE 256
#define KP_TCP_LHASH_SIZE 32
#define KP_TCP_BHASH_SIZE 256

struct kp_tcp_hashinfo {
	struct list_head ehash[KP_TCP_EHASH_SIZE];     /* by sk_node */
	struct list_head listening_hash[KP_TCP_LHASH_SIZE];
	struct list_head bhash[KP_TCP_BHASH_SIZE];     /* by kp_bind_node */
	int orphans;
	/* kpath, for unit tests: when set, every segment TCP sends goes
	 * here (TCP header at skb->data) instead of IP; the hook owns it. */
	int (*kp_xmit)(struct sock *sk, struct sk_buff *skb, uint32_t saddr,
		       uint32_t daddr);
};

int kp_tcp_net_init(struct net *net);

/* inet_hashtables.c */
struct sock *__inet_lookup_skb(struct kp_tcp_hashinfo *h,
			       struct sk_buff *skb, uint16_t sport,
			       uint16_t dport);
struct sock *__inet_lookup_established(struct net *net, uint32_t saddr,
				       uint16_t sport, uint32_t daddr,
				       uint16_t hnum);
struct sock *__inet_lookup_listener(struct net *net, uint32_t daddr,
				    uint16_t hnum, int dif);
int inet_csk_get_port(struct sock *sk, unsigned short snum);
void inet_put_port(struct sock *sk);
void inet_hash(struct sock *sk);
void inet_unhash(struct sock *sk);
/* __inet_hash_nolisten: into ehash */
void __inet_hash_nolisten(struct sock *sk);
/* connect: an ephemeral port free for this 4-tuple, then into ehash */
int inet_hash_connect(struct sock *sk);
/* inherit the listener's port (the child of an accept) */
void __inet_inherit_port(const struct sock *sk, struct sock *child);
/* Every TCP sock of @net in the order ss lists them (listeners first);
 * calls @fn for each; kpath. */
void kp_tcp_for_each_sock(struct net *net,
			  void (*fn)(struct sock *sk, void *arg), void *arg);

/* inet_connection_sock.c */
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err);
int inet_csk_listen_start(struct sock *sk, int backlog);
void inet_csk_listen_stop(struct sock *sk);
void inet_csk_reqsk_queue_hash_add(struct sock *sk, struct request_sock *req,
				   unsigned long timeout);
void inet_csk_reqsk_queue_drop(struct sock *sk, struct request_sock *req);
void inet_csk_reqsk_queue_add(struct sock *sk, struct request_sock *req,
			      struct sock *child);
struct request_sock *inet_csk_search_req(struct sock *sk, uint16_t rport,
					 uint32_t raddr, uint32_t laddr);
bool inet_csk_reqsk_queue_is_full(const struct sock *sk);
bool sk_acceptq_is_full(const struct sock *sk);
struct request_sock *reqsk_alloc(struct sock *listener);
void reqsk_free(struct request_sock *req);
struct sock *inet_csk_clone_lock(const struct sock *sk,
				 const struct request_sock *req);
void inet_csk_destroy_sock(struct sock *sk);
void inet_csk_reset_xmit_timer(struct sock *sk, int what,
			       unsigned long when);
void inet_csk_clear_xmit_timer(struct sock *sk, int what);
void inet_csk_clear_xmit_timers(struct sock *sk);

/* af_inet_stream.c */
extern const struct proto_ops inet_stream_ops;
int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr,
			int addr_len, int flags);
int inet_listen(struct socket *sock, int backlog);
int inet_accept(struct socket *sock, struct socket *newsock, int flags);

/* tcp_ipv4.c */
extern const struct proto tcp_prot;
extern const struct net_protocol tcp_protocol;
extern const struct inet_connection_sock_af_ops ipv4_specific;
int tcp_v4_rcv(struct sk_buff *skb);
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb);
int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len);
int tcp_v4_conn_request(struct sock *sk, struct sk_buff *skb);
struct sock *tcp_v4_syn_recv_sock(struct sock *sk, struct sk_buff *skb,
				  struct request_sock *req);
/* tcp_ipv4_reply.c */
void tcp_v4_send_reset(struct sock *sk, struct sk_buff *skb);
void tcp_v4_send_ack(struct sk_buff *skb, uint32_t seq, uint32_t ack,
		     uint32_t win, uint32_t tsval, uint32_t tsecr, bool ts);
void tcp_v4_send_check(struct sock *sk, struct sk_buff *skb);
/* The TCP checksum over skb->data.. with the pseudo header; 0 = ok
 * when verifying a received segment. */
uint16_t kp_tcp_v4_csum(const struct sk_buff *skb, int offset,
			unsigned int len, uint32_t saddr, uint32_t daddr);
bool tcp_prequeue(struct sock *sk, struct sk_buff *skb);
int tcp_v4_init_sock(struct sock *sk);
void tcp_v4_destroy_sock(struct sock *sk);
/* kpath: hand a built segment to IP (or the test hook). */
int kp_tcp_ip_send(struct sock *sk, struct sk_buff *skb, uint32_t saddr,
		   uint32_t daddr);

/* tcp_ack's flags (tcp_input.c) */
#define FLAG_DATA 0x01
#define FLAG_WIN_UPDATE 0x02
#define FLAG_DATA_ACKED 0x04
#define FLAG_SYN_ACKED 0x10
#define FLAG_DATA_SACKED 0x20
#define FLAG_DSACKING_ACK 0x800
#define FLAG_SLOWPATH 0x100
#define FLAG_SND_UNA_ADVANCED 0x400
#define FLAG_UPDATE_TS_RECENT 0x4000 /* tcp_ack stores the TSval to echo */
#define FLAG_SET_XMIT_TIMER 0x1000 /* set TLP or RTO timer */
#define FLAG_NOT_DUP \
	(FLAG_DATA | FLAG_WIN_UPDATE | FLAG_DATA_ACKED | FLAG_SYN_ACKED)

/* tcp_input.c */
int tcp_rcv_established(struct sock *sk, struct sk_buff *skb);
bool tcp_validate_incoming(struct sock *sk, struct sk_buff *skb);
void tcp_enter_quickack_mode(struct sock *sk);
void tcp_ack_snd_check(struct sock *sk);
void tcp_data_snd_check(struct sock *sk);
static inline void inet_csk_schedule_ack(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_SCHED;
}
void tcp_parse_options(const struct sk_buff *skb,
		       struct tcp_options_received *opt_rx, int estab);
void tcp_reset(struct sock *sk);
/* Keep the TSval to echo, from a segment at or before rcv_wup. */
static inline void tcp_store_ts_recent(struct tcp_sock *tp, uint32_t seq)
{
	if (tp->rx_opt.saw_tstamp && !after(seq, tp->rcv_wup))
		tp->rx_opt.ts_recent = tp->rx_opt.rcv_tsval;
}
/* tcp_ack.c */
/* tcp_ack: 0 old ACK ignored, -1 invalid (drop), 1 processed */
int tcp_ack(struct sock *sk, const struct sk_buff *skb, int flag);
void tcp_rearm_rto(struct sock *sk);
void tcp_rtt_estimator(struct sock *sk, long mrtt_us);
void tcp_update_pacing_rate(struct sock *sk);
void tcp_set_rto(struct sock *sk);
/* tcp_data.c */
void tcp_event_data_recv(struct sock *sk, struct sk_buff *skb);
/* 1: @skb's data went onto the queue's tail skb (tcp_try_coalesce) and
 * the caller frees @skb when done with its header; 0: @skb is queued. */
int tcp_queue_rcv(struct sock *sk, struct sk_buff *skb, int hdrlen);
void tcp_data_queue(struct sock *sk, struct sk_buff *skb);
void tcp_fin(struct sock *sk);
void tcp_rcv_space_adjust(struct sock *sk);
/* tcp_rcv_state.c */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
void tcp_init_transfer(struct sock *sk);
void tcp_finish_connect(struct sock *sk, struct sk_buff *skb);
/* tcp_sack.c: the receiver's SACK blocks, and the sender's scoreboard */
void tcp_sack_new_ofo_skb(struct sock *sk, uint32_t seq, uint32_t end_seq);
void tcp_sack_remove(struct tcp_sock *tp);
void tcp_dsack_set(struct sock *sk, uint32_t seq, uint32_t end_seq);
static inline void tcp_sack_reset(struct tcp_options_received *rx_opt)
{
	rx_opt->dsack = 0;
	rx_opt->num_sacks = 0;
}
int tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *ack_skb,
			    uint32_t prior_snd_una);

/* tcp_options.c: the options of an outgoing segment */
#define OPTION_SACK_ADVERTISE (1 << 0)
#define OPTION_TS (1 << 1)
#define OPTION_MSS (1 << 2)
#define OPTION_WSCALE (1 << 3)

struct tcp_out_options {
	uint16_t options;
	uint8_t ws;
	uint16_t mss;
	uint32_t tsval, tsecr;
	uint8_t num_sack_blocks;  /* D-SACK (if any) first */
	uint8_t dsack;            /* sacks[0] is the D-SACK block */
	struct tcp_sack_block sacks[TCP_NUM_SACKS];
};
unsigned int tcp_syn_options(struct sock *sk, struct tcp_out_options *opts);
unsigned int tcp_established_options(struct sock *sk,
				     struct tcp_out_options *opts);
void tcp_options_write(unsigned char *p, const struct tcp_out_options *opts);
/* Push a TCP header for the cb's seq/flags onto @skb. */
struct tcphdr *tcp_push_header(struct sk_buff *skb, uint16_t sport,
			       uint16_t dport, uint32_t ack_seq,
			       uint16_t window,
			       const struct tcp_out_options *opts,
			       unsigned int opts_size);

/* tcp_xmit.c */
int tso_fragment(struct sock *sk, struct sk_buff *skb, unsigned int len,
		 unsigned int mss_now);
void tcp_event_new_data_sent(struct sock *sk, const struct sk_buff *skb);

/* tcp_output.c */
int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb, int clone_it);
bool tcp_write_xmit(struct sock *sk, unsigned int mss_now, int nonagle,
		    int push_one);
void __tcp_push_pending_frames(struct sock *sk, unsigned int cur_mss,
			       int nonagle);
void tcp_push_one(struct sock *sk, unsigned int mss_now);
unsigned int tcp_current_mss(struct sock *sk);
unsigned int tcp_sync_mss(struct sock *sk, uint32_t pmtu);
void tcp_send_ack(struct sock *sk);
void tcp_send_delayed_ack(struct sock *sk);
void tcp_send_fin(struct sock *sk);
void tcp_send_active_reset(struct sock *sk);
int tcp_connect(struct sock *sk);
struct sk_buff *tcp_make_synack(const struct sock *sk, unsigned int advmss,
				struct request_sock *req);
int tcp_v4_send_synack(const struct sock *sk, struct request_sock *req);
void tcp_cwnd_restart(struct sock *sk, int32_t delta);
void tcp_slow_start_after_idle_check(struct sock *sk);
void tcp_select_initial_window(const struct sock *sk, int space,
			       uint32_t mss, uint32_t *rcv_wnd,
			       uint32_t *window_clamp, int wscale_ok,
			       uint8_t *rcv_wscale, uint32_t init_rcv_wnd);
uint16_t tcp_select_window(struct sock *sk);
uint32_t __tcp_select_window(struct sock *sk);
void tcp_init_nondata_skb(struct sk_buff *skb, uint32_t seq, uint8_t flags);
static inline struct sk_buff *tcp_send_head(const struct sock *sk)
{
	return tcp_sk(sk)->sk_send_head;
}
void tcp_advance_send_head(struct sock *sk, const struct sk_buff *skb);
/* skb of the write queue after @skb, or NULL */
struct sk_buff *tcp_write_queue_next(const struct sock *sk,
				     const struct sk_buff *skb);
uint32_t tcp_time_stamp(const struct tcp_sock *tp);
/* A bare skb for a segment without data (SYN, SYN-ACK, FIN, RST, probe). */
struct sk_buff *tcp_alloc_ctl_skb(struct net *net);

/* tcp_retransmit.c */
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
/* sends it again without marking it TCPCB_RETRANS (a loss probe) */
int __tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
int tcp_write_wakeup(struct sock *sk);
unsigned long tcp_probe0_when(const struct sock *sk, unsigned long max_when);
void tcp_send_probe0(struct sock *sk);

/* tcp_info.c: getsockopt(TCP_INFO), struct tcp_info in tcp_info.h */
void tcp_get_info(struct sock *sk, struct tcp_info *info);
int tcp_getsockopt_info(struct sock *sk, char *optval, int *optlen);

/* tcp_minisocks.c */
struct sock *tcp_check_req(struct sock *sk, struct sk_buff *skb,
			   struct request_sock *req);
struct sock *tcp_create_openreq_child(const struct sock *sk,
				      struct request_sock *req,
				      struct sk_buff *skb);
int tcp_child_process(struct sock *parent, struct sock *child,
		      struct sk_buff *skb);
void tcp_time_wait(struct sock *sk, int state, int timeo_ms);
int tcp_timewait_state_process(struct sock *sk, struct sk_buff *skb);

/* tcp_timer.c */
void tcp_init_xmit_timers(struct sock *sk);
void tcp_retransmit_timer(struct sock *sk);
void tcp_delack_timer_handler(struct sock *sk);
void tcp_write_timer_handler(struct sock *sk);
void tcp_reqsk_timer(unsigned long data);

/* tcp.c */
void tcp_set_state(struct sock *sk, int state);
void tcp_done(struct sock *sk);
int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		int nonblock, int flags, int *addr_len);
void tcp_close(struct sock *sk, long timeout);
void tcp_shutdown(struct sock *sk, int how);
int tcp_disconnect(struct sock *sk, int flags);
int tcp_setsockopt(struct sock *sk, int level, int optname,
		   const char *optval, unsigned int optlen);
/* tcp_ioctl.c: SIOCINQ, SIOCOUTQ, SIOCOUTQNSD */
int tcp_ioctl(struct sock *sk, int cmd, int *karg);
int tcp_getsockopt(struct sock *sk, int level, int optname, char *optval,
		   int *optlen);
unsigned int tcp_poll(struct file *file, struct socket *sock,
		      poll_table *wait);
void tcp_mark_push(struct tcp_sock *tp, struct sk_buff *skb);
void tcp_push(struct sock *sk, int flags, unsigned int mss_now,
	      int nonagle);
int sk_stream_wait_memory(struct sock *sk, long *timeo_p);
void tcp_cleanup_rbuf(struct sock *sk, int copied);
void tcp_release_cb(struct sock *sk);
void sk_stream_write_space(struct sock *sk);
void tcp_init_sock(struct sock *sk);
void tcp_sndbuf_expand(struct sock *sk);
/* Charge/uncharge an skb on the write queue (sk_wmem_queued). */
void kp_tcp_wmem_free_skb(struct sock *sk, struct sk_buff *skb);

#endif
