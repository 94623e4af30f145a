/*
 * tcp.h - TCP over IPv4 (include/net/tcp.h, include/linux/tcp.h,
 * include/net/inet_connection_sock.h, include/net/request_sock.h,
 * include/net/inet_hashtables.h): the header, the per-skb control block,
 * struct tcp_sock (embedding inet_connection_sock embedding inet_sock),
 * request socks, the per-host hash tables, and the functions of the
 * tcp*.c files.
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
#include "net/ipv4/tcp_info.h"
#include "sched/timer.h"

struct net;
struct net_protocol;
struct msghdr;

/* ---- the header (include/uapi/linux/tcp.h) ---- */

struct tcphdr {
	uint16_t source; /* network order */
	uint16_t dest;
	uint32_t seq;
	uint32_t ack_seq;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint16_t res1 : 4, doff : 4, fin : 1, syn : 1, rst : 1, psh : 1,
		ack : 1, urg : 1, ece : 1, cwr : 1;
#else
	uint16_t doff : 4, res1 : 4, cwr : 1, ece : 1, urg : 1, ack : 1,
		psh : 1, rst : 1, syn : 1, fin : 1;
#endif
	uint16_t window;
	uint16_t check;
	uint16_t urg_ptr;
} __attribute__((packed, aligned(2)));

static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb)
{
	return (struct tcphdr *)skb_transport_header(skb);
}
static inline unsigned int __tcp_hdrlen(const struct tcphdr *th)
{
	return th->doff * 4u;
}
/* The flags byte (byte 13 of the header) */
#define tcp_flag_byte(th) (((const uint8_t *)(th))[13])

#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_ACK 0x10
#define TCPHDR_URG 0x20
#define TCPHDR_ECE 0x40
#define TCPHDR_CWR 0x80

/* Options */
#define TCPOPT_NOP 1
#define TCPOPT_EOL 0
#define TCPOPT_MSS 2
#define TCPOPT_WINDOW 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8
#define TCPOLEN_MSS 4
#define TCPOLEN_WINDOW 3
#define TCPOLEN_SACK_PERM 2
#define TCPOLEN_TIMESTAMP 10
#define TCPOLEN_TSTAMP_ALIGNED 12
#define TCPOLEN_SACK_BASE 2
#define TCPOLEN_SACK_BASE_ALIGNED 4
#define TCPOLEN_SACK_PERBLOCK 8
#define MAX_TCP_OPTION_SPACE 40
#define TCP_NUM_SACKS 4

/* ---- constants (include/net/tcp.h) ---- */

#define MAX_TCP_HEADER (128 + 32) /* room for TCP, IP and link headers */
/* What a data skb costs sk_wmem_queued before any payload: Linux's
 * tcp_stream_alloc_skb allocates a MAX_TCP_HEADER head (the payload goes
 * into page frags, charged byte for byte as it is copied). */
#define KP_TCP_SKB_HEAD_TRUESIZE SKB_TRUESIZE(SKB_DATA_ALIGN(MAX_TCP_HEADER))
#define TCP_MSS_DEFAULT 536u
#define TCP_INIT_CWND 10
#define TCP_MAX_WSCALE 14
#define TCP_RTO_MAX_MS 120000u
#define TCP_RTO_MIN_MS 200u
#define TCP_TIMEOUT_INIT_MS 1000u
#define TCP_DELACK_MAX_MS 200u
#define TCP_DELACK_MIN_MS 40u
#define TCP_ATO_MIN_MS 40u
#define TCP_TIMEWAIT_LEN_MS 60000u
#define TCP_FIN_TIMEOUT_MS 60000u
#define TCP_INFINITE_SSTHRESH 0x7fffffffu
#define TCP_NAGLE_OFF 1
#define TCP_NAGLE_CORK 2
#define TCP_NAGLE_PUSH 4

/* icsk_pending */
#define ICSK_TIME_RETRANS 1
#define ICSK_TIME_DACK 2
#define ICSK_TIME_PROBE0 3
#define ICSK_TIME_LOSS_PROBE 5 /* tail loss probe (tcp_tlp.c) */
#define ICSK_TIME_REO_TIMEOUT 6 /* RACK reordering timer (tcp_recovery.c) */

/* icsk_ack.pending */
#define ICSK_ACK_SCHED 1
#define ICSK_ACK_TIMER 2
#define ICSK_ACK_PUSHED 4

/* icsk_ca_state */
enum tcp_ca_state {
	TCP_CA_Open = 0,
	TCP_CA_Disorder = 1,
	TCP_CA_CWR = 2,
	TCP_CA_Recovery = 3,
	TCP_CA_Loss = 4
};

/* tsq_flags-like deferred work for release_cb (tcp_release_cb) */
#define TCP_WRITE_TIMER_DEFERRED 1
#define TCP_DELACK_TIMER_DEFERRED 2

/* Sequence arithmetic */
static inline bool before(uint32_t seq1, uint32_t seq2)
{
	return (int32_t)(seq1 - seq2) < 0;
}
#define after(seq2, seq1) before(seq1, seq2)
static inline bool between(uint32_t seq1, uint32_t seq2, uint32_t seq3)
{
	return seq3 - seq2 >= seq1 - seq2;
}

/* ---- per-skb control block (struct tcp_skb_cb) ---- */

struct tcp_skb_cb {
	struct inet_skb_parm h4; /* IP's IPCB stays valid under it */
	uint32_t seq;            /* first sequence number */
	uint32_t end_seq;        /* seq + FIN + SYN + data length */
	uint32_t ack_seq;        /* of received segments */
	uint8_t tcp_flags;       /* TCPHDR_* */
	uint8_t sacked;          /* TCPCB_*; received: offset of SACK option */
#define TCPCB_SACKED_ACKED 0x01 /* the peer SACKed it */
#define TCPCB_LOST 0x04
#define TCPCB_RETRANS 0x10
#define TCPCB_EVER_RETRANS 0x80
	uint16_t kp_pad;
	uint32_t kp_charge;      /* bytes charged to sk_wmem_queued */
	uint64_t when;           /* ns it was last sent (RTT samples) */
};
#define TCP_SKB_CB(skb) ((struct tcp_skb_cb *)&((skb)->cb[0]))

/* ---- options seen on the wire (struct tcp_options_received) ---- */

struct tcp_options_received {
	uint32_t ts_recent;   /* TSval to echo */
	uint32_t rcv_tsval;   /* of the segment being processed */
	uint32_t rcv_tsecr;
	uint8_t saw_tstamp : 1, tstamp_ok : 1, sack_ok : 1, wscale_ok : 1,
		dsack : 1;    /* a D-SACK block is to be sent */
	uint8_t num_sacks;    /* SACK blocks to send */
	uint8_t snd_wscale;   /* the peer's window scale */
	uint8_t rcv_wscale;   /* ours */
	uint16_t mss_clamp;   /* the peer's MSS option */
	uint16_t user_mss;    /* TCP_MAXSEG */
};

struct tcp_sack_block {
	uint32_t start_seq;
	uint32_t end_seq;
};

/* ---- tcp_sock ---- */

struct tcp_sock {
	struct inet_connection_sock inet_conn;
	uint16_t tcp_header_len; /* bytes of header we send (with options) */
	uint32_t pred_flags;     /* header prediction */

	uint32_t rcv_nxt;        /* next sequence we expect */
	uint32_t copied_seq;     /* head of yet-unread data */
	uint32_t rcv_wup;        /* rcv_nxt at the last window update */
	uint32_t snd_nxt;        /* next sequence we send */
	uint32_t snd_una;        /* first byte we want an ACK for */
	uint32_t snd_sml;        /* end of the last small segment (Nagle) */
	uint32_t rcv_tstamp;     /* jiffies of the last ACK (keepalive) */
	uint32_t lsndtime;       /* jiffies of the last data sent */

	uint32_t snd_wl1;        /* seq of the last window update */
	uint32_t snd_wnd;        /* the peer's window */
	uint32_t max_window;
	uint32_t mss_cache;      /* current effective MSS */
	uint32_t window_clamp;
	uint32_t rcv_ssthresh;

	uint32_t srtt_us;        /* smoothed RTT << 3, microseconds */
	uint32_t mdev_us;        /* medium deviation << 2 */
	uint32_t mdev_max_us;
	uint32_t rttvar_us;
	uint32_t rtt_seq;
	uint32_t rtt_min;        /* smallest RTT sample, us (Linux: windowed
				  * minmax over tcp_min_rtt_wlen) */
	uint64_t tcp_wstamp_ns;  /* when the last segment left (ns) */
	uint64_t pacing_rate;    /* bytes/s; Linux: sk->sk_pacing_rate */

	uint32_t packets_out;
	uint32_t retrans_out;
	uint32_t sacked_out;     /* Reno: duplicate ACKs counted */
	uint32_t lost_out;
	uint32_t high_seq;       /* snd_nxt at the start of recovery */
	uint32_t max_packets_out; /* most in flight this window */
	uint32_t max_packets_seq; /* its window ends at this snd_nxt */
	bool is_cwnd_limited;    /* did cwnd stop a send this window? */

	uint32_t snd_ssthresh;
	uint32_t snd_cwnd;
	uint32_t snd_cwnd_cnt;
	uint32_t snd_cwnd_clamp;
	uint32_t prior_cwnd;
	uint32_t prr_delivered;  /* PRR: delivered since recovery began */
	uint32_t prr_out;        /* PRR: sent since recovery began */
	uint64_t snd_cwnd_stamp; /* ns */

	uint32_t rcv_wnd;        /* what we advertised last */
	uint32_t write_seq;      /* tail of data in the write queue */
	uint32_t pushed_seq;     /* last pushed sequence */
	uint32_t total_retrans;
	uint32_t undo_marker;
	uint32_t tsoffset;
	uint32_t snt_isn, rcv_isn;
	uint8_t nonagle;
	uint8_t syn_data;
	uint8_t kp_deferred;     /* TCP_*_DEFERRED for tcp_release_cb */
	uint32_t bytes_acked, bytes_received;
	uint32_t segs_in, segs_out, data_segs_in, data_segs_out;
	uint32_t delivered;
	uint32_t rcv_space;

	struct tcp_options_received rx_opt;
	struct tcp_sack_block duplicate_sack[1]; /* D-SACK block to send */
	struct tcp_sack_block selective_acks[TCP_NUM_SACKS]; /* newest first */
	/* RACK (tcp_recovery.c): the most recently sent segment the peer
	 * has, when it left (ns), its end and its RTT */
	struct {
		uint64_t mstamp;
		uint32_t end_seq;
		uint32_t rtt_us;
		uint8_t reo_wnd_steps; /* reo_wnd in min_rtt/4 (0: 1) */
		uint8_t advanced;      /* moved since the last loss check */
	} rack;
	/* tail loss probe (tcp_tlp.c): snd_nxt when the probe went, 0 none */
	uint32_t tlp_high_seq;
	uint8_t tlp_retrans;     /* the probe was a retransmission */
	uint32_t notsent_lowat;  /* TCP_NOTSENT_LOWAT, 0: none */
	struct sk_buff_head out_of_order_queue;
	struct sk_buff *sk_send_head; /* first skb not yet sent (3.10) */

	/* 3.10 prequeue: a reader sleeping in tcp_recvmsg */
	struct {
		struct sk_buff_head prequeue;
		struct task_struct *task;
		int memory;
	} ucopy;
};

static inline struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

/* Few enough bytes not yet sent (TCP_NOTSENT_LOWAT; 0: no limit, as
 * net.ipv4.tcp_notsent_lowat's default); @wake: half as many to wake a
 * writer (tcp_stream_memory_free). */
static inline bool tcp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	uint64_t notsent_bytes = tp->write_seq - tp->snd_nxt;
	return !tp->notsent_lowat || (notsent_bytes << wake) < tp->notsent_lowat;
}

static inline bool tcp_is_sack(const struct tcp_sock *tp)
{
	return tp->rx_opt.sack_ok;
}
static inline bool tcp_is_reno(const struct tcp_sock *tp)
{
	return !tcp_is_sack(tp);
}

/* Segments in the network: sent, less those the peer has (Reno: dup
 * ACKs) or that are lost, plus retransmissions. */
static inline uint32_t tcp_packets_in_flight(const struct tcp_sock *tp)
{
	uint32_t left = tp->sacked_out + tp->lost_out;
	uint32_t out = tp->packets_out > left ? tp->packets_out - left : 0;
	return out + tp->retrans_out;
}

/* ---- congestion control (include/net/tcp.h) ---- */

struct tcp_congestion_ops {
	const char *name;
	void (*init)(struct sock *sk);
	uint32_t (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, uint32_t ack, uint32_t acked);
	void (*set_state)(struct sock *sk, uint8_t new_state);
	void (*pkts_acked)(struct sock *sk, uint32_t acked, int64_t rtt_us);
	uint32_t (*undo_cwnd)(struct sock *sk);
};
extern const struct tcp_congestion_ops tcp_reno;
extern const struct tcp_congestion_ops cubictcp;
/* The ops named by sysctl net.ipv4.tcp_congestion_control (0 reno,
 * 1 cubic). */
const struct tcp_congestion_ops *tcp_ca_find_default(struct net *net);
void tcp_init_congestion_control(struct sock *sk);
uint32_t tcp_slow_start(struct tcp_sock *tp, uint32_t acked);
void tcp_cong_avoid_ai(struct tcp_sock *tp, uint32_t w, uint32_t acked);
uint32_t tcp_reno_ssthresh(struct sock *sk);
void tcp_reno_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked);
static inline bool tcp_in_slow_start(const struct tcp_sock *tp)
{
	return tp->snd_cwnd < tp->snd_ssthresh;
}
/* Grow cwnd only when it limits us (RFC 7661; in slow start: when the
 * flight reached half of it). */
static inline bool tcp_is_cwnd_limited(const struct tcp_sock *tp)
{
	if (tcp_in_slow_start(tp))
		return tp->snd_cwnd < 2 * tp->max_packets_out;
	return tp->is_cwnd_limited;
}

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
/* tcp_ack: 0 old ACK ignored, -1 invalid (drop), 1 processed */
int tcp_ack(struct sock *sk, const struct sk_buff *skb, int flag);
bool tcp_validate_incoming(struct sock *sk, struct sk_buff *skb);
void tcp_rearm_rto(struct sock *sk);
void tcp_enter_quickack_mode(struct sock *sk);
void tcp_ack_snd_check(struct sock *sk);
void tcp_data_snd_check(struct sock *sk);
static inline void inet_csk_schedule_ack(struct sock *sk)
{
	inet_csk(sk)->icsk_ack.pending |= ICSK_ACK_SCHED;
}
/* tcp_data.c */
void tcp_event_data_recv(struct sock *sk, struct sk_buff *skb);
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
/* tcp_recovery.c: RACK */
void tcp_rack_advance(struct tcp_sock *tp, uint8_t sacked, uint32_t end_seq,
		      uint64_t xmit_time);
/* true: the reordering timer is armed (ICSK_TIME_REO_TIMEOUT) */
bool tcp_rack_mark_lost(struct sock *sk);
void tcp_rack_reo_timeout(struct sock *sk);
/* tcp_tlp.c: tail loss probe */
bool tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto);
void tcp_send_loss_probe(struct sock *sk);
void tcp_process_tlp_ack(struct sock *sk, uint32_t ack, int flag);
int64_t tcp_rto_delta_us(const struct sock *sk);
void tcp_set_xmit_timer(struct sock *sk);
/* The retransmit timer for @what (RETRANS, PROBE0, LOSS_PROBE,
 * REO_TIMEOUT) in @when jiffies (tcp_reset_xmit_timer). */
void tcp_reset_xmit_timer(struct sock *sk, int what, unsigned long when);
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
void tcp_parse_options(const struct sk_buff *skb,
		       struct tcp_options_received *opt_rx, int estab);
/* 1: @skb's data went onto the queue's tail skb (tcp_try_coalesce) and
 * the caller frees @skb when done with its header; 0: @skb is queued. */
int tcp_queue_rcv(struct sock *sk, struct sk_buff *skb, int hdrlen);
void tcp_data_queue(struct sock *sk, struct sk_buff *skb);
void tcp_rcv_space_adjust(struct sock *sk);
void tcp_init_transfer(struct sock *sk);
void tcp_finish_connect(struct sock *sk, struct sk_buff *skb);
void tcp_fin(struct sock *sk);
void tcp_reset(struct sock *sk);
/* tcp_recovery.c */
void tcp_enter_loss(struct sock *sk);
/* true: RACK armed its reordering timer */
bool tcp_fastretrans_alert(struct sock *sk, int flag, int acked,
			   bool is_dupack);
void tcp_cwnd_reduction(struct sock *sk, int newly_acked_sacked, int flag);
/* tcp_xmit_recovery: resend what is marked lost, as cwnd allows */
void tcp_xmit_recovery(struct sock *sk);
static inline bool tcp_in_cwnd_reduction(const struct sock *sk)
{
	return inet_csk(sk)->icsk_ca_state == TCP_CA_CWR ||
	       inet_csk(sk)->icsk_ca_state == TCP_CA_Recovery;
}
void tcp_retransmit_lost_head(struct sock *sk);
void tcp_rtt_estimator(struct sock *sk, long mrtt_us);
void tcp_update_pacing_rate(struct sock *sk);
void tcp_set_rto(struct sock *sk);

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
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
/* sends it again without marking it TCPCB_RETRANS (a loss probe) */
int __tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb);
void tcp_cwnd_restart(struct sock *sk, int32_t delta);
int tcp_write_wakeup(struct sock *sk);
unsigned long tcp_probe0_when(const struct sock *sk, unsigned long max_when);
void tcp_send_probe0(struct sock *sk);
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
