/*
 * respcmp.h - receiver mode's comparison: the responses a capture holds
 * (what its receiver sent) against the ones kpath's host sent, flow by
 * flow, in order: missing, extra, and differing TCP flags, sequence
 * numbers (relative to each side's first), acknowledgements, payload
 * lengths, ICMP types.  Responses are kept decoded, not as frames.
 */
#ifndef KP_CAPTURE_RESPCMP_H
#define KP_CAPTURE_RESPCMP_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

struct kp_resp {
	uint64_t t;
	uint32_t saddr, daddr; /* host order */
	uint16_t sport, dport; /* 0 for ICMP */
	uint8_t proto;
	uint8_t icmp_type, icmp_code;
	uint16_t flags;	       /* TCP */
	uint32_t seq, ack;     /* TCP */
	uint32_t paylen;
};

struct kp_resp_list {
	struct kp_resp *v;
	size_t n, cap;
	size_t dropped; /* beyond KP_RESP_MAX */
};

#define KP_RESP_MAX 100000

/* Keep the response decoded in @d (IPv4 only; others are ignored). */
void kp_resp_add(struct kp_resp_list *l, const struct kp_decoded *d,
		 uint64_t t);
void kp_resp_free(struct kp_resp_list *l);

/*
 * Compare @file's responses with @own's; each difference is one line
 * through @emit ("missing: ...", "extra: ...", "flags: ...", ...).
 * Returns the number of differences.
 */
int kp_resp_compare(const struct kp_resp_list *file,
		    const struct kp_resp_list *own,
		    void (*emit)(void *ctx, const char *line), void *ctx);

/* "TCP 192.0.47.59.43 > 10.0.2.15.44188 [S.] seq 0 ack 2239453443 len 0"
 * (seq relative to @isn). */
void kp_resp_format(const struct kp_resp *r, uint32_t isn, char *buf,
		    size_t n);

#endif
