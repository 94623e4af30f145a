/*
 * ip_output.h - the IPv4 transmit path (include/net/ip.h, the output
 * half; net/ipv4/ip_output.c, net/ipv4/ip_forward.c).
 *
 * Shapes are current Linux's (net + sk arguments); the step points are
 * the 3.10 function names: ip_local_out -> __ip_local_out -> dst_output
 * -> ip_output -> ip_finish_output (-> ip_fragment) -> ip_finish_output2
 * -> neighbour output -> dev_queue_xmit.
 */
#ifndef KP_NET_IPV4_IP_OUTPUT_H
#define KP_NET_IPV4_IP_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "net/core/skbuff.h"
#include "route.h"

struct net;
struct sock;
struct dst_entry;

/* IP_PMTUDISC_* (include/uapi/linux/in.h): inet_sk(sk)->pmtudisc */
#ifndef IP_PMTUDISC_DONT
#define IP_PMTUDISC_DONT 0
#define IP_PMTUDISC_WANT 1
#define IP_PMTUDISC_DO 2
#define IP_PMTUDISC_PROBE 3
#endif
#ifndef IP_PMTUDISC_OMIT
#define IP_PMTUDISC_OMIT 5
#endif

/* Output route for a flow built from the arguments (flowi4_init_output +
 * ip_route_output_flow).  0 and *@rtp (cached by the FIB: never free
 * it), or -errno (-ENETUNREACH, -EINVAL, -ENODEV); OutNoRoutes is
 * counted on -ENETUNREACH.  Declared in route.h too. */
int ip_route_output_ports(struct net *net, struct flowi4 *fl4,
			  const struct sock *sk, uint32_t daddr,
			  uint32_t saddr, uint16_t dport, uint16_t sport,
			  uint8_t proto, uint8_t tos, int oif,
			  struct rtable **rtp);

/* The TTL of packets sent on @dst by @sk (ip_select_ttl): the socket's
 * IP_TTL, else sysctl ip_default_ttl. */
int ip_select_ttl(const struct sock *sk, const struct dst_entry *dst);

/* A datagram of @length user bytes from @from (copied with
 * copy_from_user), with @transhdrlen bytes of room for the transport
 * header in front of them (skb->transport_header points there), the IP
 * header built (ttl via ip_select_ttl, id, DF per pmtudisc, tos,
 * protocol fl4->flowi4_proto, saddr/daddr from @fl4) and dst set noref
 * to @rt.  NULL and *@err (-EMSGSIZE: over 64 KiB, or DF set and over
 * the MTU; -EFAULT; -ENOBUFS) on failure.  @flags: MSG_* (MSG_DONTWAIT,
 * MSG_PROBE). */
struct sk_buff *ip_make_skb(struct sock *sk, struct flowi4 *fl4,
			    const void *from, size_t length, int transhdrlen,
			    struct rtable *rt, unsigned int flags, int *err);

/* Send a datagram made by ip_make_skb: ip_local_out, mapping a drop by
 * congestion (NET_XMIT_CN) to 0 and counting OutDiscards on errors. */
int ip_send_skb(struct net *net, struct sk_buff *skb);

/* Send an skb whose IP header is built and dst set: fix tot_len and the
 * checksum, NF_INET_LOCAL_OUT, then dst_output.  0 or NET_XMIT_* /
 * -errno. */
int ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb);
int __ip_local_out(struct net *net, struct sock *sk, struct sk_buff *skb);

/* skb_dst(skb)->output(net, sk, skb) */
int dst_output(struct net *net, struct sock *sk, struct sk_buff *skb);

/* dst.output of unicast output routes: OutRequests, POST_ROUTING,
 * ip_finish_output.  ip_mc_output for broadcast routes is the same here
 * (no multicast loopback). */
int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb);

/* TCP's transmit: route from the socket's dst cache (__sk_dst_check,
 * else ip_route_output_ports + sk_setup_caps), push and build the IP
 * header in front of the TCP header (skb->data), ip_local_out.
 * -EHOSTUNREACH (OutNoRoutes) when there is no route. */
int ip_queue_xmit(struct sock *sk, struct sk_buff *skb, struct flowi4 *fl);

/* TCP SYN-ACK: skb holds the TCP segment at skb->data with dst set;
 * push an IP header saddr -> daddr and ip_local_out. */
int ip_build_and_send_pkt(struct sk_buff *skb, const struct sock *sk,
			  uint32_t saddr, uint32_t daddr);

/* Split @skb into fragments of the route's MTU and send each with
 * @output (ip_do_fragment).  Frees @skb. */
int ip_fragment(struct net *net, struct sock *sk, struct sk_buff *skb,
		int (*output)(struct net *, struct sock *, struct sk_buff *));

/* Forward a received packet (dst.input of forwarding routes). */
int ip_forward(struct sk_buff *skb);

/* Hook the transmit path into the FIB (net->fib->ip_output,
 * ip_forward): called by ip_init for each stack. 0 or -ENOMEM. */
int ip_output_net_init(struct net *net);

/* IP layer init for the current host's stack (ip_init), called from
 * inet_init after arp_init. */
void ip_init(void);

#endif
