/*
 * outbound.c - checking what the emulated host sends against the
 * script's outbound (`>`) packets (packetdrill's run_packet.c,
 * verify_outbound_live_packet): time within the tolerance, flags, ports,
 * seq relative to the local ISN, payload length, ack, window, options
 * (kinds in order; mss, wscale, TS ecr and sack blocks by value).
 *
 * packetdrill's tun device takes TSO packets, so a script expects one
 * "P. 1:5841(5840)" where kpath's device (GSO in software, before the
 * taps) sends four MSS-sized segments: contiguous segments sent within
 * the tolerance are matched together, their flags or-ed except PSH,
 * which is the last one's (GSO leaves PSH and FIN on a GSO packet's last
 * segment; a line may span several GSO packets - the real tests say
 * whether the last of them had PSH, e.g. prr-ss-30pkt-lost1_4).
 *
 * Frames sent while the script waits for something else stay queued for
 * the next outbound line (packetdrill reads them from its tun then);
 * frames left at the end of the script are not checked.
 *
 * pd_precheck runs the same checks from the tap, as each frame goes out,
 * so that --on-fail stop can stop the CPU that sends a wrong one.
 * Left out: the payload bytes, TS val, IP header fields, checksums.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "ui/out.h"

double pd_secs(const struct pd_run *r, uint64_t t)
{
	return (double)(int64_t)(t - r->t0) / 1e9;
}

static int field(char *err, size_t n, const char *name, uint64_t want,
		 uint64_t got)
{
	if (want == got)
		return 0;
	snprintf(err, n, "error handling packet: live packet field %s: "
		 "expected: %" PRIu64 " (0x%" PRIx64 ") vs actual: %" PRIu64
		 " (0x%" PRIx64 ")", name, want, want, got, got);
	return -1;
}

static int check_opts(char *err, size_t n, const struct pd_packet *pk,
		      const struct pd_seg *g)
{
	if (pk->opts_any)
		return 0;
	int k = pk->has_opts ? pk->nr_opts : 0;
	if (field(err, n, "tcp_option_count", (uint64_t)k, (uint64_t)g->nr_opts))
		return -1;
	for (int i = 0; i < k; i++) {
		const struct pd_tcp_opt *w = &pk->opts[i], *a = &g->opts[i];
		if (field(err, n, "tcp_option_kind", w->kind, a->kind))
			return -1;
		if ((w->kind == PD_OPT_MSS &&
		     field(err, n, "tcp_option_mss", w->a, a->a)) ||
		    (w->kind == PD_OPT_WSCALE &&
		     field(err, n, "tcp_option_wscale", w->a, a->a)) ||
		    (w->kind == PD_OPT_TS &&
		     field(err, n, "tcp_option_ts_ecr", w->b, a->b)))
			return -1;
		if (w->kind != PD_OPT_SACK)
			continue;
		if (field(err, n, "tcp_option_sack_blocks",
			  (uint64_t)w->nr_blocks, (uint64_t)a->nr_blocks))
			return -1;
		for (int b = 0; b < w->nr_blocks; b++)
			if (field(err, n, "tcp_sack_block_start",
				  w->blocks[b][0], a->blocks[b][0]) ||
			    field(err, n, "tcp_sack_block_end",
				  w->blocks[b][1], a->blocks[b][1]))
				return -1;
	}
	return 0;
}

static enum pd_match pd_match_outbound_at(struct pd_run *r, const struct pd_event *ev,
					  uint64_t when, uint64_t end, int off,
					  int *used, bool commit)
{
	const struct pd_packet *pk = &ev->pkt;
	uint64_t tol = r->o.tolerance_ns;
	char *err = r->err;
	size_t n = sizeof(r->err);
	*used = 0;
	if (off >= r->nq)
		return PD_MATCH_PARTIAL;
	struct pd_seg g;
	uint64_t ts = r->q[off].ts;
	pd_frame_parse(r->q[off].frame, r->q[off].len, &g);
	if (ev->time_kind != PD_TIME_ANY &&
	    (ts + tol < when || ts > end + tol)) {
		snprintf(err, n, "error handling packet: timing error: "
			 "expected outbound packet at %.6f sec but happened at "
			 "%.6f sec; tolerance %.6f sec", pd_secs(r, when),
			 pd_secs(r, ts), (double)tol / 1e9);
		return PD_MATCH_FAIL;
	}
	uint32_t isn = r->local_isn;
	uint16_t lport = r->local_port;
	if ((pk->flags & 0x02) && !r->have_isn) {
		isn = g.seq - pk->seq;
		if (!lport)
			lport = g.sport;
	}
	/* TSO: gather contiguous segments up to the expected length */
	uint32_t want_len = pk->end - pk->seq, len = g.len;
	uint8_t flags = g.flags, last = g.flags;
	uint32_t ack = g.ack;
	int k = off + 1;
	while (len < want_len && g.len && !(flags & 0x07)) {
		if (k == r->nq && !r->match_final)
			return PD_MATCH_PARTIAL;
		if (k == r->nq)
			break;
		struct pd_seg h;
		pd_frame_parse(r->q[k].frame, r->q[k].len, &h);
		if (h.seq != g.seq + len || !h.len || r->q[k].ts > ts + tol ||
		    h.sport != g.sport || h.dport != g.dport)
			break;
		len += h.len;
		flags |= h.flags;
		last = h.flags;
		ack = h.ack;
		k++;
	}
	/* PSH as on the last segment: each GSO skb has one, the
	 * script's line says whether the last one did */
	flags = (uint8_t)((flags & ~0x08) | (last & 0x08));
	*used = k - off;
	int e = field(err, n, "tcp_flags", pk->flags, flags);
	if (!e)
		e = field(err, n, "tcp_src_port", lport, g.sport);
	if (!e)
		e = field(err, n, "tcp_dst_port", r->remote_port, g.dport);
	if (!e)
		e = field(err, n, "tcp_seq", pk->seq, g.seq - isn);
	if (!e)
		e = field(err, n, "tcp_payload_len", want_len, len);
	if (!e && pk->has_ack)
		e = field(err, n, "tcp_ack_seq", pk->ack, ack);
	if (!e && pk->has_win)
		e = field(err, n, "tcp_window", pk->win, g.win);
	if (!e)
		e = check_opts(err, n, pk, &g);
	if (e)
		return PD_MATCH_FAIL;
	if (commit) {
		if ((pk->flags & 0x02) && !r->have_isn) {
			r->local_isn = isn;
			r->have_isn = true;
		}
		r->local_port = lport;
		if (r->o.verbose)
			kp_printf(r->out, "%s:%d: outbound at %.6f: flags 0x%02x "
				  "seq %u ack %u len %u win %u (%d segment%s)\n",
				  r->sc.file, ev->line, pd_secs(r, ts), flags,
				  g.seq - isn, ack, len, g.win, *used,
				  *used == 1 ? "" : "s");
	}
	return PD_MATCH_OK;
}

enum pd_match pd_match_outbound(struct pd_run *r, const struct pd_event *ev,
				uint64_t when, uint64_t end, int *used)
{
	return pd_match_outbound_at(r, ev, when, end, 0, used, true);
}

bool pd_precheck(struct pd_run *r)
{
	int off = 0, i = r->pos;
	uint64_t last = r->pos_when;
	/* a SYN's ISN learned here is committed only by the runner: work
	 * on a copy of what matching may change */
	uint32_t isn = r->local_isn;
	uint16_t lport = r->local_port;
	bool have = r->have_isn;
	bool ok = true;
	while (off < r->nq && i < r->sc.nr) {
		const struct pd_event *ev = &r->sc.ev[i];
		uint64_t when = r->pos_when, end = r->pos_end;
		if (i != r->pos) {
			when = ev->time_kind == PD_TIME_ABS
				       ? r->t0 + (uint64_t)(ev->t * 1e9)
				       : ev->time_kind == PD_TIME_REL
						 ? last + (uint64_t)(ev->t * 1e9)
						 : last;
			end = when;
			if (ev->range)
				end = ev->time_kind == PD_TIME_ABS && !ev->end_rel
					      ? r->t0 + (uint64_t)(ev->t_end * 1e9)
					      : when + (uint64_t)((ev->t_end -
								  ev->t) * 1e9);
		}
		if (ev->kind != PD_PACKET || ev->pkt.inbound) {
			/* the queue waits for the next outbound line */
			last = when;
			i++;
			continue;
		}
		int used;
		enum pd_match m = pd_match_outbound_at(r, ev, when, end, off,
						       &used, false);
		if (m == PD_MATCH_PARTIAL)
			break;
		if (m == PD_MATCH_FAIL) {
			r->fail_line = ev->line;
			ok = false;
			break;
		}
		/* what the runner will learn from this one */
		if ((ev->pkt.flags & 0x02) && !r->have_isn) {
			struct pd_seg g;
			pd_frame_parse(r->q[off].frame, r->q[off].len, &g);
			r->local_isn = g.seq - ev->pkt.seq;
			r->have_isn = true;
			if (!r->local_port)
				r->local_port = g.sport;
		}
		off += used;
		last = when;
		i++;
	}
	r->local_isn = isn;
	r->local_port = lport;
	r->have_isn = have;
	return ok;
}
