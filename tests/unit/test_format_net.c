/*
 * test_format_net.c - the network tools' faces: /proc/net/snmp over a
 * hand-built struct net, the frame builder checked by the capture
 * decoder, and on a booted world nstat's columns and history,
 * softnet_stat's hex columns, sysctl, and ip -s link over a hand-built
 * device.
 */
#include <stdlib.h>

#include "capture/decode.h"
#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "net/core/netdevice.h"
#include "sched/host.h"
#include "ui/format_net.h"
#include "ui/frame_build.h"
#include "test_session.h"

/* ---- without a world ---- */

KP_TEST(proc_snmp_columns_and_icmpmsg)
{
	struct net *net = calloc(1, sizeof(*net));
	struct kp_strbuf sb;
	struct kp_out out;
	kp_strbuf_init(&sb);
	kp_out_init_strbuf(&out, &sb);
	net->sysctl.ip_forward = 0;
	net->sysctl.ip_default_ttl = 64;
	net->mib[KP_MIB_Ip_InReceives] = 12;
	net->mib[KP_MIB_Udp_NoPorts] = 3;
	net->icmpmsg_in[3] = 2;
	kp_fmt_proc_snmp(&out, net);
	const char *t = kp_strbuf_str(&sb);
	KP_CHECK(st, strncmp(t, "Ip: Forwarding DefaultTTL InReceives "
				"InHdrErrors", 47) == 0);
	KP_CHECK(st, strstr(t, "\nIp: 2 64 12 0 ") != NULL);
	KP_CHECK(st, strstr(t, "\nIcmpMsg: InType3\nIcmpMsg: 2\n") != NULL);
	/* InDestUnreachs comes from IcmpMsg InType3: "Icmp: 0 0 0 2" */
	KP_CHECK(st, strstr(t, "\nIcmp: 0 0 0 2 ") != NULL);
	KP_CHECK(st, strstr(t, "Udp: InDatagrams NoPorts") != NULL);
	KP_CHECK(st, strstr(t, "\nUdp: 0 3 ") != NULL);
	KP_CHECK(st, strstr(t, "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn") !=
			     NULL);
	KP_CHECK(st, strstr(t, "\nTcp: 1 200 120000 -1 ") != NULL);
	KP_CHECK_EQ(st, kp_net_mib_value(net, KP_MIB_Ip_Forwarding), 2);
	kp_strbuf_free(&sb);
	free(net);
}

KP_TEST(frame_builder_makes_valid_udp)
{
	struct kp_frame_spec sp;
	uint8_t buf[KP_FRAME_MAX];
	struct kp_decoded d;
	kp_frame_spec_init(&sp);
	KP_CHECK_EQ(st, kp_parse_ipv4_port("10.0.0.1:5000", &sp.saddr,
					   &sp.sport),
		    0);
	KP_CHECK_EQ(st, kp_parse_ipv4_port("10.0.0.2:9", &sp.daddr, &sp.dport),
		    0);
	KP_CHECK_EQ(st, sp.saddr, 0x0a000001);
	sp.payload = (const uint8_t *)"hello";
	sp.payload_len = 5;
	int len = kp_frame_build(&sp, buf, sizeof(buf));
	KP_CHECK_EQ(st, len, 60); /* 14 + 20 + 8 + 5 = 47, padded */
	KP_CHECK_EQ(st, kp_decode_frame(&d, buf, (uint32_t)len, (uint32_t)len),
		    0);
	KP_CHECK(st, d.layers & KP_LAYER_UDP);
	KP_CHECK_EQ(st, d.udp.sport, 5000);
	KP_CHECK_EQ(st, d.udp.dport, 9);
	KP_CHECK_EQ(st, d.udp.len, 13);
	KP_CHECK(st, d.ip.csum_ok);
	KP_CHECK(st, d.udp.csum_checked && d.udp.csum_ok);
	KP_CHECK_EQ(st, d.ip.tot_len, 33);

	/* the next datagram of a burst: only the IP id and its checksum
	 * differ from a frame built whole */
	uint8_t whole[128];
	sp.ip_id = 2;
	KP_CHECK_EQ(st, kp_frame_build(&sp, whole, sizeof(whole)), 60);
	kp_frame_set_ip_id(&sp, buf, 2);
	KP_CHECK(st, memcmp(buf, whole, 60) == 0);

	sp.bad_ip_csum = true;
	len = kp_frame_build(&sp, buf, sizeof(buf));
	kp_decode_frame(&d, buf, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_BAD_CSUM));
	kp_frame_set_ip_id(&sp, buf, 3);
	kp_decode_frame(&d, buf, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_BAD_CSUM));
	KP_CHECK_EQ(st, d.ip.id, 3);

	kp_frame_spec_init(&sp);
	sp.l4 = KP_FRAME_ICMP_ECHO;
	sp.icmp_id = 1;
	sp.icmp_seq = 7;
	len = kp_frame_build(&sp, buf, sizeof(buf));
	kp_decode_frame(&d, buf, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, d.layers & KP_LAYER_ICMP);
	KP_CHECK_EQ(st, d.icmp.type, 8);
	KP_CHECK_EQ(st, d.icmp.seq, 7);
	KP_CHECK(st, d.icmp.csum_ok);

	sp.ihl = 4;
	len = kp_frame_build(&sp, buf, sizeof(buf));
	kp_decode_frame(&d, buf, (uint32_t)len, (uint32_t)len);
	KP_CHECK(st, kp_decode_has_problem(&d, KP_PROB_IP_BAD_IHL));

	kp_frame_spec_init(&sp);
	sp.trunc = 20;
	KP_CHECK_EQ(st, kp_frame_build(&sp, buf, sizeof(buf)), 20);
	KP_CHECK_EQ(st, kp_parse_ipv4("10.0.0.256", &sp.saddr), -1);
	KP_CHECK_EQ(st, kp_parse_ipv4_port("10.0.0.1", &sp.saddr, &sp.sport),
		    -1);
}

/* ---- on a booted world ---- */

struct fixture {
	struct kp_strbuf sb;
	struct kp_out out;
	struct kp_session *s;
	struct kp_host *server;
};

static void setup(struct fixture *f)
{
	f->s = test_session_new(&f->sb, &f->out, true);
	kp_session_start(f->s, &f->out);
	f->server = kp_host_by_name(f->s->world, "server");
}

static void teardown(struct fixture *f)
{
	test_session_free(f->s, &f->sb);
}

static const char *run(struct fixture *f, const char *line)
{
	kp_strbuf_reset(&f->sb);
	kp_session_exec(f->s, line);
	return kp_strbuf_str(&f->sb);
}

KP_TEST(nstat_columns_and_history)
{
	struct fixture f;
	setup(&f);
	struct net *net = f.server->net;
	net->mib[KP_MIB_Ip_InReceives] = 12;
	KP_CHECK_STR(st, run(&f, "nstat IpInReceives"),
		     "#kernel\n"
		     "IpInReceives                    12                 0.0\n");
	/* the second call shows the growth since the first */
	net->mib[KP_MIB_Ip_InReceives] = 17;
	net->mib[KP_MIB_Udp_NoPorts] = 2;
	KP_CHECK_STR(st, run(&f, "nstat"),
		     "#kernel\n"
		     "IpInReceives                    5                  0.0\n"
		     "UdpNoPorts                      2                  0.0\n");
	KP_CHECK_STR(st, run(&f, "nstat"), "#kernel\n");
	/* -a: absolute; -z: zeros too; history is per host */
	const char *t = run(&f, "nstat -az Udp*");
	KP_CHECK(st, strstr(t, "UdpNoPorts                      2 ") != NULL);
	KP_CHECK(st, strstr(t, "UdpInDatagrams                  0 ") != NULL);
	KP_CHECK(st, strstr(t, "IpInReceives") == NULL);
	KP_CHECK(st, strstr(run(&f, "nstat -a client"), "IpInReceives") ==
			     NULL);
	/* gauges nstat leaves out */
	KP_CHECK(st, strstr(run(&f, "nstat -az"), "IpForwarding") == NULL);
	teardown(&f);
}

KP_TEST(softnet_stat_and_sysctl)
{
	struct fixture f;
	setup(&f);
	struct softnet_data *sd = kp_softnet_of(f.server->cpus[1]);
	KP_CHECK(st, sd != NULL);
	if (sd) {
		sd->processed = 0x1234;
		sd->time_squeeze = 3;
		const char *t = run(&f, "cat /proc/net/softnet_stat");
		KP_CHECK(st, strstr(t, "\n00001234 00000000 00000003 00000000 "
				       "00000000 00000000 00000000 00000000 "
				       "00000000 00000000 00000000 00000000 "
				       "00000001\n") != NULL);
	}
	KP_CHECK_STR(st, run(&f, "sysctl net.core.netdev_budget"),
		     "net.core.netdev_budget = 300\n");
	KP_CHECK_STR(st, run(&f, "sysctl net.core.netdev_budget=64"),
		     "net.core.netdev_budget = 64\n");
	KP_CHECK_EQ(st, f.server->net->sysctl.netdev_budget, 64);
	KP_CHECK(st, strstr(run(&f, "sysctl -w net.core.netdev_budget=-1"),
			    "Invalid argument") != NULL);
	KP_CHECK_EQ(st, f.server->net->sysctl.netdev_budget, 64);
	KP_CHECK_STR(st, run(&f, "cat /proc/sys/net/core/netdev_budget"),
		     "64\n");
	teardown(&f);
}

KP_TEST(ip_s_link_columns)
{
	struct fixture f;
	setup(&f);
	struct net_device *dev = calloc(1, sizeof(*dev));
	snprintf(dev->name, sizeof(dev->name), "test0");
	dev->ifindex = 9;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_LOWER_UP |
		     IFF_RUNNING;
	dev->mtu = 1500;
	dev->tx_queue_len = 1000;
	dev->real_num_tx_queues = 2;
	memcpy(dev->dev_addr, "\x52\x54\x00\x12\x34\x56", 6);
	memset(dev->broadcast, 0xff, 6);
	dev->stats.rx_bytes = 28394519;
	dev->stats.rx_packets = 24108;
	dev->stats.rx_missed_errors = 7;
	dev->rx_dropped = 2;
	list_add_tail(&dev->dev_list, &f.server->net->dev_base_head);
	KP_CHECK_STR(st, run(&f, "ip -s link show test0"),
		     "9: test0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 "
		     "qdisc mq state UP mode DEFAULT group default qlen 1000\n"
		     "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n"
		     "    RX:  bytes packets errors dropped  missed   mcast  "
		     "         \n"
		     "      28394519   24108      0       2       7       0 \n"
		     "    TX:  bytes packets errors dropped carrier collsns  "
		     "         \n"
		     "             0       0      0       0       0       0 \n");
	KP_CHECK(st, strstr(run(&f, "ip link show nodev"), "No device "
							     "'nodev'") != NULL);
	list_del(&dev->dev_list);
	free(dev);
	teardown(&f);
}

KP_TEST_MAIN(proc_snmp_columns_and_icmpmsg, frame_builder_makes_valid_udp,
	     nstat_columns_and_history, softnet_stat_and_sysctl,
	     ip_s_link_columns)
