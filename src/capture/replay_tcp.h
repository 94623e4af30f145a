/*
 * replay_tcp.h - TCP in replay's receiver mode: kpath's listener answers
 * the capture's client with its own initial sequence number and its own
 * timestamps, so the client's later segments, which acknowledge the
 * file's receiver, would be out of window.  Like a tester rewriting a
 * trace to a new server, replay translates them: once both SYN-ACKs are
 * known (the file's, read from the capture; kpath's, seen on its
 * transmit tap), each segment of that connection to the receiver has its
 * ack number, SACK blocks and timestamp echo moved from the file's
 * receiver's sequence and timestamp space into kpath's, with the TCP
 * checksum updated incrementally (RFC 1624: a bad checksum stays bad).
 *
 * Mirrors no kernel file: it is the other machine.  Left out: a
 * connection the capture shows without its SYN-ACK (it is injected
 * untranslated), and connections the receiver opens itself.
 */
#ifndef KP_CAPTURE_REPLAY_TCP_H
#define KP_CAPTURE_REPLAY_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/* One connection to the receiver, keyed by the client's address/port
 * and the receiver's (host order). */
struct kp_replay_tcpconn {
	uint32_t caddr, saddr;
	uint16_t cport, sport;
	uint32_t file_isn, own_isn;	/* the receiver's ISN: file, kpath */
	uint32_t file_tsval, own_tsval; /* TSval of each SYN-ACK */
	bool have_file, have_own;
	bool file_ts, own_ts;
};

struct kp_replay_tcpmap {
	struct kp_replay_tcpconn *v;
	size_t n, cap;
	uint64_t translated; /* segments rewritten */
	uint64_t untranslated; /* to the receiver, no SYN-ACK pair known */
};

/* A SYN-ACK the receiver sent: @own false for the capture's, true for
 * kpath's.  Other segments are ignored. */
void kp_replay_tcp_synack(struct kp_replay_tcpmap *m,
			  const struct kp_decoded *d, bool own);
/* Rewrite the TCP segment @d (decoded from @frame, to the receiver) into
 * kpath's sequence space, if its connection's two SYN-ACKs are known.
 * True if the frame changed. */
bool kp_replay_tcp_translate(struct kp_replay_tcpmap *m, uint8_t *frame,
			     const struct kp_decoded *d);
void kp_replay_tcp_free(struct kp_replay_tcpmap *m);

#endif
