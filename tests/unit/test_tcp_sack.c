/*
 * test_tcp_sack.c - the receiver's SACK blocks (src/net/ipv4/tcp_sack.c)
 * and their wire form (tcp_options_write): newest block first, a block
 * that touches another merges with it, at most four are kept, blocks
 * rcv_nxt passes go.  Pure functions on a tcp_sock built here.
 */
#include <arpa/inet.h>

#include "kp_test.h"
#include "net/ipv4/tcp.h"

struct fixture {
	struct tcp_sock *tp;
	struct sk_buff *dummy; /* keeps the out-of-order queue non-empty */
};

static void fixture_init(struct fixture *f)
{
	f->tp = calloc(1, sizeof(*f->tp));
	f->dummy = calloc(1, sizeof(*f->dummy));
	skb_queue_head_init(&f->tp->out_of_order_queue);
	__skb_queue_tail(&f->tp->out_of_order_queue, f->dummy);
	f->tp->rx_opt.sack_ok = 1;
	f->tp->rcv_nxt = 1001;
}

static void fixture_free(struct fixture *f)
{
	free(f->tp);
	free(f->dummy);
}

static void ofo(struct fixture *f, uint32_t seq, uint32_t end_seq)
{
	tcp_sack_new_ofo_skb((struct sock *)f->tp, seq, end_seq);
}

KP_TEST(test_newest_first)
{
	struct fixture f;
	fixture_init(&f);
	ofo(&f, 2001, 3001);
	ofo(&f, 4001, 5001);
	KP_CHECK_EQ(st, f.tp->rx_opt.num_sacks, 2);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].start_seq, 4001);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].end_seq, 5001);
	KP_CHECK_EQ(st, f.tp->selective_acks[1].start_seq, 2001);
	/* extending the older block brings it to the front */
	ofo(&f, 3001, 3501);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].start_seq, 2001);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].end_seq, 3501);
	KP_CHECK_EQ(st, f.tp->selective_acks[1].start_seq, 4001);
	fixture_free(&f);
}

KP_TEST(test_merge)
{
	struct fixture f;
	fixture_init(&f);
	ofo(&f, 2001, 3001);
	ofo(&f, 4001, 5001);
	ofo(&f, 3001, 4001); /* fills the gap between them */
	KP_CHECK_EQ(st, f.tp->rx_opt.num_sacks, 1);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].start_seq, 2001);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].end_seq, 5001);
	fixture_free(&f);
}

KP_TEST(test_four_kept)
{
	struct fixture f;
	fixture_init(&f);
	for (uint32_t i = 0; i < 5; i++)
		ofo(&f, 2001 + i * 2000, 3001 + i * 2000);
	KP_CHECK_EQ(st, f.tp->rx_opt.num_sacks, TCP_NUM_SACKS);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].start_seq, 10001);
	/* the oldest (2001:3001) fell off */
	for (int i = 0; i < TCP_NUM_SACKS; i++)
		KP_CHECK(st, f.tp->selective_acks[i].start_seq != 2001);
	fixture_free(&f);
}

KP_TEST(test_remove)
{
	struct fixture f;
	fixture_init(&f);
	ofo(&f, 2001, 3001);
	ofo(&f, 4001, 5001);
	f.tp->rcv_nxt = 3001; /* the hole filled up to the first block */
	tcp_sack_remove(f.tp);
	KP_CHECK_EQ(st, f.tp->rx_opt.num_sacks, 1);
	KP_CHECK_EQ(st, f.tp->selective_acks[0].start_seq, 4001);
	/* an empty out-of-order queue: no blocks at all */
	__skb_unlink(f.dummy, &f.tp->out_of_order_queue);
	tcp_sack_remove(f.tp);
	KP_CHECK_EQ(st, f.tp->rx_opt.num_sacks, 0);
	fixture_free(&f);
}

KP_TEST(test_wire_form)
{
	struct tcp_out_options opts;
	unsigned char buf[40];
	uint32_t v;

	memset(&opts, 0, sizeof(opts));
	memset(buf, 0xee, sizeof(buf));
	opts.num_sack_blocks = 2;
	opts.sacks[0].start_seq = 4001;
	opts.sacks[0].end_seq = 5001;
	opts.sacks[1].start_seq = 2001;
	opts.sacks[1].end_seq = 3001;
	tcp_options_write(buf, &opts);
	KP_CHECK_EQ(st, buf[0], TCPOPT_NOP);
	KP_CHECK_EQ(st, buf[1], TCPOPT_NOP);
	KP_CHECK_EQ(st, buf[2], TCPOPT_SACK);
	KP_CHECK_EQ(st, buf[3], 2 + 2 * 8);
	memcpy(&v, buf + 4, 4);
	KP_CHECK_EQ(st, ntohl(v), 4001);
	memcpy(&v, buf + 16, 4);
	KP_CHECK_EQ(st, ntohl(v), 3001);
	KP_CHECK_EQ(st, buf[20], 0xee); /* nothing written past them */
}

KP_TEST_MAIN(test_newest_first, test_merge, test_four_kept, test_remove,
	     test_wire_form)
