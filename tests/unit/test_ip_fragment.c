/*
 * test_ip_fragment.c - IPv4 reassembly (src/net/ipv4/ip_fragment.c):
 * three fragments in order and out of order make one datagram with the
 * right bytes, a duplicate is dropped as DUP_FRAG, an overlap kills the
 * queue, and an incomplete queue expires after ipfrag_time.
 */
#include "kp_test.h"
#include "test_ip_fixture.h"

/* fragment @i of 3 of a 40-byte payload (16 + 16 + 8 bytes) */
static void frag(uint16_t id, int i)
{
	static const int off[3] = { 0, 16, 32 }, len[3] = { 16, 16, 8 };
	fx_rcv(&(struct fx_pkt){ .id = id, .payload = (unsigned)len[i],
				 .frag_off = (uint16_t)((i < 2 ? IP_MF : 0) |
							(off[i] / 8)),
				 .fill = (uint8_t)off[i] });
}

static int body_in_order(void)
{
	fx_setup();
	frag(1, 0);
	frag(1, 1);
	frag(1, 2);
	return 0;
}

static int body_out_of_order(void)
{
	fx_setup();
	frag(2, 2);
	frag(2, 0);
	frag(2, 0); /* duplicate */
	frag(2, 1);
	return 0;
}

static void check_datagram(struct kp_test_state *st)
{
	KP_CHECK_EQ(st, fx.delivered, 1);
	KP_CHECK_EQ(st, fx.last_len, 40);
	int bad = 0;
	for (int i = 0; i < 40; i++)
		bad += fx.last_payload[i] != i;
	KP_CHECK_EQ(st, bad, 0);
}

KP_TEST(three_fragments_in_order_reassemble)
{
	struct kp_world *w = fx_run(body_in_order);
	struct net *net = fx_net(w);
	check_datagram(st);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmReqds], 3);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmOKs], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmFails], 0);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_InDelivers], 1);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

KP_TEST(fragments_out_of_order_reassemble_and_duplicate_dropped)
{
	struct kp_world *w = fx_run(body_out_of_order);
	struct net *net = fx_net(w);
	check_datagram(st);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmReqds], 4);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmOKs], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_DUP_FRAG], 1);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

static int body_overlap(void)
{
	fx_setup();
	frag(3, 0);
	/* bytes 8..24 overlap the first fragment's 0..16 */
	fx_rcv(&(struct fx_pkt){ .id = 3, .payload = 16,
				 .frag_off = IP_MF | 1 });
	frag(3, 2);
	return 0;
}

KP_TEST(overlapping_fragment_kills_the_queue)
{
	struct kp_world *w = fx_run(body_overlap);
	struct net *net = fx_net(w);
	KP_CHECK_EQ(st, fx.delivered, 0);
	KP_CHECK_EQ(st, net->mib[KP_MIB_IpExt_ReasmOverlaps], 1);
	/* the last fragment starts a new queue that then times out:
	 * one failure for the overlap, one for the timeout */
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmFails], 2);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmTimeout], 1);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

static int body_timeout(void)
{
	fx_setup();
	frag(4, 0);
	frag(4, 2);
	return 0;
}

KP_TEST(incomplete_queue_expires_after_ipfrag_time)
{
	struct kp_world *w = fx_run(body_timeout);
	struct net *net = fx_net(w);
	KP_CHECK_EQ(st, fx.delivered, 0);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmTimeout], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_ReasmFails], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_FRAG_REASM_TIMEOUT], 2);
	/* ipfrag_time is 30 s of virtual time */
	KP_CHECK(st, w->now >= 30000000000ull);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

KP_TEST_MAIN(three_fragments_in_order_reassemble,
	     fragments_out_of_order_reassemble_and_duplicate_dropped,
	     overlapping_fragment_kills_the_queue,
	     incomplete_queue_expires_after_ipfrag_time)
