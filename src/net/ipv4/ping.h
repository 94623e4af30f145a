/*
 * ping.h - ICMP echo ("ping") sockets (include/net/ping.h):
 * socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP).  The echo identifier is the
 * socket's "port": ping_get_port picks a free one, ping_v4_sendmsg
 * writes it into every request, and ping_rcv hands an echo reply to the
 * socket whose identifier it carries.
 */
#ifndef KP_NET_IPV4_PING_H
#define KP_NET_IPV4_PING_H

#include "net/core/dropreason.h"
#include "net/core/skbuff.h"
#include "net/core/sock.h"

extern const struct proto ping_prot;

int ping_get_port(struct sock *sk, unsigned short ident);
void ping_unhash(struct sock *sk);
int ping_v4_sendmsg(struct sock *sk, struct msghdr *msg, size_t len);
int ping_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		 int noblock, int flags, int *addr_len);
/* icmp_rcv's handler of ICMP_ECHOREPLY (skb->data past the ICMP
 * header). */
enum skb_drop_reason ping_rcv(struct sk_buff *skb);
/* icmp_err's handler of an ICMP error quoting an echo request (skb->data
 * at the quoted IP header, @offset its length). */
void ping_err(struct sk_buff *skb, int offset, uint32_t info);

#endif
