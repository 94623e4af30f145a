/*
 * test_ip_input.c - IPv4 input (src/net/ipv4/ip_input.c, route.c): every
 * drop of ip_rcv / ip_rcv_finish / ip_local_deliver_finish with its
 * reason and counter, delivery to the protocol handler, trimming of
 * link-layer padding, broadcast and martians.
 */
#include "kp_test.h"
#include "test_ip_fixture.h"

static int body_drops(void)
{
	fx_setup();
	struct net *net = current_net();
	fx_rcv(&(struct fx_pkt){ .payload = 8 });                /* ok */
	fx_rcv(&(struct fx_pkt){ .payload = 8, .pkt_type = PACKET_OTHERHOST });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .ihl = 4 });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .version = 6 });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .badsum = true });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .tot_len = 100 });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .tot_len = 16 });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .trunc = 10 });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .dst = "10.0.0.99" });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .proto = 99 });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .src = "127.0.0.1" });
	fx_rcv(&(struct fx_pkt){ .payload = 8, .dst = "0.1.2.3" });
	net->sysctl.ip_forward = 1;
	fx_rcv(&(struct fx_pkt){ .payload = 8, .dst = "192.168.1.1" });
	net->sysctl.ip_forward = 0;
	return 0;
}

KP_TEST(ip_rcv_drops_each_bad_packet_with_reason_and_counter)
{
	struct kp_world *w = fx_run(body_drops);
	struct net *net = fx_net(w);
	KP_CHECK_EQ(st, fx.delivered, 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_InDelivers], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_OTHERHOST], 1);
	/* ihl 4, version 6, tot_len < ihl*4, 10-byte packet */
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_INHDR], 4);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_CSUM], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_IpExt_InCsumErrors], 1);
	/* the checksum error counts as a header error too */
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_InHdrErrors], 5);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_PKT_TOO_SMALL], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_IpExt_InTruncatedPkts], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_INADDRERRORS], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_InAddrErrors], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_INNOROUTES], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_IpExt_InNoRoutes], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_NOPROTO], 1);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_InUnknownProtos], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_INVALID_SOURCE], 1);
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_IP_INVALID_DEST], 1);
	/* every packet but the PACKET_OTHERHOST one was received */
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_InReceives], 12);
	KP_CHECK_STR(st, net->drop_detail[SKB_DROP_REASON_IP_INHDR],
		     "10 bytes, shorter than an IP header");
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

static int body_deliver(void)
{
	fx_setup();
	/* 20 + 8 bytes of IP, 18 bytes of Ethernet padding */
	fx_rcv(&(struct fx_pkt){ .payload = 8, .pad = 18, .fill = 'a' });
	fx_rcv(&(struct fx_pkt){ .payload = 4, .dst = "10.0.0.255" });
	fx_rcv(&(struct fx_pkt){ .payload = 4, .dst = "255.255.255.255" });
	return 0;
}

KP_TEST(ip_rcv_trims_padding_and_delivers_payload_and_broadcasts)
{
	struct kp_world *w = fx_run(body_deliver);
	struct net *net = fx_net(w);
	KP_CHECK_EQ(st, fx.delivered, 3);
	KP_CHECK_EQ(st, net->mib[KP_MIB_Ip_InDelivers], 3);
	KP_CHECK_EQ(st, net->mib[KP_MIB_IpExt_InBcastPkts], 2);
	KP_CHECK_EQ(st, net->mib[KP_MIB_IpExt_InOctets], 28 + 18 + 24 + 24);
	KP_CHECK_EQ(st, net->mib[KP_MIB_IpExt_InNoECTPkts], 3);
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

static unsigned int first_len;
static unsigned char first_byte;
static int body_first(void)
{
	fx_setup();
	fx_rcv(&(struct fx_pkt){ .payload = 8, .pad = 18, .fill = 'a' });
	first_len = fx.last_len;
	first_byte = fx.last_payload[0];
	return 0;
}

KP_TEST(handler_sees_transport_payload_only)
{
	struct kp_world *w = fx_run(body_first);
	KP_CHECK_EQ(st, first_len, 8);
	KP_CHECK_EQ(st, first_byte, 'a');
	fx_free(w);
}

KP_TEST_MAIN(ip_rcv_drops_each_bad_packet_with_reason_and_counter,
	     ip_rcv_trims_padding_and_delivers_payload_and_broadcasts,
	     handler_sees_transport_payload_only)
