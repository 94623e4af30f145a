/*
 * test_dev.c - net/core devices and receive: net_rx_action's budget and
 * time limit (time_squeeze, re-raise to ksoftirqd), the backlog limit
 * (netdev_max_backlog drops), dispatch to packet_types with taps,
 * unhandled EtherTypes, eth_type_trans, RPS to another CPU.
 */
#include "kp_test.h"
#include "net_fixture.h"
#include "sched/irq.h"

/* ---- a fake NAPI that always has a full weight of work ---- */

static struct {
	struct net_device *dev;
	struct napi_struct napi[2];
	int calls[2];
	int rounds; /* polls that return a full weight */
	long budget, usecs;
} fake;

static int fake_poll(struct napi_struct *n, int weight)
{
	int i = n == &fake.napi[0] ? 0 : 1;
	if (++fake.calls[i] <= fake.rounds)
		return weight;
	napi_complete(n);
	return 0;
}

static int fake_setup(void)
{
	struct net *net = current_net();
	net->sysctl.netdev_budget = fake.budget;
	net->sysctl.netdev_budget_usecs = fake.usecs;
	fake.dev = fx_dev();
	for (int i = 0; i < 2; i++) {
		netif_napi_add(fake.dev, &fake.napi[i], fake_poll, 64);
		napi_enable(&fake.napi[i]);
	}
	/* kernel_init is a task: ksoftirqd will run net_rx_action */
	napi_schedule(&fake.napi[0]);
	napi_schedule(&fake.napi[1]);
	return 0;
}

static void reset_fake(int rounds, long budget, long usecs)
{
	memset(&fake, 0, sizeof(fake));
	fake.rounds = rounds;
	fake.budget = budget;
	fake.usecs = usecs;
}

KP_TEST(net_rx_action_budget_squeezes)
{
	/* two NAPIs, 64 each per poll, 300 per run: 5 polls (320) a run */
	reset_fake(10, 300, 2000);
	struct kp_world *w = fx_run(fake_setup, 1);
	struct softnet_data *sd = fx_sd(w, 0);
	KP_CHECK_EQ(st, fake.calls[0], 11);
	KP_CHECK_EQ(st, fake.calls[1], 11);
	/* 20 full polls = 1280 packets: squeezed after 5, 10, 15, 20 */
	KP_CHECK_EQ(st, sd->time_squeeze, 4);
	KP_CHECK(st, list_empty(&sd->poll_list));
	KP_CHECK(st, !test_bit(NAPI_STATE_SCHED, &fake.napi[0].state));
	KP_CHECK_EQ(st, fake.napi[0].polls, 11);
	KP_CHECK_EQ(st, fake.napi[0].packets, 640);
	KP_CHECK_EQ(st, w->hosts[0]->cpus[0]->softirq_count[NET_RX_SOFTIRQ], 5);
	fx_free(w);
}

KP_TEST(net_rx_action_time_limit_squeezes)
{
	/* no time at all: every poll that leaves work behind squeezes */
	reset_fake(3, 1000000, 0);
	struct kp_world *w = fx_run(fake_setup, 1);
	struct softnet_data *sd = fx_sd(w, 0);
	KP_CHECK_EQ(st, fake.calls[0], 4);
	KP_CHECK_EQ(st, fake.calls[1], 4);
	KP_CHECK_EQ(st, sd->time_squeeze, 7);
	KP_CHECK(st, list_empty(&sd->poll_list));
	fx_free(w);
}

/* ---- dispatch ---- */

static struct {
	struct packet_type ip, tap;
	int ip_seen, tap_seen;
	int users_at_tap, users_at_ip;
	int nr;
	int cpu_of_ip[16];
	int rps;
	int max_backlog;
	struct net_device *dev;
} disp;

static int disp_ip_rcv(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig)
{
	disp.users_at_ip = skb->users;
	if (disp.ip_seen < 16)
		disp.cpu_of_ip[disp.ip_seen] = this_cpu()->id;
	disp.ip_seen++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static int disp_tap_rcv(struct sk_buff *skb, struct net_device *dev,
			struct packet_type *pt, struct net_device *orig)
{
	if (!disp.tap_seen++)
		disp.users_at_tap = skb->users;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void disp_register(bool tap)
{
	disp.ip = (struct packet_type){ .type = ETH_P_IP, .func = disp_ip_rcv,
					.name = "ip_rcv" };
	dev_add_pack(&disp.ip);
	if (tap) {
		disp.tap = (struct packet_type){ .type = ETH_P_ALL,
						 .func = disp_tap_rcv,
						 .name = "tap" };
		dev_add_pack(&disp.tap);
	}
}

static int dispatch_setup(void)
{
	disp.dev = fx_dev();
	disp_register(true);
	struct fx_tcp t = { .sport = 1, .dport = 2, .seq = 1, .flags = 0x10,
			    .payload = 10 };
	netif_receive_skb(fx_tcp_skb(disp.dev, &t));
	/* with a tap, every frame has a taker; without, an ARP frame has
	 * none here */
	struct sk_buff *tapped = fx_tcp_skb(disp.dev, &t);
	tapped->protocol = ETH_P_ARP;
	netif_receive_skb(tapped);
	dev_remove_pack(&disp.tap);
	struct sk_buff *arp = fx_tcp_skb(disp.dev, &t);
	arp->protocol = ETH_P_ARP;
	netif_receive_skb(arp);
	/* a frame for another station */
	struct sk_buff *o = fx_tcp_skb(disp.dev, &t);
	KP_CHECK_EQ(&(struct kp_test_state){ 0 }, o->pkt_type, PACKET_HOST);
	consume_skb(o);
	return 0;
}

KP_TEST(receive_delivers_to_taps_and_handlers)
{
	memset(&disp, 0, sizeof(disp));
	struct kp_world *w = fx_run(dispatch_setup, 1);
	struct net *net = fx_net(w);
	KP_CHECK_EQ(st, disp.ip_seen, 1);
	KP_CHECK_EQ(st, disp.tap_seen, 2); /* the IP frame and one ARP */
	/* the tap got it with an extra user (deliver_skb); the handler with
	 * the caller's reference alone */
	KP_CHECK_EQ(st, disp.users_at_tap, 2);
	KP_CHECK_EQ(st, disp.users_at_ip, 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_UNHANDLED_PROTO], 1);
	KP_CHECK_EQ(st, disp.dev->rx_nohandler, 1);
	KP_CHECK_EQ(st, fx_sd(w, 0)->processed, 3);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	char why[128];
	KP_CHECK_EQ(st, kp_net_check_skbs(net, why, sizeof(why)), 0);
	fx_free(w);
}

static int eth_setup(void)
{
	struct net_device *dev = fx_dev();
	KP_CHECK_STR(&(struct kp_test_state){ 0 }, dev->name, "eth0");
	struct fx_tcp t = { .payload = 4 };
	static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff,
						0xff };
	static const unsigned char mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	static const unsigned char other[6] = { 0x02, 9, 9, 9, 9, 9 };
	const unsigned char *dst[3] = { bcast, mcast, other };
	for (int i = 0; i < 3; i++) {
		struct sk_buff *skb = fx_tcp_skb(dev, &t);
		/* rewrite the destination and classify again */
		skb_push(skb, ETH_HLEN);
		memcpy(skb->data, dst[i], 6);
		skb->pkt_type = PACKET_HOST;
		uint16_t proto = eth_type_trans(skb, dev);
		disp.cpu_of_ip[i] = skb->pkt_type;
		disp.nr += proto == ETH_P_IP && skb->len == 20 + 20 + 4;
		consume_skb(skb);
	}
	/* a runt: too short for an Ethernet header */
	struct sk_buff *runt = netdev_alloc_skb_ip_align(dev, 8);
	memset(skb_put(runt, 8), 0, 8);
	disp.rps = eth_type_trans(runt, dev) == 0 && runt->len == 8;
	consume_skb(runt);
	return 0;
}

KP_TEST(eth_type_trans_classifies)
{
	memset(&disp, 0, sizeof(disp));
	struct kp_world *w = fx_run(eth_setup, 1);
	KP_CHECK_EQ(st, disp.cpu_of_ip[0], PACKET_BROADCAST);
	KP_CHECK_EQ(st, disp.cpu_of_ip[1], PACKET_MULTICAST);
	KP_CHECK_EQ(st, disp.cpu_of_ip[2], PACKET_OTHERHOST);
	KP_CHECK_EQ(st, disp.nr, 3);
	KP_CHECK_EQ(st, disp.rps, 1);
	fx_free(w);
}

/* ---- backlog ---- */

static int backlog_setup(void)
{
	struct net *net = current_net();
	net->sysctl.netdev_max_backlog = disp.max_backlog;
	disp.dev = fx_dev();
	disp_register(false);
	if (disp.rps)
		disp.dev->_rx[0].rps_cpus = 1u << 1; /* steer all to CPU 1 */
	for (int i = 0; i < disp.nr; i++) {
		struct fx_tcp t = { .sport = 7, .dport = 9, .seq = (uint32_t)i,
				    .flags = 0x10, .payload = 1 };
		struct sk_buff *skb = fx_tcp_skb(disp.dev, &t);
		if (disp.rps)
			netif_receive_skb(skb);
		else
			netif_rx(skb);
	}
	return 0;
}

KP_TEST(backlog_limit_drops)
{
	memset(&disp, 0, sizeof(disp));
	disp.max_backlog = 5;
	disp.nr = 10;
	struct kp_world *w = fx_run(backlog_setup, 1);
	struct net *net = fx_net(w);
	struct softnet_data *sd = fx_sd(w, 0);
	/* queued while qlen <= 5: six packets; four dropped */
	KP_CHECK_EQ(st, disp.ip_seen, 6);
	KP_CHECK_EQ(st, sd->dropped, 4);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_CPU_BACKLOG], 4);
	KP_CHECK_EQ(st, disp.dev->rx_dropped, 4);
	KP_CHECK_EQ(st, sd->processed, 6);
	KP_CHECK(st, skb_queue_empty(&sd->input_pkt_queue));
	KP_CHECK(st, skb_queue_empty(&sd->process_queue));
	KP_CHECK(st, !test_bit(NAPI_STATE_SCHED, &sd->backlog.state));
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

KP_TEST(rps_steers_to_another_cpu)
{
	memset(&disp, 0, sizeof(disp));
	disp.max_backlog = 1000;
	disp.nr = 3;
	disp.rps = 1;
	struct kp_world *w = fx_run(backlog_setup, 2);
	KP_CHECK_EQ(st, disp.ip_seen, 3);
	for (int i = 0; i < 3; i++)
		KP_CHECK_EQ(st, disp.cpu_of_ip[i], 1);
	KP_CHECK_EQ(st, fx_sd(w, 1)->received_rps, 1);
	KP_CHECK_EQ(st, fx_sd(w, 1)->processed, 3);
	KP_CHECK_EQ(st, fx_sd(w, 0)->processed, 0);
	fx_free(w);
}

KP_TEST_MAIN(net_rx_action_budget_squeezes, net_rx_action_time_limit_squeezes,
	     receive_delivers_to_taps_and_handlers, eth_type_trans_classifies,
	     backlog_limit_drops, rps_steers_to_another_cpu)
