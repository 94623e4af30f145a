/*
 * frame_build.h - building real Ethernet/IPv4/UDP/ICMP frames for
 * `inject`: correct lengths and checksums unless the spec says how to
 * break them (bad IP or UDP checksum, a wrong IHL or total length, a
 * frame cut short), which is how lessons make malformed packets.
 */
#ifndef KP_UI_FRAME_BUILD_H
#define KP_UI_FRAME_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KP_FRAME_MAX 9018

enum kp_frame_l4 { KP_FRAME_UDP = 17, KP_FRAME_ICMP_ECHO = 1 };

struct kp_frame_spec {
	uint8_t dst_mac[6], src_mac[6];
	uint32_t saddr, daddr; /* host order */
	enum kp_frame_l4 l4;
	uint16_t sport, dport; /* UDP */
	uint16_t icmp_id, icmp_seq;
	const uint8_t *payload;
	size_t payload_len;
	uint8_t ttl;           /* 0: 64 */
	uint16_t ip_id;
	/* ways to break it */
	bool bad_ip_csum;      /* header checksum off by one */
	bool bad_l4_csum;      /* UDP/ICMP checksum off by one */
	int ihl;               /* 0: right (5 + options); else this value */
	int tot_len;           /* -1: right; else this value */
	int trunc;             /* -1: whole; else cut the frame to N bytes */
};

/* A spec with everything right and nothing set. */
void kp_frame_spec_init(struct kp_frame_spec *spec);

/* Build the frame into @buf; returns its length (padded to the Ethernet
 * minimum of 60 bytes unless cut), or -1 if it does not fit in @size. */
int kp_frame_build(const struct kp_frame_spec *spec, uint8_t *buf,
		   size_t size);

/* The UDP frame kp_frame_build made from @spec into @buf, with IP id @id
 * instead: only the id and the header checksum change (the UDP checksum
 * does not cover them), so a burst need not be built frame by frame. */
void kp_frame_set_ip_id(const struct kp_frame_spec *spec, uint8_t *buf,
			uint16_t id);

/* "10.0.0.1" -> host order; "10.0.0.1:53" with a port.  0 or -1. */
int kp_parse_ipv4(const char *text, uint32_t *addr);
int kp_parse_ipv4_port(const char *text, uint32_t *addr, uint16_t *port);

#endif
