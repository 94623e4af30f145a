/*
 * tcp_cong.h - TCP congestion control and loss recovery (the
 * congestion parts of include/net/tcp.h): struct tcp_congestion_ops and
 * the Reno and CUBIC modules (tcp_cong.c, tcp_cubic.c), slow start and
 * the cwnd-limited test, loss recovery (tcp_recovery.c: fast
 * retransmit, PRR, RACK, the Loss state) and the tail loss probe with
 * the retransmit timer's arming (tcp_tlp.c).  tcp.h includes it.
 *
 * Leaves out: congestion-control events (cwnd_event), pluggable
 * modules beyond Reno and CUBIC, undo.
 */
#ifndef KP_NET_IPV4_TCP_CONG_H
#define KP_NET_IPV4_TCP_CONG_H

#include <stdbool.h>
#include <stdint.h>

#include "net/ipv4/tcp_sock.h"

struct net;

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

/* tcp_recovery.c: RACK */
void tcp_rack_advance(struct tcp_sock *tp, uint8_t sacked, uint32_t end_seq,
		      uint64_t xmit_time);
/* true: the reordering timer is armed (ICSK_TIME_REO_TIMEOUT) */
bool tcp_rack_mark_lost(struct sock *sk);
void tcp_rack_reo_timeout(struct sock *sk);
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

/* tcp_tlp.c: tail loss probe */
bool tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto);
void tcp_send_loss_probe(struct sock *sk);
void tcp_process_tlp_ack(struct sock *sk, uint32_t ack, int flag);
int64_t tcp_rto_delta_us(const struct sock *sk);
void tcp_set_xmit_timer(struct sock *sk);
/* The retransmit timer for @what (RETRANS, PROBE0, LOSS_PROBE,
 * REO_TIMEOUT) in @when jiffies (tcp_reset_xmit_timer). */
void tcp_reset_xmit_timer(struct sock *sk, int what, unsigned long when);

#endif
