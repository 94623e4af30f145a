/*
 * icmp_mib.c - the per-type ICMP counters: which Icmp In and Out counter
 * (nstat's IcmpInEchos, IcmpOutDestUnreachs...) goes with which message
 * type, as icmpmibmap in net/ipv4/proc.c, and icmp_out_count
 * (net/ipv4/icmp.c), which counts a message sent.  The IcmpMsg
 * InTypeN/OutTypeN counters are net->icmpmsg_in/out[N].
 *
 * Departs from Linux: kpath also keeps the per-type Icmp counters in
 * net->mib (Linux derives them from IcmpMsg when it prints them).
 */
#include "icmp.h"

#include <stddef.h>

#include "icmp_priv.h"
#include "net/core/net_namespace.h"

static const struct {
	uint8_t type;
	int in, out; /* KP_MIB_Icmp_In..., KP_MIB_Icmp_Out... */
} icmpmibmap[] = {
	{ ICMP_DEST_UNREACH, KP_MIB_Icmp_InDestUnreachs,
	  KP_MIB_Icmp_OutDestUnreachs },
	{ ICMP_TIME_EXCEEDED, KP_MIB_Icmp_InTimeExcds,
	  KP_MIB_Icmp_OutTimeExcds },
	{ ICMP_PARAMETERPROB, KP_MIB_Icmp_InParmProbs,
	  KP_MIB_Icmp_OutParmProbs },
	{ ICMP_SOURCE_QUENCH, KP_MIB_Icmp_InSrcQuenchs,
	  KP_MIB_Icmp_OutSrcQuenchs },
	{ ICMP_REDIRECT, KP_MIB_Icmp_InRedirects, KP_MIB_Icmp_OutRedirects },
	{ ICMP_ECHO, KP_MIB_Icmp_InEchos, KP_MIB_Icmp_OutEchos },
	{ ICMP_ECHOREPLY, KP_MIB_Icmp_InEchoReps, KP_MIB_Icmp_OutEchoReps },
	{ ICMP_TIMESTAMP, KP_MIB_Icmp_InTimestamps,
	  KP_MIB_Icmp_OutTimestamps },
	{ ICMP_TIMESTAMPREPLY, KP_MIB_Icmp_InTimestampReps,
	  KP_MIB_Icmp_OutTimestampReps },
	{ ICMP_ADDRESS, KP_MIB_Icmp_InAddrMasks, KP_MIB_Icmp_OutAddrMasks },
	{ ICMP_ADDRESSREPLY, KP_MIB_Icmp_InAddrMaskReps,
	  KP_MIB_Icmp_OutAddrMaskReps },
};

#define ICMPMIBMAP_LEN (sizeof(icmpmibmap) / sizeof(icmpmibmap[0]))

int icmp_in_mib(uint8_t type)
{
	for (size_t i = 0; i < ICMPMIBMAP_LEN; i++)
		if (icmpmibmap[i].type == type)
			return icmpmibmap[i].in;
	return -1;
}

static int icmp_out_mib(uint8_t type)
{
	for (size_t i = 0; i < ICMPMIBMAP_LEN; i++)
		if (icmpmibmap[i].type == type)
			return icmpmibmap[i].out;
	return -1;
}

int icmp_mib_type(int mib, bool *out)
{
	for (size_t i = 0; i < ICMPMIBMAP_LEN; i++) {
		if (icmpmibmap[i].in == mib || icmpmibmap[i].out == mib) {
			*out = icmpmibmap[i].out == mib;
			return icmpmibmap[i].type;
		}
	}
	return -1;
}

void icmp_out_count(struct net *net, unsigned char type)
{
	int mib = icmp_out_mib(type);
	net->icmpmsg_out[type]++;
	__ICMP_INC_STATS(net, OutMsgs);
	if (mib >= 0)
		__KP_INC_STATS(net, mib);
}
