/*
 * test_icmp.c - the pieces of ICMP that need no world: the per-type
 * counters (icmp_mib.c: which Icmp In/Out counter goes with which type,
 * as nstat reads them) and the checksum every ICMP message carries
 * (kp_icmp_csum, RFC 1071); and the ICMP state icmp_init gives each
 * booted stack.  The send and receive paths, with their
 * rate limits, are tested on the default world in test_udp_send.c and
 * tests/scenarios/tx/icmp_*.kp.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "default_world.h"
#include "kp_test.h"
#include "net/core/net_namespace.h"
#include "net/core/snmp.h"
#include "net/core/sock.h"
#include "net/ipv4/icmp.h"
#include "sched/host.h"

KP_TEST(test_mib_types)
{
	static const struct {
		int mib, type;
		bool out;
	} cases[] = {
		{ KP_MIB_Icmp_InEchos, ICMP_ECHO, false },
		{ KP_MIB_Icmp_OutEchoReps, ICMP_ECHOREPLY, true },
		{ KP_MIB_Icmp_InDestUnreachs, ICMP_DEST_UNREACH, false },
		{ KP_MIB_Icmp_OutTimeExcds, ICMP_TIME_EXCEEDED, true },
		{ KP_MIB_Icmp_InAddrMaskReps, ICMP_ADDRESSREPLY, false },
		/* the totals, and other protocols' counters, are no type's */
		{ KP_MIB_Icmp_InMsgs, -1, false },
		{ KP_MIB_Icmp_OutErrors, -1, false },
		{ KP_MIB_Udp_InDatagrams, -1, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool out = !cases[i].out;
		KP_CHECK_EQ(st, icmp_mib_type(cases[i].mib, &out),
			    cases[i].type);
		if (cases[i].type >= 0)
			KP_CHECK_EQ(st, out, cases[i].out);
	}
}

KP_TEST(test_csum_rfc1071)
{
	/* RFC 1071 section 3: the sum of these is ddf2, so the checksum
	 * field holds its complement 220d (in network order) */
	const unsigned char data[] = { 0x00, 0x01, 0xf2, 0x03,
				       0xf4, 0xf5, 0xf6, 0xf7 };
	uint16_t c = kp_icmp_csum(data, sizeof(data));
	unsigned char field[2];
	memcpy(field, &c, 2);
	KP_CHECK_EQ(st, field[0], 0x22);
	KP_CHECK_EQ(st, field[1], 0x0d);
}

KP_TEST(test_csum_verifies)
{
	/* an echo request with an odd length: once the checksum is in,
	 * the message sums to zero, as icmp_rcv checks it */
	unsigned char msg[sizeof(struct icmphdr) + 5] = { 0 };
	struct icmphdr h = { .type = ICMP_ECHO };
	h.un.echo.id = 0x1234;
	h.un.echo.sequence = 0x0100;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "hello", 5);
	uint16_t c = kp_icmp_csum(msg, sizeof(msg));
	memcpy(msg + 2, &c, 2);
	KP_CHECK_EQ(st, kp_icmp_csum(msg, sizeof(msg)), 0);
	/* and a flipped bit shows */
	msg[sizeof(h)] ^= 1;
	KP_CHECK(st, kp_icmp_csum(msg, sizeof(msg)) != 0);
}

KP_TEST(test_no_peer_no_limit)
{
	/* without an inet_peer (out of memory) the per-destination limit
	 * lets the message go, as Linux */
	KP_CHECK(st, inet_peer_xrlim_allow(NULL, 1000));
}

KP_TEST(test_icmp_init)
{
	struct kp_world *w = boot();
	for (int i = 0; i < w->nr_hosts; i++) {
		struct kp_icmp_net *in = w->hosts[i]->net->icmp;
		KP_CHECK(st, in != NULL);
		if (!in)
			continue;
		/* the kernel socket icmp_send and icmp_reply send on */
		KP_CHECK(st, in->icmp_sk != NULL);
		KP_CHECK_EQ(st, in->icmp_sk->sk_type, SOCK_RAW);
		KP_CHECK_EQ(st, in->icmp_sk->sk_protocol, IPPROTO_ICMP);
		/* booting sends no ICMP: no peer yet, nothing counted */
		KP_CHECK(st, list_empty(&in->peers));
		KP_CHECK_EQ(st, w->hosts[i]->net->mib[KP_MIB_Icmp_OutMsgs], 0);
	}
	kp_world_free(w);
}

KP_TEST_MAIN(test_mib_types, test_csum_rfc1071, test_csum_verifies,
	     test_no_peer_no_limit, test_icmp_init)
