/*
 * ss_table.c - lay out ss(8)'s rows (see ss_table.h).  Each column is as
 * wide as its header or its widest entry; addresses are right-aligned
 * against their ':' and ports left-aligned after it, as iproute2's ss
 * prints them when its output is not a terminal.  Left out: ss's
 * spreading of spare width over a terminal's line.
 */
#include "ss_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ss_row *ss_table_add(struct ss_table *t, const struct sock *sk,
			    const char *netid, uint32_t laddr,
			    uint16_t lport, uint32_t paddr,
			    uint16_t pport_be)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct ss_row *rows = realloc(t->rows, cap * sizeof(*rows));
		if (!rows)
			return NULL;
		t->rows = rows;
		t->cap = cap;
	}
	struct ss_row *r = &t->rows[t->n++];
	memset(r, 0, sizeof(*r));
	r->sk = sk;
	r->netid = netid;
	inet_ntop(AF_INET, &laddr, r->laddr, sizeof(r->laddr));
	inet_ntop(AF_INET, &paddr, r->paddr, sizeof(r->paddr));
	if (lport)
		snprintf(r->lport, sizeof(r->lport), "%u", lport);
	else
		snprintf(r->lport, sizeof(r->lport), "*");
	if (pport_be)
		snprintf(r->pport, sizeof(r->pport), "%u", ntohs(pport_be));
	else
		snprintf(r->pport, sizeof(r->pport), "*");
	return r;
}

enum { COL_NETID, COL_STATE, COL_RQ, COL_SQ, COL_LADDR, COL_LPORT,
       COL_PADDR, COL_PPORT, NR_COLS };

static void widen(int *w, const char *s)
{
	int len = (int)strlen(s);
	if (len > *w)
		*w = len;
}

void ss_table_print(struct kp_out *out, const struct ss_table *t)
{
	static const char *const head[NR_COLS] = {
		"Netid", "State", "Recv-Q", "Send-Q", "Local Address",
		"Port",  "Peer Address", "Port",
	};
	int w[NR_COLS];
	for (int c = 0; c < NR_COLS; c++)
		w[c] = (int)strlen(head[c]);
	for (size_t i = 0; i < t->n; i++) {
		const struct ss_row *r = &t->rows[i];
		char q[24];
		widen(&w[COL_NETID], r->netid);
		widen(&w[COL_STATE], r->state);
		snprintf(q, sizeof(q), "%ld", r->rq);
		widen(&w[COL_RQ], q);
		snprintf(q, sizeof(q), "%ld", r->sq);
		widen(&w[COL_SQ], q);
		widen(&w[COL_LADDR], r->laddr);
		widen(&w[COL_LPORT], r->lport);
		widen(&w[COL_PADDR], r->paddr);
		widen(&w[COL_PPORT], r->pport);
	}
	if (t->netid)
		kp_printf(out, "%-*s ", w[COL_NETID], head[COL_NETID]);
	kp_printf(out, "%-*s %-*s %-*s %*s:%-*s %*s:%-*s Process\n",
		  w[COL_STATE], head[COL_STATE], w[COL_RQ], head[COL_RQ],
		  w[COL_SQ], head[COL_SQ], w[COL_LADDR], head[COL_LADDR],
		  w[COL_LPORT], head[COL_LPORT], w[COL_PADDR],
		  head[COL_PADDR], w[COL_PPORT], head[COL_PPORT]);
	for (size_t i = 0; i < t->n; i++) {
		const struct ss_row *r = &t->rows[i];
		if (t->netid)
			kp_printf(out, "%-*s ", w[COL_NETID], r->netid);
		kp_printf(out, "%-*s %-*ld %-*ld %*s:%-*s %*s:%-*s",
			  w[COL_STATE], r->state, w[COL_RQ], r->rq, w[COL_SQ],
			  r->sq, w[COL_LADDR], r->laddr, w[COL_LPORT],
			  r->lport, w[COL_PADDR], r->paddr, w[COL_PPORT],
			  r->pport);
		if (r->process)
			kp_printf(out, " %s", r->process);
		kp_puts(out, "\n");
		if (r->extra)
			kp_printf(out, "\t%s\n", r->extra);
	}
}

void ss_table_free(struct ss_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].process);
		free(t->rows[i].extra);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}
