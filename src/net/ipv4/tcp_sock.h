/*
 * tcp_sock.h - TCP's data structures (include/uapi/linux/tcp.h,
 * include/linux/tcp.h and the constants of include/net/tcp.h): struct
 * tcphdr with its flags and options, the timer and ACK constants, the
 * per-skb control block (struct tcp_skb_cb), the options seen on the
 * wire, struct tcp_sock (embedding inet_connection_sock embedding
 * inet_sock) and the small inline tests on it.  The functions are
 * declared in tcp.h and tcp_cong.h, which include this file.
 *
 * Leaves out: most fields of what kpath does not emulate (urgent data,
 * ECN, MTU probing, MD5, the windowed RTT filters).
 */
#ifndef KP_NET_IPV4_TCP_SOCK_H
#define KP_NET_IPV4_TCP_SOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/skbuff.h"
#include "net/core/sock.h"
#include "net/ipv4/inet_connection_sock.h"
#include "net/ipv4/ip.h"

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

#endif
