/*
 * af_inet.h - the AF_INET socket family (net/ipv4/af_inet.c,
 * include/net/protocol.h, include/net/inet_common.h): inet_init, the
 * inetsw table (socket type -> proto + proto_ops), inet_create and the
 * inet_* proto_ops shared by UDP and TCP.
 */
#ifndef KP_NET_IPV4_AF_INET_H
#define KP_NET_IPV4_AF_INET_H

#include "net/core/sock.h"

/* One row of inetsw_array: which proto and proto_ops a (type,
 * protocol) socket gets. */
struct inet_protosw {
	unsigned short type;     /* SOCK_DGRAM, SOCK_STREAM */
	unsigned short protocol; /* IPPROTO_UDP, IPPROTO_TCP */
	const struct proto *prot;
	const struct proto_ops *ops;
	unsigned char flags;
#define INET_PROTOSW_REUSE 0x01
#define INET_PROTOSW_PERMANENT 0x02
#define INET_PROTOSW_ICSK 0x04
};

extern const struct proto_ops inet_dgram_ops;
extern const struct net_proto_family inet_family_ops;

/* fs_initcall */
int inet_init(void);
int inet_create(struct net *net, struct socket *sock, int protocol,
		int kern);
int inet_release(struct socket *sock);
int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len);
int inet_dgram_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags);
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int inet_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		 int flags);
int inet_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int inet_shutdown(struct socket *sock, int how);

#endif
