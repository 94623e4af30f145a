/*
 * test_udp_send.c - the UDP and ICMP send side on the default world
 * (client 10.0.0.1, server 10.0.0.2): datagrams from udp-client reach
 * udp-server with a checksum the receiver verifies; a closed port
 * answers with ICMP port unreachable, rate limited per destination as
 * Linux (burst of 6); ping gets its echo replies; the send buffer
 * fills while ARP holds the first packets and the sender sleeps in
 * sock_wait_for_wmem; every skb is freed at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "default_world.h"
#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "user/uprog.h"

static void run(struct kp_world *w, const char *host, const char *prog,
		int argc, char *const argv[])
{
	struct kp_host *h = kp_host_by_name(w, host);
	if (!h || kp_user_spawn(h, prog, argc, argv) < 0)
		return;
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	kp_world_run(w);
}

static uint64_t mib(struct kp_world *w, const char *host, int field)
{
	return kp_host_by_name(w, host)->net->mib[field];
}

KP_TEST(test_udp_to_server)
{
	struct kp_world *w = boot();
	char *srv[] = { "7000", "3" };
	char *cli[] = { "10.0.0.2:7000", "3", "100" };
	run(w, "server", "udp-server", 2, srv);
	run(w, "client", "udp-client", 3, cli);
	KP_CHECK_EQ(st, mib(w, "client", KP_MIB_Udp_OutDatagrams), 3);
	KP_CHECK_EQ(st, mib(w, "client", KP_MIB_Udp_SndbufErrors), 0);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Udp_InDatagrams), 3);
	/* the receiver verified the checksum udp_send_skb computed */
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Udp_InCsumErrors), 0);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Udp_InErrors), 0);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Udp_NoPorts), 0);
	KP_CHECK_EQ(st, kp_host_by_name(w, "client")->net->skb.alive, 0);
	KP_CHECK_EQ(st, kp_host_by_name(w, "server")->net->skb.alive, 0);
	kp_world_free(w);
}

KP_TEST(test_port_unreachable_ratelimit)
{
	struct kp_world *w = boot();
	char *one[] = { "10.0.0.2:9999", "2" };
	run(w, "client", "udp-client", 2, one);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Udp_NoPorts), 2);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Icmp_OutDestUnreachs), 2);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Icmp_OutMsgs), 2);
	KP_CHECK_EQ(st, mib(w, "client", KP_MIB_Icmp_InDestUnreachs), 2);
	/* the bucket had 6 tokens, 2 are spent; the world idled for
	 * seconds since (neighbour timers), so it is full again: a burst
	 * of 100 gets 6 answers, 94 are limited */
	char *burst[] = { "10.0.0.2:9999", "100" };
	run(w, "client", "udp-client", 2, burst);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Udp_NoPorts), 102);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Icmp_OutDestUnreachs), 8);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Icmp_OutRateLimitHost), 94);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Icmp_OutRateLimitGlobal), 0);
	KP_CHECK_EQ(st, mib(w, "client", KP_MIB_Icmp_InDestUnreachs), 8);
	KP_CHECK_EQ(st, kp_host_by_name(w, "server")->net->skb.alive, 0);
	kp_world_free(w);
}

KP_TEST(test_ping)
{
	struct kp_world *w = boot();
	char *args[] = { "-c", "2", "-i", "0.5", "10.0.0.2" };
	run(w, "client", "ping", 5, args);
	KP_CHECK_EQ(st, mib(w, "client", KP_MIB_Icmp_OutEchos), 2);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Icmp_InEchos), 2);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Icmp_OutEchoReps), 2);
	KP_CHECK_EQ(st, mib(w, "client", KP_MIB_Icmp_InEchoReps), 2);
	KP_CHECK_EQ(st, kp_host_by_name(w, "server")->net->icmpmsg_out[0], 2);
	/* every reply went to the ping socket: none dropped */
	KP_CHECK_EQ(st,
		    kp_host_by_name(w, "client")->net->drops
			    [SKB_DROP_REASON_NO_SOCKET],
		    0);
	KP_CHECK_EQ(st, kp_host_by_name(w, "client")->net->skb.alive, 0);
	kp_world_free(w);
}

KP_TEST(test_bulk_fills_sndbuf)
{
	struct kp_world *w = boot();
	char *srv[] = { "7000", "0" };
	char *cli[] = { "10.0.0.2:7000", "400", "1400" };
	run(w, "server", "udp-server", 2, srv);
	run(w, "client", "udp-client", 3, cli);
	/* all sent, none lost: the sender waited for room instead */
	KP_CHECK_EQ(st, mib(w, "client", KP_MIB_Udp_OutDatagrams), 400);
	KP_CHECK_EQ(st, mib(w, "server", KP_MIB_Udp_InDatagrams), 400);
	KP_CHECK_EQ(st, kp_host_by_name(w, "client")->net->skb.alive, 0);
	kp_world_free(w);
}

KP_TEST_MAIN(test_udp_to_server, test_port_unreachable_ratelimit, test_ping,
	     test_bulk_fills_sndbuf)
