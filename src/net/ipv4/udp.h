/*
 * udp.h - UDP (include/net/udp.h, include/linux/udp.h,
 * include/uapi/linux/udp.h): the header, the per-host table of bound
 * sockets, udp_prot and the receive entry udp_rcv.
 *
 * net->udp (struct kp_udp_table) holds Linux's struct udp_table (hash
 * slots by local port) and, as kpath's per-host socket-layer state, the
 * list of every sock and the address-family table (net_families).
 */
#ifndef KP_NET_IPV4_UDP_H
#define KP_NET_IPV4_UDP_H

#include <stdint.h>

#include "net/core/netdevice.h"
#include "net/core/skbuff.h"
#include "net/core/sock.h"
#include "net/ipv4/route.h"
#include "net/socket.h"

struct net;
struct net_protocol;

struct udphdr {
	uint16_t source; /* network order */
	uint16_t dest;
	uint16_t len;
	uint16_t check;
} __attribute__((packed, aligned(2)));

static inline struct udphdr *udp_hdr(const struct sk_buff *skb)
{
	return (struct udphdr *)skb_transport_header(skb);
}

/* Linux sizes the table by memory (at least 128 slots); kpath uses the
 * minimum, which fixes the order `ss` lists sockets in. */
#define UDP_HTABLE_SIZE_MIN 128

struct udp_hslot {
	struct list_head head; /* struct sock, by sk_node */
	int count;
	spinlock_t lock;
};

struct udp_table {
	struct udp_hslot hash[UDP_HTABLE_SIZE_MIN];
	unsigned int mask;
};

static inline struct udp_hslot *udp_hashslot(struct udp_table *table,
					     unsigned int num)
{
	return &table->hash[num & table->mask];
}

struct kp_udp_table {
	struct udp_table udp_table;
	/* the socket layer of this host (not UDP's, but per host as well) */
	struct list_head socks; /* every struct sock, by sk->kp_node */
	struct list_head sockets; /* every struct socket, by kp_node */
	const struct net_proto_family *net_families[NPROTO];
	/* inet_init's dev_add_pack: ETH_P_IP -> ip_rcv on this host */
	struct packet_type ip_packet_type;
};

extern const struct proto udp_prot;
extern const struct net_protocol udp_protocol;

/* Create net->udp (inet_init); freed by a pernet exit. */
int kp_udp_net_init(struct net *net);

int udp_rcv(struct sk_buff *skb);
void udp_err(struct sk_buff *skb, uint32_t info);
int __udp4_lib_rcv(struct sk_buff *skb, struct udp_table *udptable,
		   int proto);
struct sock *__udp4_lib_lookup(struct net *net, uint32_t saddr,
			       uint16_t sport, uint32_t daddr, uint16_t dport,
			       int dif, struct udp_table *udptable);
int udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
int __udp_queue_rcv_skb(struct sock *sk, struct sk_buff *skb);
int udp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int noblock,
		int flags, int *addr_len);
unsigned int udp_poll(struct file *file, struct socket *sock,
		      poll_table *wait);
int udp_v4_get_port(struct sock *sk, unsigned short snum);
void udp_lib_unhash(struct sock *sk);
void udp_lib_close(struct sock *sk, long timeout);
/* sending (udp_sendmsg: route, ip_make_skb, udp_send_skb, ip_send_skb) */
int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len);
int udp_send_skb(struct sk_buff *skb, struct flowi4 *fl4);
/* The checksum with its pseudo header as stored in the header (network
 * order); 0 when a received one verifies (udp.c). */
uint16_t udp4_csum(const struct sk_buff *skb, uint32_t saddr,
		   uint32_t daddr, unsigned int ulen);
/* connect(2) and connect(AF_UNSPEC) of datagram sockets
 * (net/ipv4/datagram.c) */
int ip4_datagram_connect(struct sock *sk, struct sockaddr *uaddr,
			 int addr_len);
int udp_disconnect(struct sock *sk, int flags);
int udp_setsockopt(struct sock *sk, int level, int optname,
		   const char *optval, unsigned int optlen);
int udp_ioctl(struct sock *sk, int cmd, int *karg);
int udp_getsockopt(struct sock *sk, int level, int optname, char *optval,
		   int *optlen);

#endif
