/*
 * protocol.c - the IPv4 transport-protocol table (net/ipv4/protocol.c).
 *
 * inet_init registers ICMP, UDP and TCP here; ip_local_deliver_finish
 * looks the handler up by the IP header's protocol.  Departure: the
 * table lives in each host's struct net (inet_protos), not in a global,
 * and is set with a plain store (one emulated CPU runs at a time).
 */
#include "inet_protocol.h"

#include "engine/probe.h"
#include "net/core/net_namespace.h"

int inet_add_protocol(const struct net_protocol *prot, unsigned char protocol)
{
	KP_FUNC_ARG(inet_add_protocol, KP_NOOBJ, protocol);
	struct net *net = current_net();

	if (net->inet_protos[protocol])
		return -1;
	net->inet_protos[protocol] = prot;
	return 0;
}

int inet_del_protocol(const struct net_protocol *prot, unsigned char protocol)
{
	struct net *net = current_net();

	if (net->inet_protos[protocol] != prot)
		return -1;
	net->inet_protos[protocol] = NULL;
	return 0;
}
