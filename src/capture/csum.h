/*
 * csum.h - the Internet checksum (RFC 1071) over byte ranges, for the
 * capture decoder's checks of IPv4 header, ICMP, UDP and TCP checksums.
 *
 * Self-contained on purpose: the capture library does not link the
 * emulated kernel's net/core/checksum.c.  Sums are kept unfolded in a
 * uint32_t (a one's complement accumulator, big-endian words) and folded
 * at the end, so ranges can be chained (pseudo-header, then segment).
 */
#ifndef KP_CAPTURE_CSUM_H
#define KP_CAPTURE_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add @len bytes at @p to the accumulator @sum; an odd tail is padded. */
uint32_t kp_cap_csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* Fold to 16 bits and complement: 0 means "verifies" for a checksummed range. */
uint16_t kp_cap_csum_fold(uint32_t sum);
/* The IPv4 pseudo-header (RFC 793/768) for a transport checksum. */
uint32_t kp_cap_csum_pseudo(uint32_t saddr, uint32_t daddr, uint8_t proto,
			    uint32_t len);

#endif
