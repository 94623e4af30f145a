/*
 * socket.c - the socket system calls (net/socket.c): sys_socket ->
 * sock_create -> __sock_create (sock_alloc, net_families[]->create),
 * socket files (socket_file_ops: sock_poll, sock_close), sockfd_lookup_light,
 * sys_bind, sys_connect, sys_listen, sys_accept4, sys_shutdown,
 * getsockname/getpeername, setsockopt/getsockopt, ioctl, and fcntl's
 * O_NONBLOCK (fs/fcntl.c in Linux).  The data path (sys_recvfrom,
 * sys_recvmsg, sys_sendto, sys_sendmsg, read/write, sock_recvmsg,
 * sock_sendmsg) is in socket_msg.c; the user-address helpers both use
 * are in socket_priv.h.
 *
 * Leaves out: security hooks, audit, SIGIO delivery (sk_wake_async only
 * counts).
 */
#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/udp.h"
#include "net/uaccess.h"
#include "sched/sched.h"
#include "socket_priv.h"

#define SOCK_TYPE_MASK 0xf
#define SOCK_MAX (SOCK_PACKET + 1)

static unsigned int sock_poll(struct file *file, poll_table *wait);
static int sock_close(struct file *file);

const struct file_operations socket_file_ops = {
	.name = "socket",
	.poll = sock_poll,
	.release = sock_close,
};

struct socket *kp_file_socket(const struct file *file)
{
	return file && file->f_op == &socket_file_ops ? file->private_data
						       : NULL;
}

int sock_register(const struct net_proto_family *ops)
{
	struct net *net = current_net();
	if (ops->family < 0 || ops->family >= NPROTO || !net->udp)
		return -ENOBUFS;
	if (net->udp->net_families[ops->family])
		return -EEXIST;
	net->udp->net_families[ops->family] = ops;
	return 0;
}

int sk_wake_async(struct sock *sk, int how, int band)
{
	KP_FUNC_ARG(sk_wake_async, sk, how);
	(void)band;
	/* No process asked for SIGIO (O_ASYNC) in kpath: nothing to send. */
	if (!sock_flag(sk, SOCK_FASYNC))
		return 0;
	return 0;
}

struct socket *sock_alloc(void)
{
	KP_FUNC0(sock_alloc);
	struct socket *sock = calloc(1, sizeof(*sock));
	if (!sock)
		return NULL;
	sock->wq = &sock->wq_storage;
	init_waitqueue_head(&sock->wq->wait);
	sock->state = SS_UNCONNECTED;
	struct net *net = current_net();
	if (net && net->udp)
		list_add_tail(&sock->kp_node, &net->udp->sockets);
	else
		INIT_LIST_HEAD(&sock->kp_node);
	return sock;
}

void sock_release(struct socket *sock)
{
	if (sock->ops) {
		sock->ops->release(sock);
		sock->ops = NULL;
	}
	sock->file = NULL;
	list_del(&sock->kp_node);
	free(sock);
}

int __sock_create(struct net *net, int family, int type, int protocol,
		  struct socket **res, int kern)
{
	KP_FUNC_ARG(__sock_create, KP_NOOBJ, family);
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	sock = sock_alloc();
	if (!sock)
		return -ENFILE;
	sock->type = (short)type;
	pf = net->udp ? net->udp->net_families[family] : NULL;
	if (!pf) {
		sock_release(sock);
		return -EAFNOSUPPORT;
	}
	err = pf->create(net, sock, protocol, kern);
	if (err < 0) {
		sock->ops = NULL; /* the family undid its part */
		sock_release(sock);
		return err;
	}
	*res = sock;
	return 0;
}

int sock_create(int family, int type, int protocol, struct socket **res)
{
	KP_FUNC_ARG(sock_create, KP_NOOBJ, family);
	return __sock_create(current_net(), family, type, protocol, res, 0);
}

struct file *sock_alloc_file(struct socket *sock, int flags)
{
	struct file *file = alloc_file(&socket_file_ops, sock,
				       (unsigned int)(O_RDWR |
						      (flags & O_NONBLOCK)));
	if (!file)
		return NULL;
	sock->file = file;
	return file;
}

int sock_map_fd(struct socket *sock, int flags)
{
	int fd = get_unused_fd_flags((unsigned int)flags);
	if (fd < 0)
		return fd;
	struct file *newfile = sock_alloc_file(sock, flags);
	if (!newfile) {
		put_unused_fd(fd);
		return -ENFILE;
	}
	fd_install(fd, newfile);
	return fd;
}

int sys_socket(int family, int type, int protocol)
{
	KP_FUNC_ARG(sys_socket, KP_NOOBJ, family);
	struct socket *sock;
	int flags = type & ~SOCK_TYPE_MASK;
	int retval;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	type &= SOCK_TYPE_MASK;
	retval = sock_create(family, type, protocol, &sock);
	if (retval < 0)
		return retval;
	retval = sock_map_fd(sock, flags & (O_CLOEXEC | O_NONBLOCK));
	if (retval < 0)
		sock_release(sock);
	return retval;
}

struct socket *sock_from_file(struct file *file, int *err)
{
	if (file->f_op == &socket_file_ops)
		return file->private_data;
	*err = -ENOTSOCK;
	return NULL;
}

/* Linux's fget_light skips the reference when the fd table is not
 * shared; kpath always takes one, so fput_needed is always 1. */
struct socket *sockfd_lookup_light(int fd, int *err, int *fput_needed)
{
	KP_FUNC_ARG(sockfd_lookup_light, KP_NOOBJ, fd);
	struct file *file = fget(fd);
	struct socket *sock;

	*err = -EBADF;
	*fput_needed = 0;
	if (!file)
		return NULL;
	sock = sock_from_file(file, err);
	if (sock) {
		*fput_needed = 1;
		return sock;
	}
	fput(file);
	return NULL;
}

static unsigned int sock_poll(struct file *file, poll_table *wait)
{
	struct socket *sock = file->private_data;
	KP_FUNC(sock_poll, sock->sk);
	return sock->ops->poll(file, sock, wait);
}

static int sock_close(struct file *file)
{
	struct socket *sock = file->private_data;
	if (sock)
		sock_release(sock);
	file->private_data = NULL;
	return 0;
}

int sys_bind(int fd, struct sockaddr *umyaddr, int addrlen)
{
	KP_FUNC_ARG(sys_bind, KP_NOOBJ, fd);
	struct sockaddr_storage address;
	int err, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	memset(&address, 0, sizeof(address));
	err = move_addr_to_kernel(umyaddr, addrlen, &address);
	if (err >= 0)
		err = sock->ops->bind(sock, (struct sockaddr *)&address,
				      addrlen);
	fput_light(sock->file, fput_needed);
	return err;
}

int sys_connect(int fd, struct sockaddr *uservaddr, int addrlen)
{
	KP_FUNC_ARG(sys_connect, KP_NOOBJ, fd);
	struct sockaddr_storage address;
	int err, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	memset(&address, 0, sizeof(address));
	err = move_addr_to_kernel(uservaddr, addrlen, &address);
	if (err >= 0)
		err = sock->ops->connect(sock, (struct sockaddr *)&address,
					 addrlen, (int)sock->file->f_flags);
	fput_light(sock->file, fput_needed);
	return err;
}

int sys_listen(int fd, int backlog)
{
	KP_FUNC_ARG(sys_listen, KP_NOOBJ, fd);
	int err, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);
	int somaxconn;

	if (!sock)
		return err;
	somaxconn = (int)sock_net(sock->sk)->sysctl.somaxconn;
	if ((unsigned int)backlog > (unsigned int)somaxconn)
		backlog = somaxconn;
	err = sock->ops->listen(sock, backlog);
	fput_light(sock->file, fput_needed);
	return err;
}

int sys_accept4(int fd, struct sockaddr *upeer_sockaddr,
		int *upeer_addrlen, int flags)
{
	KP_FUNC_ARG(sys_accept4, KP_NOOBJ, fd);
	struct sockaddr_storage address;
	struct socket *sock, *newsock;
	struct file *newfile;
	int err, len, newfd, fput_needed;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	err = -ENFILE;
	newsock = sock_alloc();
	if (!newsock)
		goto out_put;
	newsock->type = sock->type;
	newsock->ops = sock->ops;

	newfd = get_unused_fd_flags((unsigned int)(flags & O_CLOEXEC));
	if (newfd < 0) {
		err = newfd;
		newsock->ops = NULL;
		sock_release(newsock);
		goto out_put;
	}
	newfile = sock_alloc_file(newsock, flags & O_NONBLOCK);
	if (!newfile) {
		err = -ENFILE;
		put_unused_fd(newfd);
		newsock->ops = NULL;
		sock_release(newsock);
		goto out_put;
	}
	/* O_NONBLOCK of the listening file decides whether accept waits */
	err = sock->ops->accept(sock, newsock, (int)sock->file->f_flags);
	if (err < 0)
		goto out_fd;
	if (upeer_sockaddr) {
		memset(&address, 0, sizeof(address));
		len = newsock->ops->getname(newsock,
					    (struct sockaddr *)&address, 1);
		if (len < 0) {
			err = -ECONNABORTED;
			goto out_fd;
		}
		err = move_addr_to_user(&address, len, upeer_sockaddr,
					upeer_addrlen);
		if (err < 0)
			goto out_fd;
	}
	fd_install(newfd, newfile);
	err = newfd;
out_put:
	fput_light(sock->file, fput_needed);
	return err;
out_fd:
	/* fput(newfile) releases newsock through sock_close */
	put_unused_fd(newfd);
	fput(newfile);
	goto out_put;
}

int sys_accept(int fd, struct sockaddr *upeer_sockaddr, int *upeer_addrlen)
{
	return sys_accept4(fd, upeer_sockaddr, upeer_addrlen, 0);
}

/* getsockname(2) and getpeername(2): the socket's own address or its
 * peer's (@peer), through sock->ops->getname. */
static int sock_getname_to_user(int fd, struct sockaddr *usockaddr,
				int *usockaddr_len, int peer)
{
	struct sockaddr_storage address;
	int err, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	memset(&address, 0, sizeof(address));
	err = sock->ops->getname(sock, (struct sockaddr *)&address, peer);
	if (err >= 0)
		err = move_addr_to_user(&address, err, usockaddr,
					usockaddr_len);
	fput_light(sock->file, fput_needed);
	return err;
}

int sys_getpeername(int fd, struct sockaddr *usockaddr, int *usockaddr_len)
{
	return sock_getname_to_user(fd, usockaddr, usockaddr_len, 1);
}

int sys_setsockopt(int fd, int level, int optname, const char *optval,
		   int optlen)
{
	KP_FUNC_ARG(sys_setsockopt, KP_NOOBJ, optname);
	int err, fput_needed;
	struct socket *sock;

	if (optlen < 0)
		return -EINVAL;
	sock = sockfd_lookup_light(fd, &err, &fput_needed);
	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sock_setsockopt(sock, level, optname, optval,
				      (unsigned int)optlen);
	else
		err = sock->ops->setsockopt(sock, level, optname, optval,
					    (unsigned int)optlen);
	fput_light(sock->file, fput_needed);
	return err;
}

int sys_getsockopt(int fd, int level, int optname, char *optval,
		   int *optlen)
{
	int err, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sock_getsockopt(sock, level, optname, optval, optlen);
	else
		err = sock->ops->getsockopt(sock, level, optname, optval,
					    optlen);
	fput_light(sock->file, fput_needed);
	return err;
}

int sys_getsockname(int fd, struct sockaddr *usockaddr, int *usockaddr_len)
{
	return sock_getname_to_user(fd, usockaddr, usockaddr_len, 0);
}

int sys_shutdown(int fd, int how)
{
	KP_FUNC_ARG(sys_shutdown, KP_NOOBJ, how);
	int err, fput_needed;
	struct socket *sock = sockfd_lookup_light(fd, &err, &fput_needed);

	if (!sock)
		return err;
	err = sock->ops->shutdown(sock, how);
	fput_light(sock->file, fput_needed);
	return err;
}

/* sock_do_ioctl: the protocol family's ioctl; what no layer knows is
 * -ENOTTY (Linux then asks the devices: kpath has no device ioctls). */
static int sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;
	KP_FUNC_ARG(sock_ioctl, sock->sk, cmd);
	int err = sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg)
				   : -ENOIOCTLCMD;

	return err == -ENOIOCTLCMD ? -ENOTTY : err;
}

int sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	KP_FUNC_ARG(sys_ioctl, KP_NOOBJ, cmd);
	struct file *file = fget(fd);
	int err;

	if (!file)
		return -EBADF;
	/* vfs_ioctl: a file without unlocked_ioctl (an epoll fd) */
	if (file->f_op != &socket_file_ops)
		err = -ENOTTY;
	else
		err = sock_ioctl(file, cmd, arg);
	fput(file);
	return err;
}

int sys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *file = fget(fd);
	int err = 0;

	if (!file)
		return -EBADF;
	switch (cmd) {
	case F_GETFL:
		err = (int)file->f_flags;
		break;
	case F_SETFL:
		/* only O_NONBLOCK changes, as the other status flags here */
		file->f_flags = (file->f_flags & ~(unsigned int)O_NONBLOCK) |
				((unsigned int)arg & O_NONBLOCK);
		break;
	default:
		err = -EINVAL;
		break;
	}
	fput(file);
	return err;
}
