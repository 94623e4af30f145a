/*
 * tcpframe.h - the Ethernet/IPv4/TCP frames of a packetdrill run: build
 * an inbound one from a script line (packetdrill's packet.c and
 * tcp_packet.c), and take an outbound one apart to check it.
 */
#ifndef KP_PACKETDRILL_TCPFRAME_H
#define KP_PACKETDRILL_TCPFRAME_H

#include <stddef.h>
#include <stdint.h>

#include "script.h"

struct pd_frame_addr {
	uint8_t src_mac[6], dst_mac[6];
	uint32_t saddr, daddr; /* network order */
	uint16_t sport, dport; /* host order */
	uint32_t sack_add;     /* added to inbound SACK edges: local ISN */
	uint16_t ip_id;        /* of the next frame built (then +1) */
};

/* A TCP segment seen on the wire, host order. */
struct pd_seg {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint32_t len; /* payload bytes */
	int nr_opts;
	struct pd_tcp_opt opts[PD_MAX_OPTS];
};

/* Build @pk (seq/ack already mapped to wire values in @seq/@ack) into
 * @buf; returns the length or -1. */
int pd_frame_build(struct pd_frame_addr *a, const struct pd_packet *pk,
		   uint32_t seq, uint32_t ack, uint8_t *buf, size_t size);
/* Bytes the TCP options of @pk take on the wire (padded), or -1. */
int pd_opts_len(const struct pd_packet *pk);
/* Parse an Ethernet frame; 0 a TCP/IPv4 segment, -1 something else. */
int pd_frame_parse(const uint8_t *f, size_t len, struct pd_seg *seg);

#endif
