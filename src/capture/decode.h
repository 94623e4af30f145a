/*
 * decode.h - a bounds-checked decoded view of one frame: Ethernet (with
 * 802.1Q tags) -> ARP | IPv4 (options, fragments) -> ICMP | UDP | TCP
 * (flags, options).  Every field of the view is copied out of the bytes,
 * with the offset of each header in the frame, and every defect found is
 * listed in problems[] (problems.def): truncations, bad IHL, bad total
 * length, bad data offset, bad option lengths, and the IPv4 header, ICMP,
 * UDP and TCP checksums, verified whenever the bytes they cover were
 * captured.  For the kernel side (an skb's bytes), `show skb`, replay.
 *
 * Left out: IPv6 and other EtherTypes (eth.proto says which it was),
 * 802.3/LLC frames, reassembly (a non-first fragment has no L4 view),
 * application protocols.
 */
#ifndef KP_CAPTURE_DECODE_H
#define KP_CAPTURE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kp_problem {
#define KP_PROBLEM(name, desc, detail) KP_PROB_##name,
#include "problems.def"
#undef KP_PROBLEM
	KP_PROB__COUNT
};

#define KP_DECODE_MAX_PROBLEMS 8
#define KP_DECODE_MAX_VLANS 2
#define KP_DECODE_MAX_SACK 4

struct kp_problem_rec {
	enum kp_problem id;
	uint32_t offset;   /* byte in the frame where it was found */
	uint32_t found;	   /* the offending value (length, checksum...) */
	uint32_t expected; /* what it should be, where that is known */
};

enum {
	KP_LAYER_ETH = 1 << 0,
	KP_LAYER_ARP = 1 << 1,
	KP_LAYER_IPV4 = 1 << 2,
	KP_LAYER_TCP = 1 << 3,
	KP_LAYER_UDP = 1 << 4,
	KP_LAYER_ICMP = 1 << 5,
};

struct kp_eth_view {
	uint8_t dst[6], src[6];
	uint16_t proto;	   /* EtherType after any VLAN tags; < 0x600: LLC */
	uint8_t nvlan;
	uint16_t vlan_tci[KP_DECODE_MAX_VLANS];
	uint32_t hlen;	   /* 14 + 4 per tag */
};

struct kp_arp_view {
	uint32_t off;
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
	uint8_t sha[6], tha[6]; /* Ethernet/IPv4 ARP only */
	uint32_t spa, tpa;	/* host order */
};

struct kp_ipv4_view {
	uint32_t off;	      /* of the header in the frame */
	uint8_t version, tos, ttl, protocol;
	uint32_t hlen;	      /* IHL * 4 */
	uint16_t tot_len, id, frag_off, check; /* frag_off: the raw field */
	bool df, mf;
	uint32_t frag_bytes;  /* fragment offset in bytes */
	uint32_t saddr, daddr; /* host order */
	uint32_t opt_off, opt_len;
	bool csum_ok;	      /* header checksum verified */
	uint32_t payload_off;
	uint32_t payload_len; /* from tot_len, clipped to the wire length */
	uint32_t payload_cap; /* of which captured */
};

struct kp_tcp_view {
	uint32_t off;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint32_t doff;	      /* header length in bytes */
	uint16_t flags;	      /* FIN 0x01 ... CWR 0x80, AE/NS 0x100 */
	uint16_t window, check, urg_ptr;
	bool has_mss, has_wscale, sack_ok, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
	uint8_t nsack;
	struct {
		uint32_t start, end;
	} sack[KP_DECODE_MAX_SACK];
	uint8_t nunknown;     /* options of other kinds */
	uint32_t payload_off, payload_len;
	bool csum_checked, csum_ok;
};

struct kp_udp_view {
	uint32_t off;
	uint16_t sport, dport, len, check;
	uint32_t payload_off, payload_len;
	bool csum_checked, csum_ok; /* check == 0: none sent, not checked */
};

struct kp_icmp_view {
	uint32_t off;
	uint8_t type, code;
	uint16_t check;
	uint16_t id, seq;     /* echo, timestamp, info, mask */
	uint32_t gateway;     /* redirect */
	uint16_t mtu;	      /* fragmentation needed */
	uint32_t inner_off;   /* quoted IP header of an error, 0 if none */
	uint32_t len;	      /* ICMP message length */
	bool csum_checked, csum_ok;
};

struct kp_decoded {
	const uint8_t *frame;
	uint32_t caplen, wirelen;
	unsigned int layers; /* KP_LAYER_* present */
	struct kp_eth_view eth;
	struct kp_arp_view arp;
	struct kp_ipv4_view ip;
	struct kp_tcp_view tcp;
	struct kp_udp_view udp;
	struct kp_icmp_view icmp;
	unsigned int nproblems;
	struct kp_problem_rec problems[KP_DECODE_MAX_PROBLEMS];
};

/* Decode an Ethernet frame.  Returns the number of problems found. */
unsigned int kp_decode_frame(struct kp_decoded *d, const uint8_t *frame,
			     uint32_t caplen, uint32_t wirelen);
/* Decode bytes that start at an IPv4 header (no link layer). */
unsigned int kp_decode_ipv4(struct kp_decoded *d, const uint8_t *pkt,
			    uint32_t caplen, uint32_t wirelen);

bool kp_decode_has_problem(const struct kp_decoded *d, enum kp_problem id);
const char *kp_problem_name(enum kp_problem id); /* "IP_BAD_CSUM" */
const char *kp_problem_desc(enum kp_problem id); /* "bad IPv4 header checksum" */
/*
 * One problem as a line: "bad IPv4 header checksum at byte 24 (0x1234,
 * expected 0xb1e6)".  Returns snprintf's count.
 */
int kp_problem_format(const struct kp_problem_rec *p, char *buf, size_t n);

#endif
