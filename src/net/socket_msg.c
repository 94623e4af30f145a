/*
 * socket_msg.c - the socket data system calls (net/socket.c, the send and
 * receive half): sys_recvfrom -> sockfd_lookup_light -> sock_recvmsg ->
 * __sock_recvmsg_nosec -> sock->ops->recvmsg, sys_recvmsg (msghdr and
 * iovec copied in, the name, cmsgs and flags copied out), sys_sendto /
 * sys_sendmsg -> sock_sendmsg -> sock->ops->sendmsg (inet_sendmsg), and
 * read/write on sockets (sock_read_iter / sock_write_iter).  Creation,
 * bind, connect, accept and options are in socket.c.
 *
 * Leaves out: security hooks, audit, sendmmsg/recvmmsg, ancillary data
 * on send (received cmsgs up to 256 bytes are passed out), iovecs beyond
 * UIO_FASTIOV entries.
 */
#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/uaccess.h"
#include "sched/sched.h"
#include "socket_priv.h"

int __sock_recvmsg_nosec(struct socket *sock, struct msghdr *msg,
			 size_t size, int flags)
{
	KP_FUNC_ARG(__sock_recvmsg_nosec, sock->sk, size);
	return sock->ops->recvmsg(sock, msg, size, flags);
}

int sock_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		 int flags)
{
	KP_FUNC_ARG(sock_recvmsg, sock->sk, size);
	/* security_socket_recvmsg: no LSM in kpath */
	return __sock_recvmsg_nosec(sock, msg, size, flags);
}

int sock_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	KP_FUNC_ARG(sock_sendmsg, sock->sk, size);
	/* security_socket_sendmsg: no LSM in kpath; sock_sendmsg_nosec */
	if (!sock->ops->sendmsg)
		return -EOPNOTSUPP;
	return sock->ops->sendmsg(sock, msg, size);
}

ssize_t sys_recvfrom(int fd, void *ubuf, size_t size, unsigned int flags,
		     struct sockaddr *addr, int *addr_len)
{
	KP_FUNC_ARG(sys_recvfrom, KP_NOOBJ, fd);
	struct sockaddr_storage address;
	struct msghdr msg;
	struct iovec iov;
	int err, err2, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	/* the protocol fills (and clears) what it reports in msg_namelen;
	 * only an AF_INET name is ever reported */
	memset(&address, 0, sizeof(struct sockaddr_in));
	iov.iov_base = ubuf;
	iov.iov_len = size;
	msg.msg_control = NULL;
	msg.msg_controllen = 0;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_name = addr ? (struct sockaddr *)&address : NULL;
	msg.msg_namelen = 0;
	msg.msg_flags = 0;
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	err = sock_recvmsg(sock, &msg, size, (int)flags);
	if (err >= 0 && addr != NULL) {
		err2 = move_addr_to_user(&address, (int)msg.msg_namelen, addr,
					 addr_len);
		if (err2 < 0)
			err = err2;
	}
	fput_light(sock->file, fput_needed);
	return err;
}

/*
 * The user's msghdr and its iovec array into kernel copies (as
 * net/socket.c's copy_msghdr_from_user): at most UIO_FASTIOV entries;
 * @total gets the bytes the iovecs describe.  0, -EFAULT or -EMSGSIZE.
 */
#define KP_UIO_FASTIOV 8
static int copy_msghdr_from_user(struct msghdr *kmsg,
				 const struct msghdr *umsg,
				 struct iovec iov[KP_UIO_FASTIOV],
				 size_t *total)
{
	if (copy_from_user(kmsg, umsg, sizeof(*kmsg)))
		return -EFAULT;
	if (kmsg->msg_iovlen > KP_UIO_FASTIOV)
		return -EMSGSIZE;
	if (kmsg->msg_iovlen &&
	    copy_from_user(iov, kmsg->msg_iov,
			   kmsg->msg_iovlen * sizeof(struct iovec)))
		return -EFAULT;
	for (size_t i = 0; i < kmsg->msg_iovlen; i++)
		*total += iov[i].iov_len;
	return 0;
}

ssize_t sys_recvmsg(int fd, struct msghdr *umsg, unsigned int flags)
{
	KP_FUNC_ARG(sys_recvmsg, KP_NOOBJ, fd);
	struct sockaddr_storage address;
	struct msghdr msg;
	struct iovec iovstack[KP_UIO_FASTIOV];
	/* a kernel copy of the control buffer (put_cmsg writes here) */
	unsigned char ctl[256];
	void *uctl;
	size_t uctllen;
	int err, fput_needed;
	size_t total = 0;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	err = copy_msghdr_from_user(&msg, umsg, iovstack, &total);
	if (err)
		goto out;
	void *uaddr = msg.msg_name;
	memset(&address, 0, sizeof(address));
	msg.msg_name = uaddr ? (struct sockaddr *)&address : NULL;
	msg.msg_iov = iovstack;
	msg.msg_flags = 0;
	uctl = msg.msg_control;
	uctllen = msg.msg_controllen;
	if (uctllen > sizeof(ctl))
		uctllen = sizeof(ctl);
	memset(ctl, 0, sizeof(ctl));
	msg.msg_control = uctl ? ctl : NULL;
	msg.msg_controllen = uctl ? uctllen : 0;
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	err = sock_recvmsg(sock, &msg, total, (int)flags);
	if (err < 0)
		goto out;
	if (uaddr) {
		int len = (int)msg.msg_namelen;
		if (len > (int)umsg->msg_namelen)
			len = (int)umsg->msg_namelen;
		if (len && copy_to_user(uaddr, &address, (size_t)len)) {
			err = -EFAULT;
			goto out;
		}
		umsg->msg_namelen = msg.msg_namelen;
	}
	if (uctl) {
		/* put_cmsg advanced msg_control: what it used goes out */
		size_t used = uctllen - msg.msg_controllen;
		if (used && copy_to_user(uctl, ctl, used)) {
			err = -EFAULT;
			goto out;
		}
		umsg->msg_controllen = used;
	}
	umsg->msg_flags = msg.msg_flags;
out:
	fput_light(sock->file, fput_needed);
	return err;
}

ssize_t sys_sendto(int fd, const void *buff, size_t len, unsigned int flags,
		   struct sockaddr *addr, int addr_len)
{
	KP_FUNC_ARG(sys_sendto, KP_NOOBJ, fd);
	struct sockaddr_storage address;
	struct msghdr msg;
	struct iovec iov;
	int err, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	iov.iov_base = (void *)buff;
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (addr) {
		/* the protocol reads msg_namelen bytes at most (udp_sendmsg,
		 * ping: a sockaddr_in): clear that much, not the storage */
		memset(&address, 0, sizeof(struct sockaddr_in));
		err = move_addr_to_kernel(addr, addr_len, &address);
		if (err < 0)
			goto out;
		msg.msg_name = (struct sockaddr *)&address;
		msg.msg_namelen = (socklen_t)addr_len;
	}
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	msg.msg_flags = (int)flags;
	err = sock_sendmsg(sock, &msg, len);
out:
	fput_light(sock->file, fput_needed);
	return err;
}

ssize_t sys_sendmsg(int fd, struct msghdr *umsg, unsigned int flags)
{
	KP_FUNC_ARG(sys_sendmsg, KP_NOOBJ, fd);
	struct sockaddr_storage address;
	struct msghdr msg;
	struct iovec iovstack[KP_UIO_FASTIOV];
	int err, fput_needed;
	size_t total = 0;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	err = copy_msghdr_from_user(&msg, umsg, iovstack, &total);
	if (err)
		goto out;
	msg.msg_iov = iovstack;
	if (msg.msg_name) {
		memset(&address, 0, sizeof(address));
		err = move_addr_to_kernel(msg.msg_name, (int)msg.msg_namelen,
					  &address);
		if (err < 0)
			goto out;
		msg.msg_name = (struct sockaddr *)&address;
	}
	/* ancillary data (cmsg) on send is not emulated */
	msg.msg_control = NULL;
	msg.msg_controllen = 0;
	if (sock->file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	msg.msg_flags = (int)flags;
	err = sock_sendmsg(sock, &msg, total);
out:
	fput_light(sock->file, fput_needed);
	return err;
}

/* read(2)/write(2) on a socket file: vfs_read -> sock_read_iter ->
 * sock_recvmsg, vfs_write -> sock_write_iter -> sock_sendmsg.  kpath's
 * other files (epoll) have no read or write: -EINVAL, as Linux. */
ssize_t sys_read(int fd, void *buf, size_t count)
{
	return sys_recvfrom(fd, buf, count, 0, NULL, NULL);
}

ssize_t sys_write(int fd, const void *buf, size_t count)
{
	return sys_sendto(fd, buf, count, 0, NULL, 0);
}
