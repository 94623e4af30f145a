/*
 * datagram.h - receiving datagrams (net/core/datagram.c; Linux declares
 * these in include/linux/skbuff.h): take an skb off sk_receive_queue,
 * sleeping in wait_for_more_packets when it is empty; copy it out to the
 * user's iovec; datagram_poll.
 */
#ifndef KP_NET_CORE_DATAGRAM_H
#define KP_NET_CORE_DATAGRAM_H

#include <sys/socket.h>
#include <sys/uio.h>

#include "net/core/sock.h"

/* The next skb of sk_receive_queue (dequeued, or referenced with
 * MSG_PEEK).  Sleeps up to the socket's rcvtimeo unless @flags has
 * MSG_DONTWAIT.  NULL with *err: -EAGAIN, -EINTR, sock_error. */
struct sk_buff *__skb_recv_datagram(struct sock *sk, unsigned int flags,
				    int *peeked, int *off, int *err);
struct sk_buff *skb_recv_datagram(struct sock *sk, unsigned int flags,
				  int noblock, int *err);
int wait_for_more_packets(struct sock *sk, int *err, long *timeo_p,
			  const struct sk_buff *skb);
/* Copy @len bytes from @offset of @skb to the iovec (copy_to_user);
 * advances the iovec.  0 or -EFAULT. */
int skb_copy_datagram_iovec(const struct sk_buff *skb, int offset,
			    struct iovec *to, int len);
void skb_free_datagram(struct sock *sk, struct sk_buff *skb);
void skb_free_datagram_locked(struct sock *sk, struct sk_buff *skb);
unsigned int datagram_poll(struct file *file, struct socket *sock,
			   poll_table *wait);

#endif
