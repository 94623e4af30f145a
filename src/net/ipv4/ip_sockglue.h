/*
 * ip_sockglue.h - IP_RECVERR's error queue (net/ipv4/ip_sockglue.c): an
 * ICMP error about a socket's packet becomes an skb on sk_error_queue
 * carrying a struct sock_extended_err in its control block, and
 * recvmsg(MSG_ERRQUEUE) hands it to the user with the quoted bytes.
 */
#ifndef KP_NET_IPV4_IP_SOCKGLUE_H
#define KP_NET_IPV4_IP_SOCKGLUE_H

#include "errqueue.h"
#include "net/core/skbuff.h"
#include "net/core/sock.h"

/* include/linux/skbuff.h's sock_exterr_skb, in skb->cb */
struct sock_exterr_skb {
	struct sock_extended_err ee;
	uint16_t addr_offset; /* of the quoted destination, from the
			       * network header */
	uint16_t port;        /* the quoted destination port (network order) */
};

#define SKB_EXT_ERR(skb) ((struct sock_exterr_skb *)((skb)->cb))

/* Queue an error for @sk: a clone of the ICMP error @skb (skb->data at
 * the quoted IP header) reading from @payload, the quoted transport
 * header, with @err and the ICMP type and code. */
void ip_icmp_error(struct sock *sk, struct sk_buff *skb, int err,
		   uint16_t port, uint32_t info, uint8_t *payload);
/* recvmsg(MSG_ERRQUEUE): the oldest queued error, -EAGAIN if none. */
int ip_recv_error(struct sock *sk, struct msghdr *msg, size_t len,
		  int *addr_len);
/* Purge the error queue (closing, or IP_RECVERR turned off). */
void ip_purge_error_queue(struct sock *sk);
/* One control message into the user's buffer; MSG_CTRUNC when it does
 * not fit.  msg_control is the kernel's copy (sys_recvmsg copies it). */
void put_cmsg(struct msghdr *msg, int level, int type, int len,
	      const void *data);

#endif
