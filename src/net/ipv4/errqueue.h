/*
 * errqueue.h - the error queue's record (include/uapi/linux/errqueue.h):
 * what recvmsg(fd, MSG_ERRQUEUE) returns in its IP_RECVERR control
 * message, the address of the node that reported the error
 * (SO_EE_OFFENDER) right after it.  Shared by the kernel side and the
 * user programs, as a uapi header is.
 */
#ifndef KP_NET_IPV4_ERRQUEUE_H
#define KP_NET_IPV4_ERRQUEUE_H

#include <stdint.h>
#include <sys/socket.h>

struct sock_extended_err {
	uint32_t ee_errno; /* EHOSTUNREACH, ECONNREFUSED, ... */
	uint8_t ee_origin; /* SO_EE_ORIGIN_* */
	uint8_t ee_type;   /* the ICMP type ... */
	uint8_t ee_code;   /* ... and code */
	uint8_t ee_pad;
	uint32_t ee_info;  /* ICMP_FRAG_NEEDED: the MTU */
	uint32_t ee_data;
};

#define SO_EE_ORIGIN_NONE 0
#define SO_EE_ORIGIN_LOCAL 1
#define SO_EE_ORIGIN_ICMP 2

#define SO_EE_OFFENDER(ee) ((struct sockaddr *)((ee) + 1))

#endif
