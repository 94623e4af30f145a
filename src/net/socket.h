/*
 * socket.h - the socket system calls and the BSD-socket layer
 * (net/socket.c, include/linux/net.h): sys_socket, sys_bind,
 * sys_recvfrom, sys_setsockopt..., socket files (socket_file_ops, whose
 * poll is sock_poll), and the address-family registry (sock_register).
 *
 * User buffers are plain pointers (kpath's programs share the address
 * space); every copy goes through copy_to_user/copy_from_user.  Types
 * and constants (struct sockaddr_in, struct msghdr, MSG_*, SO_*) are the
 * Linux ones from <sys/socket.h> and <netinet/in.h>.
 */
#ifndef KP_NET_SOCKET_H
#define KP_NET_SOCKET_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "net/core/sock.h"
#include "net/file.h"

#define NPROTO 46 /* AF_MAX in 3.10 */

/* ---- system calls (negative errno on failure) ---- */
int sys_socket(int family, int type, int protocol);
int sys_bind(int fd, struct sockaddr *umyaddr, int addrlen);
int sys_connect(int fd, struct sockaddr *uservaddr, int addrlen);
/* @backlog is capped at net.core.somaxconn */
int sys_listen(int fd, int backlog);
/* flags: SOCK_NONBLOCK, SOCK_CLOEXEC */
int sys_accept4(int fd, struct sockaddr *upeer_sockaddr, int *upeer_addrlen,
		int flags);
int sys_accept(int fd, struct sockaddr *upeer_sockaddr, int *upeer_addrlen);
int sys_getpeername(int fd, struct sockaddr *usockaddr, int *usockaddr_len);
ssize_t sys_recvfrom(int fd, void *ubuf, size_t size, unsigned int flags,
		     struct sockaddr *addr, int *addr_len);
ssize_t sys_recvmsg(int fd, struct msghdr *msg, unsigned int flags);
ssize_t sys_sendto(int fd, const void *buff, size_t len, unsigned int flags,
		   struct sockaddr *addr, int addr_len);
ssize_t sys_sendmsg(int fd, struct msghdr *msg, unsigned int flags);
/* read(2)/write(2) of a socket: recvfrom/sendto without an address */
ssize_t sys_read(int fd, void *buf, size_t count);
ssize_t sys_write(int fd, const void *buf, size_t count);
int sys_setsockopt(int fd, int level, int optname, const char *optval,
		   int optlen);
int sys_getsockopt(int fd, int level, int optname, char *optval,
		   int *optlen);
int sys_getsockname(int fd, struct sockaddr *usockaddr, int *usockaddr_len);
int sys_shutdown(int fd, int how);
/* fcntl(F_GETFL / F_SETFL) for O_NONBLOCK */
int sys_fcntl(int fd, unsigned int cmd, unsigned long arg);
/* ioctl(2) on a socket: SIOCINQ (FIONREAD), SIOCOUTQ, SIOCOUTQNSD; @arg
 * is the user's int pointer.  -ENOTTY for other files and commands. */
int sys_ioctl(int fd, unsigned int cmd, unsigned long arg);

/* An ioctl command no layer knows (kernel-internal, never returned). */
#define ENOIOCTLCMD 515
#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 0x894B
#endif

/* ---- the socket layer ---- */
int sock_create(int family, int type, int protocol, struct socket **res);
int __sock_create(struct net *net, int family, int type, int protocol,
		  struct socket **res, int kern);
struct socket *sock_alloc(void);
void sock_release(struct socket *sock);
/* A file for @sock with socket_file_ops; installs nothing. */
struct file *sock_alloc_file(struct socket *sock, int flags);
int sock_map_fd(struct socket *sock, int flags);
/* fd -> socket (fget + sock_from_file); NULL with *err = -EBADF or
 * -ENOTSOCK.  *fput_needed says whether to fput(sock->file) after. */
struct socket *sockfd_lookup_light(int fd, int *err, int *fput_needed);
struct socket *sock_from_file(struct file *file, int *err);
int sock_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
		 int flags);
int __sock_recvmsg_nosec(struct socket *sock, struct msghdr *msg,
			 size_t size, int flags);
int sock_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
/* SIGIO for O_ASYNC owners (none in kpath: counted only) */
int sk_wake_async(struct sock *sk, int how, int band);

/* Address families: sock_register(&inet_family_ops) at inet_init.  The
 * table lives in the host's UDP/socket state (kp_net_socks). */
int sock_register(const struct net_proto_family *ops);

extern const struct file_operations socket_file_ops;
/* The socket behind a file, or NULL when it is not a socket. */
struct socket *kp_file_socket(const struct file *file);

#endif
