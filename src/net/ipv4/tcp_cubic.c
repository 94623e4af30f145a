/*
 * tcp_cubic.c - CUBIC, Linux's default congestion control (net/ipv4/
 * tcp_cubic.c): after a loss the window follows a cubic curve of the
 * time since the loss, centred on the window at which it happened
 * (bic_K seconds later), with the Reno-friendly lower bound.
 * beta 717/1024, C 0.4 (bic_scale 41), fast convergence on.
 *
 * HyStart (bictcp_hystart_reset, hystart_update): slow start ends
 * early, ssthresh = cwnd, when in one round the ACKs keep coming closely
 * spaced for more than half the minimum RTT (ACK train, plus the time a
 * 64 KB GSO burst takes at the pacing rate, hystart_ack_delay), or when
 * the round's smallest RTT of 8 samples has grown by delay_min/8 (4 to
 * 16 ms).  The module parameters are sysctls net.ipv4.tcp_cubic_*.
 *
 * Leaves out: CA_EVENT_TX_START (epoch shift after idle); the pacing
 * rate is computed here (tcp_update_pacing_rate's formula, no fq).
 */
#include "net/core/net_namespace.h"
#include "sched/sched.h"
#include "tcp.h"

#define HYSTART_ACK_TRAIN 0x1
#define HYSTART_DELAY 0x2
#define HYSTART_MIN_SAMPLES 8
#define HYSTART_DELAY_MIN 4000u  /* 4 ms */
#define HYSTART_DELAY_MAX 16000u /* 16 ms */

#define BICTCP_BETA_SCALE 1024
#define BICTCP_HZ 10
#define CUBIC_BETA 717
#define CUBIC_BIC_SCALE 41
#define CUBIC_BETA_SCALE                                                      \
	(8 * (BICTCP_BETA_SCALE + CUBIC_BETA) / 3 /                           \
	 (BICTCP_BETA_SCALE - CUBIC_BETA))
#define CUBE_RTT_SCALE (CUBIC_BIC_SCALE * 10)
#define CUBE_FACTOR ((1ull << (10 + 3 * BICTCP_HZ)) / CUBE_RTT_SCALE)

struct bictcp {
	uint32_t cnt;            /* increase cwnd by 1 after this many ACKs */
	uint32_t last_max_cwnd;  /* cwnd before the last reduction */
	uint32_t last_cwnd;
	uint32_t last_time;      /* jiffies */
	uint32_t bic_origin_point;
	uint32_t bic_K;          /* time to origin, 2^-10 s */
	uint32_t delay_min;      /* us */
	uint32_t epoch_start;    /* jiffies, 0 = none */
	uint32_t ack_cnt;
	uint32_t tcp_cwnd;       /* what Reno would have */
	uint8_t sample_cnt;      /* RTT samples this round (HyStart) */
	uint8_t found;           /* HyStart ended slow start */
	uint32_t round_start;    /* us, start of the round */
	uint32_t end_seq;        /* snd_nxt when the round began */
	uint32_t last_ack;       /* us, last ACK of the train */
	uint32_t curr_rtt;       /* smallest RTT this round, us */
};

_Static_assert(sizeof(struct bictcp) <= sizeof(((struct inet_connection_sock *)0)->icsk_ca_priv),
	       "icsk_ca_priv too small");

static void bictcp_reset(struct bictcp *ca)
{
	uint32_t delay_min = ca->delay_min;
	*ca = (struct bictcp){ 0 };
	ca->delay_min = delay_min;
}

static uint32_t bictcp_clock_us(void)
{
	return (uint32_t)(local_clock() / 1000u);
}

static void bictcp_hystart_reset(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);

	ca->round_start = ca->last_ack = bictcp_clock_us();
	ca->end_seq = tp->snd_nxt;
	ca->curr_rtt = ~0u;
	ca->sample_cnt = 0;
}

static void cubictcp_init(struct sock *sk)
{
	struct bictcp *ca = inet_csk_ca(sk);
	*ca = (struct bictcp){ 0 };
	if (sock_net(sk)->sysctl.tcp_cubic_hystart)
		bictcp_hystart_reset(sk);
}

/* The time a 64 KB GSO burst takes at the pacing rate, at most 1 ms
 * (hystart_ack_delay); the rate as tcp_update_pacing_rate sets it:
 * mss * cwnd / srtt, times 2 in slow start (tcp_pacing_ss_ratio 200)
 * or 1.2 (tcp_pacing_ca_ratio 120). */
static uint32_t hystart_ack_delay(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	uint32_t cwnd = tp->snd_cwnd > tp->packets_out ? tp->snd_cwnd
						       : tp->packets_out;
	uint64_t rate = (uint64_t)tp->mss_cache * ((1000000u / 100u) << 3);
	uint64_t d;

	rate *= tp->snd_cwnd < tp->snd_ssthresh / 2 ? 200u : 120u;
	rate *= cwnd;
	if (tp->srtt_us)
		rate /= tp->srtt_us;
	if (!rate)
		return 0;
	d = (uint64_t)65536u * 4u * 1000000u / rate;
	return d < 1000u ? (uint32_t)d : 1000u;
}

static void hystart_update(struct sock *sk, uint32_t delay)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);
	struct net *net = sock_net(sk);
	long detect = net->sysctl.tcp_cubic_hystart_detect;
	uint32_t threshold;

	if (after(tp->snd_una, ca->end_seq))
		bictcp_hystart_reset(sk);
	if (tp->snd_cwnd < (uint32_t)net->sysctl.tcp_cubic_hystart_low_window)
		return;

	if (detect & HYSTART_ACK_TRAIN) {
		uint32_t now = bictcp_clock_us();

		/* first detection parameter: the ACK train */
		if ((int32_t)(now - ca->last_ack) <=
		    (int32_t)net->sysctl.tcp_cubic_hystart_ack_delta_us) {
			ca->last_ack = now;
			/* past delay_min/2 (no pacing: no RTT/2 allowance) */
			threshold = (ca->delay_min + hystart_ack_delay(sk)) >> 1;
			if ((int32_t)(now - ca->round_start) >
			    (int32_t)threshold) {
				ca->found = 1;
				__NET_INC_STATS(net, TCPHystartTrainDetect);
				__NET_ADD_STATS(net, TCPHystartTrainCwnd,
						tp->snd_cwnd);
				tp->snd_ssthresh = tp->snd_cwnd;
			}
		}
	}

	if (detect & HYSTART_DELAY) {
		/* the smallest delay of the round's first samples */
		if (ca->curr_rtt > delay)
			ca->curr_rtt = delay;
		if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
			ca->sample_cnt++;
		} else {
			uint32_t thresh = ca->delay_min >> 3;
			if (thresh < HYSTART_DELAY_MIN)
				thresh = HYSTART_DELAY_MIN;
			if (thresh > HYSTART_DELAY_MAX)
				thresh = HYSTART_DELAY_MAX;
			if (ca->curr_rtt > ca->delay_min + thresh) {
				ca->found = 1;
				__NET_INC_STATS(net, TCPHystartDelayDetect);
				__NET_ADD_STATS(net, TCPHystartDelayCwnd,
						tp->snd_cwnd);
				tp->snd_ssthresh = tp->snd_cwnd;
			}
		}
	}
}

/* Integer cube root (Linux uses a table plus Newton; same result). */
static uint32_t cubic_root(uint64_t a)
{
	uint64_t x = 0;
	for (int s = 63; s >= 0; s -= 3) {
		x <<= 1;
		uint64_t b = 3 * x * (x + 1) + 1;
		if ((a >> s) >= b) {
			a -= b << s;
			x++;
		}
	}
	return (uint32_t)x;
}

static void bictcp_update(struct bictcp *ca, uint32_t cwnd, uint32_t acked)
{
	uint32_t now = (uint32_t)jiffies;
	uint32_t delta, bic_target, max_cnt;
	uint64_t offs, t;

	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (int32_t)(now - ca->last_time) <= HZ / 32)
		return;
	ca->last_cwnd = cwnd;
	ca->last_time = now;

	if (ca->epoch_start == 0) {
		ca->epoch_start = now ? now : 1;
		ca->ack_cnt = acked;
		ca->tcp_cwnd = cwnd;
		if (ca->last_max_cwnd <= cwnd) {
			ca->bic_K = 0;
			ca->bic_origin_point = cwnd;
		} else {
			ca->bic_K = cubic_root(CUBE_FACTOR *
					       (ca->last_max_cwnd - cwnd));
			ca->bic_origin_point = ca->last_max_cwnd;
		}
	}
	t = (uint64_t)(now - ca->epoch_start) + ca->delay_min / 1000u;
	t = (t << BICTCP_HZ) / HZ;
	offs = t < ca->bic_K ? ca->bic_K - t : t - ca->bic_K;
	delta = (uint32_t)((CUBE_RTT_SCALE * offs * offs * offs) >>
			   (10 + 3 * BICTCP_HZ));
	bic_target = t < ca->bic_K ? ca->bic_origin_point - delta
				   : ca->bic_origin_point + delta;
	if (bic_target > cwnd)
		ca->cnt = cwnd / (bic_target - cwnd);
	else
		ca->cnt = 100 * cwnd;
	if (ca->last_max_cwnd == 0 && ca->cnt > 20)
		ca->cnt = 20;

	/* TCP friendliness */
	delta = (cwnd * CUBIC_BETA_SCALE) >> 3;
	while (delta && ca->ack_cnt > delta) {
		ca->ack_cnt -= delta;
		ca->tcp_cwnd++;
	}
	if (ca->tcp_cwnd > cwnd) {
		delta = ca->tcp_cwnd - cwnd;
		max_cnt = cwnd / delta;
		if (ca->cnt > max_cnt)
			ca->cnt = max_cnt;
	}
	if (ca->cnt < 2)
		ca->cnt = 2;
}

static void cubictcp_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);
	(void)ack;
	if (tcp_in_slow_start(tp)) {
		acked = tcp_slow_start(tp, acked);
		if (!acked)
			return;
	}
	bictcp_update(ca, tp->snd_cwnd, acked);
	tcp_cong_avoid_ai(tp, ca->cnt, acked);
}

static uint32_t cubictcp_recalc_ssthresh(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);
	uint32_t s;

	ca->epoch_start = 0;
	if (tp->snd_cwnd < ca->last_max_cwnd)
		ca->last_max_cwnd = (tp->snd_cwnd *
				     (BICTCP_BETA_SCALE + CUBIC_BETA)) /
				    (2 * BICTCP_BETA_SCALE);
	else
		ca->last_max_cwnd = tp->snd_cwnd;
	s = (tp->snd_cwnd * CUBIC_BETA) / BICTCP_BETA_SCALE;
	return s > 2 ? s : 2;
}

static void cubictcp_state(struct sock *sk, uint8_t new_state)
{
	if (new_state == TCP_CA_Loss) {
		bictcp_reset(inet_csk_ca(sk));
		bictcp_hystart_reset(sk);
	}
}

static void cubictcp_acked(struct sock *sk, uint32_t acked, int64_t rtt_us)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);
	uint32_t delay;
	(void)acked;

	if (rtt_us < 0)
		return;
	/* no delay samples right after fast recovery */
	if (ca->epoch_start &&
	    (int32_t)((uint32_t)jiffies - ca->epoch_start) < HZ)
		return;
	delay = rtt_us ? (uint32_t)rtt_us : 1u;
	if (!ca->delay_min || ca->delay_min > delay)
		ca->delay_min = delay;
	if (!ca->found && tcp_in_slow_start(tp) &&
	    sock_net(sk)->sysctl.tcp_cubic_hystart)
		hystart_update(sk, delay);
}

static uint32_t cubictcp_undo_cwnd(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

const struct tcp_congestion_ops cubictcp = {
	.name = "cubic",
	.init = cubictcp_init,
	.ssthresh = cubictcp_recalc_ssthresh,
	.cong_avoid = cubictcp_cong_avoid,
	.set_state = cubictcp_state,
	.pkts_acked = cubictcp_acked,
	.undo_cwnd = cubictcp_undo_cwnd,
};
