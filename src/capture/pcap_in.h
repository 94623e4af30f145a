/*
 * pcap_in.h - read a capture file (pcap or pcapng, through libpcap) frame
 * by frame, each frame turned into an Ethernet frame (linktype.h says how).
 *
 *	struct kp_pcap_in in;
 *	struct kp_pcap_frame f;
 *	int r;
 *
 *	if (kp_pcap_in_open(&in, path) < 0)
 *		die(in.error);
 *	while ((r = kp_pcap_in_next(&in, &f)) != KP_PCAP_END) {
 *		if (r == KP_PCAP_FRAME)
 *			use(f.number, f.ts_ns, f.data, f.caplen, f.wirelen);
 *		else
 *			warn(in.error);	// SKIPPED: go on; BROKEN: next is END
 *	}
 *	kp_pcap_in_close(&in);
 *
 * Bad input never crashes and never hangs.  Every problem is one line in
 * in.error naming the file, the frame number, the byte offset where the
 * file broke (classic pcap and pcapng, from our own header walk) and what
 * was wrong; libpcap's own text is quoted when libpcap is the one that
 * refused.  Timestamps are read with nanosecond precision.
 */
#ifndef KP_CAPTURE_PCAP_IN_H
#define KP_CAPTURE_PCAP_IN_H

#include <stdbool.h>
#include <stdint.h>

#include "capfile_walk.h"

struct pcap;

enum kp_pcap_status {
	KP_PCAP_END = 0,     /* no more frames (after BROKEN too) */
	KP_PCAP_FRAME = 1,   /* *f holds the next frame */
	KP_PCAP_SKIPPED = 2, /* a frame was skipped; in->error says why */
	KP_PCAP_BROKEN = 3,  /* reading stopped here; in->error says why */
};

struct kp_pcap_frame {
	uint64_t number;      /* 1 for the first record in the file */
	uint64_t ts_ns;	      /* since the epoch, UTC */
	uint64_t offset;      /* of the record/block in the file */
	const uint8_t *data;  /* the Ethernet frame; valid until next call */
	uint32_t caplen;      /* bytes at data */
	uint32_t wirelen;     /* length on the wire, Ethernet header included */
	const uint8_t *raw;   /* the frame as captured, link type in->dlt */
	uint32_t raw_caplen;
	uint32_t raw_wirelen;
};

struct kp_pcap_in {
	struct pcap *pcap;
	char *name;	      /* the path given to open */
	int fd;		      /* for the header walk */
	int dlt;	      /* libpcap's link type (DLT_*) */
	uint32_t snaplen;
	enum kp_capfile_format format;
	struct kp_capfile_walk walk;
	uint64_t frames;      /* records consumed, skipped ones included */
	uint64_t skipped;
	bool done;
	uint8_t *buf;	      /* the converted frame */
	char error[512];      /* one line, no newline */
};

/* 0, or a negative errno with in->error set (the struct is then closed). */
int kp_pcap_in_open(struct kp_pcap_in *in, const char *path);
int kp_pcap_in_next(struct kp_pcap_in *in, struct kp_pcap_frame *f);
void kp_pcap_in_close(struct kp_pcap_in *in);

#endif
