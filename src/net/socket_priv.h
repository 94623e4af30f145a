/*
 * socket_priv.h - helpers net/socket.c keeps static and that both of
 * kpath's halves of it use (socket.c: creation, bind, connect, accept,
 * options; socket_msg.c: send and receive): dropping the file reference
 * sockfd_lookup_light took, and copying a socket address between user
 * and kernel (move_addr_to_kernel / move_addr_to_user).  Only socket.c
 * and socket_msg.c include it.
 */
#ifndef KP_NET_SOCKET_PRIV_H
#define KP_NET_SOCKET_PRIV_H

#include <errno.h>
#include <sys/socket.h>

#include "net/file.h"
#include "net/uaccess.h"

static inline void fput_light(struct file *file, int fput_needed)
{
	if (fput_needed)
		fput(file);
}

static inline int move_addr_to_kernel(const void *uaddr, int ulen,
				      struct sockaddr_storage *kaddr)
{
	if (ulen < 0 || ulen > (int)sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	if (copy_from_user(kaddr, uaddr, (size_t)ulen))
		return -EFAULT;
	return 0;
}

static inline int move_addr_to_user(const struct sockaddr_storage *kaddr,
				    int klen, void *uaddr, int *ulen)
{
	int len;
	if (copy_from_user(&len, ulen, sizeof(len)))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, kaddr, (size_t)len))
		return -EFAULT;
	/* "fromlen shall refer to the value before truncation" (1003.1g) */
	if (copy_to_user(ulen, &klen, sizeof(klen)))
		return -EFAULT;
	return 0;
}

#endif
