/*
 * frame_util.h - byte helpers for unit tests that build frames by hand:
 * the Internet checksum (RFC 1071) over a buffer with a starting sum,
 * and big-endian 16/32-bit stores.  (Static functions: each test binary
 * includes it once.)
 */
#ifndef KP_TEST_FRAME_UTIL_H
#define KP_TEST_FRAME_UTIL_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t fu_csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static inline void fu_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void fu_put32(uint8_t *p, uint32_t v)
{
	fu_put16(p, (uint16_t)(v >> 16));
	fu_put16(p + 2, (uint16_t)v);
}

#endif
