/*
 * sysargs.c - the argument language of packetdrill's system call lines
 * (packetdrill's symbols_linux.c and the expression part of parser.y):
 * symbolic constants (AF_INET, SOL_TCP, EPOLLIN, TCP_ESTABLISHED, ...),
 * "A|B" expressions, "[N]", errno names, struct arguments read field by
 * field ("{events=EPOLLIN, fd=4}", "[{fd=3, events=POLLIN}]", iovecs),
 * and the struct tcp_info fields a script may name.  Used by syscalls.c
 * (making calls) and sysresult.c (checking what they return).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "run.h"
#include "sysargs.h"
#include "user/manual.h"

#ifndef SIOCINQ
#define SIOCINQ FIONREAD
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static const struct {
	const char *name;
	long v;
} consts[] = {
	{ "AF_INET", AF_INET }, { "PF_INET", AF_INET },
	{ "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM },
	{ "SOCK_NONBLOCK", SOCK_NONBLOCK }, { "SOCK_CLOEXEC", SOCK_CLOEXEC },
	{ "IPPROTO_TCP", IPPROTO_TCP }, { "IPPROTO_IP", IPPROTO_IP },
	{ "IPPROTO_UDP", IPPROTO_UDP }, { "SOL_IP", IPPROTO_IP },
	{ "SOL_SOCKET", SOL_SOCKET }, { "SOL_TCP", IPPROTO_TCP },
	{ "SO_REUSEADDR", SO_REUSEADDR }, { "SO_REUSEPORT", SO_REUSEPORT },
	{ "SO_RCVBUF", SO_RCVBUF }, { "SO_SNDBUF", SO_SNDBUF },
	{ "SO_ERROR", SO_ERROR }, { "SO_KEEPALIVE", SO_KEEPALIVE },
	{ "SO_RCVLOWAT", SO_RCVLOWAT }, { "SO_LINGER", SO_LINGER },
	{ "SO_TYPE", SO_TYPE }, { "SO_RCVTIMEO", SO_RCVTIMEO },
	{ "SO_SNDTIMEO", SO_SNDTIMEO }, { "SO_PRIORITY", SO_PRIORITY },
	{ "SO_MARK", SO_MARK }, { "SO_BROADCAST", SO_BROADCAST },
	{ "TCP_NODELAY", TCP_NODELAY }, { "TCP_MAXSEG", TCP_MAXSEG },
	{ "TCP_CORK", TCP_CORK }, { "TCP_INFO", TCP_INFO },
	{ "TCP_KEEPIDLE", TCP_KEEPIDLE }, { "TCP_KEEPINTVL", TCP_KEEPINTVL },
	{ "TCP_KEEPCNT", TCP_KEEPCNT }, { "TCP_QUICKACK", TCP_QUICKACK },
	{ "TCP_SYNCNT", TCP_SYNCNT }, { "TCP_LINGER2", TCP_LINGER2 },
	{ "TCP_DEFER_ACCEPT", TCP_DEFER_ACCEPT },
	{ "TCP_USER_TIMEOUT", TCP_USER_TIMEOUT },
	{ "TCP_CONGESTION", TCP_CONGESTION },
	{ "TCP_NOTSENT_LOWAT", TCP_NOTSENT_LOWAT },
	{ "F_GETFL", F_GETFL }, { "F_SETFL", F_SETFL },
	{ "O_RDWR", O_RDWR }, { "O_RDONLY", O_RDONLY },
	{ "O_WRONLY", O_WRONLY }, { "O_NONBLOCK", O_NONBLOCK },
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR },
	{ "SHUT_RDWR", SHUT_RDWR }, { "MSG_DONTWAIT", MSG_DONTWAIT },
	{ "MSG_PEEK", MSG_PEEK }, { "MSG_WAITALL", MSG_WAITALL },
	{ "MSG_NOSIGNAL", MSG_NOSIGNAL }, { "MSG_MORE", MSG_MORE },
	{ "MSG_EOR", MSG_EOR }, { "MSG_TRUNC", MSG_TRUNC },
	{ "SIOCINQ", SIOCINQ }, { "FIONREAD", FIONREAD },
	{ "SIOCOUTQ", SIOCOUTQ }, { "TIOCOUTQ", TIOCOUTQ },
	{ "POLLIN", KP_POLLIN }, { "POLLPRI", KP_POLLPRI },
	{ "POLLOUT", KP_POLLOUT }, { "POLLERR", KP_POLLERR },
	{ "POLLHUP", KP_POLLHUP }, { "POLLNVAL", KP_POLLNVAL },
	{ "POLLRDNORM", KP_POLLRDNORM }, { "POLLRDBAND", KP_POLLRDBAND },
	{ "POLLWRNORM", KP_POLLWRNORM }, { "POLLWRBAND", KP_POLLWRBAND },
	{ "POLLMSG", KP_POLLMSG }, { "POLLRDHUP", KP_POLLRDHUP },
	{ "EPOLLIN", EPOLLIN }, { "EPOLLPRI", EPOLLPRI },
	{ "EPOLLOUT", EPOLLOUT }, { "EPOLLERR", EPOLLERR },
	{ "EPOLLHUP", EPOLLHUP }, { "EPOLLRDNORM", EPOLLRDNORM },
	{ "EPOLLRDBAND", EPOLLRDBAND }, { "EPOLLWRNORM", EPOLLWRNORM },
	{ "EPOLLWRBAND", EPOLLWRBAND }, { "EPOLLMSG", EPOLLMSG },
	{ "EPOLLRDHUP", EPOLLRDHUP }, { "EPOLLEXCLUSIVE", EPOLLEXCLUSIVE },
	{ "EPOLLONESHOT", EPOLLONESHOT }, { "EPOLLET", EPOLLET },
	{ "EPOLL_CTL_ADD", EPOLL_CTL_ADD }, { "EPOLL_CTL_DEL", EPOLL_CTL_DEL },
	{ "EPOLL_CTL_MOD", EPOLL_CTL_MOD }, { "EPOLL_CLOEXEC", O_CLOEXEC },
	{ "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 }, { "TCP_SYN_RECV", 3 },
	{ "TCP_FIN_WAIT1", 4 }, { "TCP_FIN_WAIT2", 5 }, { "TCP_TIME_WAIT", 6 },
	{ "TCP_CLOSE", 7 }, { "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 },
	{ "TCP_LISTEN", 10 }, { "TCP_CLOSING", 11 },
	{ "TCP_CA_Open", 0 }, { "TCP_CA_Disorder", 1 }, { "TCP_CA_CWR", 2 },
	{ "TCP_CA_Recovery", 3 }, { "TCP_CA_Loss", 4 },
	{ "TCPI_OPT_TIMESTAMPS", TCPI_OPT_TIMESTAMPS },
	{ "TCPI_OPT_SACK", TCPI_OPT_SACK }, { "TCPI_OPT_WSCALE", TCPI_OPT_WSCALE },
	{ "TCPI_OPT_ECN", TCPI_OPT_ECN },
};

#define N_CONSTS (sizeof(consts) / sizeof(consts[0]))

/* struct pd_tcp_info fields a script may name. */
#define TI(f)                                                                  \
	{ #f, offsetof(struct pd_tcp_info, f),                                  \
	  sizeof(((struct pd_tcp_info *)0)->f) }
static const struct {
	const char *name;
	size_t off, size;
} ti_fields[] = {
	TI(tcpi_state), TI(tcpi_ca_state), TI(tcpi_retransmits),
	TI(tcpi_probes), TI(tcpi_backoff), TI(tcpi_options),
	TI(tcpi_rto), TI(tcpi_ato), TI(tcpi_snd_mss), TI(tcpi_rcv_mss),
	TI(tcpi_unacked), TI(tcpi_sacked), TI(tcpi_lost), TI(tcpi_retrans),
	TI(tcpi_fackets), TI(tcpi_pmtu), TI(tcpi_rcv_ssthresh),
	TI(tcpi_rtt), TI(tcpi_rttvar), TI(tcpi_snd_ssthresh),
	TI(tcpi_snd_cwnd), TI(tcpi_advmss), TI(tcpi_reordering),
	TI(tcpi_rcv_rtt), TI(tcpi_rcv_space), TI(tcpi_total_retrans),
};

int pd_errno_by_name(const char *name)
{
	for (int e = 1; e < 134; e++) {
		const char *n = kp_errno_name(e);
		if (n && strcmp(n, name) == 0)
			return e;
	}
	return -1;
}

/* "A|B", a number, "[N]", a constant, or an errno name (SO_ERROR). */
int pd_expr(struct pd_run *r, const char *text, long *v)
{
	char buf[PD_ARG_LEN], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", text);
	char *p = buf;
	size_t n = strlen(p);
	if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
		p[n - 1] = '\0';
		p++;
	}
	*v = 0;
	if (!strcmp(p, "..."))
		return 0;
	for (char *tok = strtok_r(p, "| ", &save); tok;
	     tok = strtok_r(NULL, "| ", &save)) {
		char *end;
		long x = strtol(tok, &end, 0);
		if (*end == 'U' || *end == 'L') /* 0xffffffffU */
			end++;
		if (*end) {
			size_t i;
			for (i = 0; i < N_CONSTS; i++)
				if (strcmp(tok, consts[i].name) == 0)
					break;
			if (i < N_CONSTS) {
				x = consts[i].v;
			} else if (pd_errno_by_name(tok) > 0) {
				x = pd_errno_by_name(tok);
			} else {
				snprintf(r->err, sizeof(r->err),
					 "unknown symbol '%s'", tok);
				return -1;
			}
		}
		*v |= x;
	}
	return 0;
}

int pd_fd_arg(struct pd_run *r, const char *text, int *fd)
{
	long v;
	if (pd_expr(r, text, &v) < 0)
		return -1;
	if (v < 0 || v >= PD_MAX_FDS || r->fdmap[v] < 0) {
		snprintf(r->err, sizeof(r->err), "bad file descriptor %ld in "
			 "the script (not from socket, accept or "
			 "epoll_create)", v);
		return -1;
	}
	*fd = r->fdmap[v];
	r->last_fd = (int)v;
	return 0;
}

/* The next "{...}" at or after *@p (inside a "[...]" list or alone):
 * its inside in @out; false at the end. */
bool pd_next_group(const char **p, char *out, size_t n)
{
	const char *s = strchr(*p, '{');
	if (!s)
		return false;
	int depth = 0;
	const char *e = s;
	for (; *e; e++) {
		if (*e == '{' || *e == '[' || *e == '(')
			depth++;
		else if ((*e == '}' || *e == ']' || *e == ')') && --depth == 0)
			break;
	}
	if (!*e)
		return false;
	snprintf(out, n, "%.*s", (int)(e - s - 1), s + 1);
	*p = e + 1;
	return true;
}

/* A named field of a struct argument as a number; 0 if found. */
int pd_field_expr(struct pd_run *r, const char *text, const char *name,
		      long *v, bool *found)
{
	char val[PD_ARG_LEN];
	*found = pd_field(text, name, val, sizeof(val));
	if (!*found) {
		*v = 0;
		return 0;
	}
	return pd_expr(r, val, v);
}

/* The bytes of an iovec list "[{iov_base=..., iov_len=N}, {..., M}]"
 * or a msghdr's msg_iov: every iov_len, or each group's last number. */
int pd_iov_total(struct pd_run *r, const char *text, long *total)
{
	char g[PD_ARG_LEN];
	const char *p = text;
	*total = 0;
	const char *iov = strstr(text, "msg_iov");
	if (iov)
		p = iov;
	while (pd_next_group(&p, g, sizeof(g))) {
		long v;
		bool found;
		if (pd_field_expr(r, g, "iov_len", &v, &found) < 0)
			return -1;
		if (!found) {
			const char *c = strrchr(g, ',');
			if (pd_expr(r, c ? c + 1 : g, &v) < 0)
				return -1;
		}
		*total += v;
	}
	return 0;
}

/* epoll_data: fd=N, u32=N, u64=N or ptr=N, kept as the number. */
int pd_epoll_data(struct pd_run *r, const char *text, uint64_t *data)
{
	static const char *const names[] = { "fd", "u32", "u64", "ptr" };
	for (size_t i = 0; i < 4; i++) {
		long v;
		bool found;
		if (pd_field_expr(r, text, names[i], &v, &found) < 0)
			return -1;
		if (found) {
			*data = (uint64_t)v;
			return 0;
		}
	}
	*data = 0;
	return 0;
}

/* tcp_info field @name of @ti, for %{ }% asserts; false if unknown. */
bool pd_tcp_info_field(const struct pd_tcp_info *ti, const char *name,
		       long *v)
{
	for (size_t i = 0; i < sizeof(ti_fields) / sizeof(ti_fields[0]);
	     i++) {
		if (strcmp(ti_fields[i].name, name))
			continue;
		const uint8_t *p = (const uint8_t *)ti + ti_fields[i].off;
		if (ti_fields[i].size == 1) {
			*v = *p;
		} else {
			uint32_t u;
			memcpy(&u, p, sizeof(u));
			*v = (long)u;
		}
		return true;
	}
	return false;
}

/* Compare the struct pd_tcp_info fields the script names. */
int pd_check_tcp_info(struct pd_run *r, const char *what,
			  const char *text, const struct pd_tcp_info *ti)
{
	for (size_t i = 0; i < sizeof(ti_fields) / sizeof(ti_fields[0]);
	     i++) {
		long want;
		bool found;
		if (pd_field_expr(r, text, ti_fields[i].name, &want, &found) < 0)
			return -1;
		if (!found)
			continue;
		const uint8_t *p = (const uint8_t *)ti + ti_fields[i].off;
		long got;
		if (ti_fields[i].size == 1)
			got = *p;
		else {
			uint32_t u;
			memcpy(&u, p, sizeof(u));
			got = (long)u;
		}
		if (got != want) {
			snprintf(r->err, sizeof(r->err), "%s: Bad %s: expected: "
				 "%ld actual: %ld", what, ti_fields[i].name,
				 want, got);
			return -1;
		}
	}
	return 0;
}
