/*
 * inet_connection_sock.h - what a connection-oriented inet socket adds to
 * struct inet_sock (include/net/inet_connection_sock.h) and the request
 * socks of a listener (include/net/request_sock.h): the SYN and accept
 * queues, the retransmit and delayed-ACK timers, RTO, the congestion
 * control ops.  TCP's struct tcp_sock (tcp.h) starts with it.
 */
#ifndef KP_NET_IPV4_INET_CONNECTION_SOCK_H
#define KP_NET_IPV4_INET_CONNECTION_SOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/sock.h"
#include "net/ipv4/route.h"
#include "sched/timer.h"

/* ---- request socks (include/net/request_sock.h) ---- */

struct request_sock {
	struct kp_obj kp;          /* reuses KP_OBJ_SOCK ids: sk#N */
	struct list_head dl_next;  /* on the listener's SYN or accept queue */
	struct sock *rsk_listener;
	struct sock *sk;           /* the child, once the handshake is done */
	uint32_t ir_rmt_addr, ir_loc_addr;
	uint16_t ir_rmt_port;      /* network order */
	uint16_t ir_num;           /* local port, host order */
	uint32_t rcv_isn, snt_isn;
	uint32_t ts_recent;
	uint32_t tsoffset;
	uint16_t mss;
	uint8_t snd_wscale, rcv_wscale;
	uint8_t tstamp_ok : 1, sack_ok : 1, wscale_ok : 1;
	uint8_t num_retrans;
	uint32_t rcv_wnd;
	uint64_t snt_synack;         /* ns the first SYN-ACK left (RTT) */
	struct timer_list rsk_timer; /* SYN-ACK retransmission */
};

struct request_sock_queue {
	struct list_head syn_table;  /* request socks awaiting the ACK */
	int qlen;                    /* on syn_table */
	struct list_head accept_q;   /* done handshakes, oldest first */
	int accept_qlen;
};

/* ---- inet_connection_sock ---- */

struct tcp_congestion_ops;
struct inet_connection_sock_af_ops {
	/* ip_queue_xmit for IPv4 */
	int (*queue_xmit)(struct sock *sk, struct sk_buff *skb,
			  struct flowi4 *fl);
	uint16_t net_header_len;
};

struct inet_connection_sock {
	struct inet_sock icsk_inet;
	struct request_sock_queue icsk_accept_queue;
	const struct inet_connection_sock_af_ops *icsk_af_ops;
	const struct tcp_congestion_ops *icsk_ca_ops;
	struct timer_list icsk_retransmit_timer;
	struct timer_list icsk_delack_timer;
	struct timer_list kp_tw_timer; /* TIME_WAIT / FIN_WAIT2 timeout */
	unsigned long icsk_timeout;    /* jiffies of the retransmit timer */
	uint32_t icsk_rto;             /* jiffies */
	uint32_t icsk_pmtu_cookie;
	uint8_t icsk_ca_state;
	uint8_t icsk_retransmits;
	uint8_t icsk_pending;
	uint8_t icsk_backoff;
	uint8_t icsk_probes_out;       /* zero-window probes unanswered */
	uint8_t icsk_syn_retries;
	int sk_max_ack_backlog;        /* listen() backlog */
	struct {
		uint8_t pending;  /* ICSK_ACK_* */
		uint8_t quick;    /* quick ACKs left */
		uint8_t pingpong; /* interactive session */
		uint8_t blocked;  /* delayed ACK timer fired while locked */
		uint32_t ato;     /* jiffies */
		unsigned long timeout;
		uint32_t lrcvtime;
		uint16_t last_seg_size;
		uint16_t rcv_mss;
	} icsk_ack;
	uint64_t icsk_ca_priv[8];
	/* kpath: on the bind hash (Linux: sk_bind_node + icsk_bind_hash) */
	struct list_head kp_bind_node;
};

static inline struct inet_connection_sock *inet_csk(const struct sock *sk)
{
	return (struct inet_connection_sock *)sk;
}
static inline void *inet_csk_ca(const struct sock *sk)
{
	return (void *)inet_csk(sk)->icsk_ca_priv;
}

#endif
