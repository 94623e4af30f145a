/*
 * decode_priv.h - what decode.c and decode_l4.c share: big-endian reads
 * and the problem list.  Not for users of the library.
 */
#ifndef KP_CAPTURE_DECODE_PRIV_H
#define KP_CAPTURE_DECODE_PRIV_H

#include "decode.h"

static inline uint16_t kp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t kp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void kp_decode_problem(struct kp_decoded *d, enum kp_problem id,
		       uint32_t offset, uint32_t found, uint32_t expected);
void kp_decode_tcp(struct kp_decoded *d);
void kp_decode_udp(struct kp_decoded *d);
void kp_decode_icmp(struct kp_decoded *d);

#endif
