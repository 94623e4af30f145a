/*
 * csum.c - the Internet checksum.  Plain byte-pair summing: captures are
 * small and clarity beats the kernel's word-at-a-time tricks here.
 */
#include "csum.h"

uint32_t kp_cap_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t kp_cap_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t kp_cap_csum_pseudo(uint32_t saddr, uint32_t daddr, uint8_t proto,
			    uint32_t len)
{
	uint64_t acc = 0;

	acc += saddr >> 16;
	acc += saddr & 0xffff;
	acc += daddr >> 16;
	acc += daddr & 0xffff;
	acc += proto;
	acc += len >> 16;
	acc += len & 0xffff;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}
