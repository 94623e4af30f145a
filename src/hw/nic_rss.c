/*
 * nic_rss.c - the receive-side classification the 82576 does in silicon
 * before DMA: the RSS Toeplitz hash over the IPv4 (and TCP/UDP, as MRQC
 * enables) tuple, the 128-entry indirection table, and IPv4/TCP/UDP
 * checksum validation (RXCSUM) reported in the descriptor status.
 *
 * Mirrors the datasheet's RSS section (82576 7.1.2.8) and what igb
 * programs in igb_setup_mrqc().  Left out: IPv6 hashing, VLAN parsing,
 * SCTP, the packet-type field.
 */
#include "nic.h"

#include <string.h>

uint32_t kp_toeplitz_hash(const uint8_t key[IGB_RSS_KEY_SIZE],
			  const uint8_t *input, size_t len)
{
	/* The 32-bit window of the key slides one bit per input bit. */
	uint32_t result = 0;
	uint32_t window = (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 |
			  (uint32_t)key[2] << 8 | key[3];
	for (size_t i = 0; i < len; i++) {
		uint8_t next = i + 4 < IGB_RSS_KEY_SIZE ? key[i + 4] : 0;
		for (int b = 7; b >= 0; b--) {
			if (input[i] & (1u << b))
				result ^= window;
			window = window << 1 | ((next >> b) & 1u);
		}
	}
	return result;
}

void kp_toeplitz_table(const uint8_t key[IGB_RSS_KEY_SIZE],
		       uint32_t tbl[KP_RSS_INPUT_MAX][256])
{
	for (size_t i = 0; i < KP_RSS_INPUT_MAX; i++) {
		/* the key window for each bit of byte i, MSB first */
		uint32_t win[8];
		uint64_t k40 = 0; /* key bytes i .. i+4, big-endian */
		for (size_t j = i; j < i + 5; j++)
			k40 = k40 << 8 | (j < IGB_RSS_KEY_SIZE ? key[j] : 0);
		for (int b = 0; b < 8; b++)
			win[b] = (uint32_t)(k40 >> (8 - b));
		tbl[i][0] = 0;
		for (unsigned v = 1; v < 256; v++) {
			unsigned low = v & -v; /* lowest set bit */
			int b = 7 - __builtin_ctz(low);
			tbl[i][v] = tbl[i][v & (v - 1)] ^ win[b];
		}
	}
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int kp_nic_rss_queue(struct kp_nic *nic, const uint8_t *frame,
		     size_t len, uint32_t *hash, uint16_t *type)
{
	*hash = 0;
	*type = 0;
	if (!(nic->mrqc & E1000_MRQC_ENABLE_RSS_4Q) || len < 14 + 20 ||
	    get_be16(frame + 12) != 0x0800)
		return 0;
	const uint8_t *ip = frame + 14;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < 20 || 14 + ihl > len)
		return 0;
	uint8_t input[12] = { 0 };
	size_t n = 8;
	memcpy(input, ip + 12, 8); /* saddr, daddr */
	bool frag = get_be16(ip + 6) & 0x3fff; /* MF or offset */
	const uint8_t *l4 = ip + ihl;
	bool ports = !frag && 14 + ihl + 4 <= len;
	if (ports && ip[9] == 6 && (nic->mrqc & E1000_MRQC_RSS_FIELD_IPV4_TCP)) {
		memcpy(input + 8, l4, 4);
		n = 12;
		*type = E1000_RXDADV_RSSTYPE_IPV4_TCP;
	} else if (ports && ip[9] == 17 &&
		   (nic->mrqc & E1000_MRQC_RSS_FIELD_IPV4_UDP)) {
		memcpy(input + 8, l4, 4);
		n = 12;
		*type = E1000_RXDADV_RSSTYPE_IPV4_UDP;
	} else if (nic->mrqc & E1000_MRQC_RSS_FIELD_IPV4) {
		*type = E1000_RXDADV_RSSTYPE_IPV4;
	} else {
		return 0;
	}
	uint32_t h;
	uint64_t in8;
	uint32_t in4;
	memcpy(&in8, input, 8);
	memcpy(&in4, input + 8, 4);
	if (!nic->rss_tbl_stale && nic->rss_last_n == n &&
	    nic->rss_last_in8 == in8 && nic->rss_last_in4 == in4) {
		h = nic->rss_last_hash; /* the same flow as the last frame */
	} else {
		if (nic->rss_tbl_stale) {
			kp_toeplitz_table(nic->rss_key, nic->rss_tbl);
			nic->rss_tbl_stale = false;
		}
		h = 0;
		for (size_t i = 0; i < n; i++)
			h ^= nic->rss_tbl[i][input[i]];
		nic->rss_last_in8 = in8;
		nic->rss_last_in4 = in4;
		nic->rss_last_n = (uint32_t)n;
		nic->rss_last_hash = h;
	}
	*hash = h;
	int q = nic->reta[*hash & (IGB_RETA_SIZE - 1)];
	return q < nic->nr_queues ? q : 0;
}
