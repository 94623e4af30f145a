/*
 * test_gro.c - GRO: in-order TCP segments of one flow merge into one skb
 * (frag_list, IP tot_len and checksum, gso_segs); out-of-order ones,
 * corrupted ones and flows with GRO off go up one by one; PSH ends a
 * merged flow at once; at most MAX_GRO_SKBS flows are held.
 */
#include "kp_test.h"
#include "net/ipv4/ip.h"
#include "net_fixture.h"

#define MAXD 16

static struct {
	struct packet_type ip;
	struct napi_struct napi;
	struct net_device *dev;
	int n;
	unsigned int len[MAXD];
	unsigned int segs[MAXD];
	uint32_t seq[MAXD];
	int csum_ok[MAXD];
	int bytes_ok[MAXD];
	int held_after_rx, held_max;
	int scenario;
} g;

static int g_ip_rcv(struct sk_buff *skb, struct net_device *dev,
		    struct packet_type *pt, struct net_device *orig)
{
	if (g.n < MAXD) {
		unsigned char buf[2048];
		int i = g.n;
		g.len[i] = skb->len;
		g.segs[i] = skb_shinfo(skb)->gso_segs;
		const unsigned char *th = skb->data + 20;
		g.seq[i] = (uint32_t)th[4] << 24 | (uint32_t)th[5] << 16 |
			   (uint32_t)th[6] << 8 | th[7];
		const struct iphdr *iph = (const struct iphdr *)skb->data;
		g.csum_ok[i] = ip_fast_csum(iph, 5) == 0 &&
			       ntohs(iph->tot_len) == skb->len;
		/* payload byte k of a segment is (seq + k) & 0xff */
		g.bytes_ok[i] = 0;
		if (skb->len <= sizeof(buf) &&
		    !skb_copy_bits(skb, 0, buf, (int)skb->len)) {
			g.bytes_ok[i] = 1;
			for (unsigned int k = 40; k < skb->len; k++)
				if (buf[k] != (unsigned char)(g.seq[i] + k - 40))
					g.bytes_ok[i] = 0;
		}
	}
	g.n++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void g_rx(uint16_t sport, uint32_t seq, uint16_t id, uint8_t flags,
		 unsigned int payload, bool corrupt)
{
	struct fx_tcp t = { .sport = sport, .dport = 80, .seq = seq,
			    .ack = 5000, .flags = flags, .ip_id = id,
			    .payload = payload };
	struct sk_buff *skb = fx_tcp_skb(g.dev, &t);
	if (corrupt)
		skb->data[40] ^= 0xff; /* first payload byte */
	napi_gro_receive(&g.napi, skb);
}

static int g_poll(struct napi_struct *n, int budget)
{
	return 0;
}

static int gro_setup(void)
{
	g.dev = fx_dev();
	g.ip = (struct packet_type){ .type = ETH_P_IP, .func = g_ip_rcv,
				     .name = "ip_rcv" };
	dev_add_pack(&g.ip);
	netif_napi_add(g.dev, &g.napi, g_poll, 64);
	switch (g.scenario) {
	case 0: /* in order */
		g_rx(1, 1000, 1, 0x10, 100, false);
		g_rx(1, 1100, 2, 0x10, 100, false);
		g_rx(1, 1200, 3, 0x10, 100, false);
		break;
	case 1: /* out of order */
		g_rx(1, 1000, 1, 0x10, 100, false);
		g_rx(1, 1200, 3, 0x10, 100, false);
		g_rx(1, 1100, 2, 0x10, 100, false);
		break;
	case 2: /* PSH ends the train; a bad checksum is not merged */
		g_rx(1, 1000, 1, 0x10, 100, false);
		g_rx(1, 1100, 2, 0x18, 100, false);
		g_rx(2, 1000, 1, 0x10, 100, true);
		break;
	case 3: /* GRO off */
		g.dev->features &= ~NETIF_F_GRO;
		g_rx(1, 1000, 1, 0x10, 100, false);
		g_rx(1, 1100, 2, 0x10, 100, false);
		break;
	case 4: /* ten flows: only eight are held */
		for (int i = 0; i < 10; i++)
			g_rx((uint16_t)(100 + i), 1000, 1, 0x10, 100, false);
		break;
	}
	g.held_after_rx = (int)g.napi.gro_count;
	napi_gro_flush(&g.napi, false);
	return 0;
}

static struct kp_world *run_scenario(int s)
{
	memset(&g, 0, sizeof(g));
	g.scenario = s;
	return fx_run(gro_setup, 1);
}

static void check_clean(struct kp_test_state *st, struct kp_world *w)
{
	struct net *net = fx_net(w);
	char why[160];
	KP_CHECK_EQ(st, kp_net_check_skbs(net, why, sizeof(why)), 0);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	KP_CHECK(st, g.napi.gro_list == NULL);
	KP_CHECK_EQ(st, g.napi.gro_count, 0);
}

KP_TEST(gro_merges_in_order_segments)
{
	struct kp_world *w = run_scenario(0);
	KP_CHECK_EQ(st, g.held_after_rx, 1);
	KP_CHECK_EQ(st, g.n, 1);
	KP_CHECK_EQ(st, g.len[0], 40 + 300);
	KP_CHECK_EQ(st, g.segs[0], 3);
	KP_CHECK_EQ(st, g.seq[0], 1000);
	KP_CHECK(st, g.csum_ok[0]);
	KP_CHECK(st, g.bytes_ok[0]);
	/* the two merged skbs ended consumed with the head */
	KP_CHECK_EQ(st, fx_net(w)->skb.consumed, fx_net(w)->skb.allocated);
	check_clean(st, w);
	fx_free(w);
}

KP_TEST(gro_refuses_out_of_order)
{
	struct kp_world *w = run_scenario(1);
	KP_CHECK_EQ(st, g.n, 3);
	KP_CHECK_EQ(st, g.seq[0], 1000);
	KP_CHECK_EQ(st, g.seq[1], 1200);
	KP_CHECK_EQ(st, g.seq[2], 1100);
	for (int i = 0; i < 3; i++) {
		KP_CHECK_EQ(st, g.len[i], 140);
		KP_CHECK_EQ(st, g.segs[i], 0);
		KP_CHECK(st, g.bytes_ok[i]);
	}
	check_clean(st, w);
	fx_free(w);
}

KP_TEST(gro_psh_flushes_and_bad_csum_passes)
{
	struct kp_world *w = run_scenario(2);
	KP_CHECK_EQ(st, g.n, 2);
	/* PSH: merged and sent up at once; then the corrupt one, alone */
	KP_CHECK_EQ(st, g.len[0], 240);
	KP_CHECK_EQ(st, g.segs[0], 2);
	KP_CHECK_EQ(st, g.held_after_rx, 0);
	KP_CHECK_EQ(st, g.len[1], 140);
	KP_CHECK(st, !g.bytes_ok[1]);
	check_clean(st, w);
	fx_free(w);
}

KP_TEST(gro_off_passes_each_segment)
{
	struct kp_world *w = run_scenario(3);
	KP_CHECK_EQ(st, g.n, 2);
	KP_CHECK_EQ(st, g.len[0], 140);
	KP_CHECK_EQ(st, g.len[1], 140);
	check_clean(st, w);
	fx_free(w);
}

KP_TEST(gro_holds_at_most_eight_flows)
{
	struct kp_world *w = run_scenario(4);
	KP_CHECK_EQ(st, g.held_after_rx, 8);
	KP_CHECK_EQ(st, g.n, 10);
	check_clean(st, w);
	fx_free(w);
}

KP_TEST_MAIN(gro_merges_in_order_segments, gro_refuses_out_of_order,
	     gro_psh_flushes_and_bad_csum_passes, gro_off_passes_each_segment,
	     gro_holds_at_most_eight_flows)
