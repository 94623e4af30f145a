/*
 * ss_table.h - ss(8)'s socket table: the rows of `ss` collected first and
 * printed in columns as wide as their widest entry, as iproute2's ss lays
 * them out (Netid when more than one protocol is listed, State, Recv-Q,
 * Send-Q, Local Address:Port, Peer Address:Port, Process), each row
 * followed by its tab-indented line of skmem:(...) and tcp_info when
 * asked for.  UDP rows come before TCP rows, as ss dumps them.
 */
#ifndef KP_UI_SS_TABLE_H
#define KP_UI_SS_TABLE_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"

struct sock;

struct ss_row {
	const struct sock *sk;
	const char *netid; /* "udp", "tcp" */
	const char *state; /* "ESTAB", "UNCONN", ... */
	long rq, sq;       /* Recv-Q, Send-Q */
	char laddr[INET_ADDRSTRLEN], lport[8];
	char paddr[INET_ADDRSTRLEN], pport[8];
	char *process; /* users:((...)), or NULL; the table frees it */
	char *extra;   /* the line under the row, or NULL; freed too */
};

struct ss_table {
	struct ss_row *rows;
	size_t n, cap;
	bool netid; /* print the Netid column */
};

/* A new zeroed row for @sk with its addresses (network order; ports 0
 * print as '*'), or NULL when out of memory. */
struct ss_row *ss_table_add(struct ss_table *t, const struct sock *sk,
			    const char *netid, uint32_t laddr,
			    uint16_t lport, uint32_t paddr,
			    uint16_t pport_be);
void ss_table_print(struct kp_out *out, const struct ss_table *t);
void ss_table_free(struct ss_table *t);

#endif
