/*
 * capfile_walk.h - walk the record (block) headers of a capture file
 * ourselves, beside libpcap, to know the byte offset of every frame and
 * to say exactly where and how a broken file breaks.  libpcap's own
 * messages carry no offsets.
 *
 * Classic pcap: 24-byte file header, 16-byte record headers (24 for the
 * "modified" Kuznetzov format), either byte order, microsecond or
 * nanosecond magic.  pcapng: blocks of type(4) length(4) body length(4);
 * packet blocks (EPB, SPB, obsolete PB) are frames; the Section Header
 * Block sets the byte order.  The walker checks structure only (lengths,
 * end of file); contents are libpcap's business.
 */
#ifndef KP_CAPTURE_CAPFILE_WALK_H
#define KP_CAPTURE_CAPFILE_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KP_CAPFILE_WINDOW 16384

/* libpcap refuses records above this for every link type we read */
#define KP_CAP_MAX_RECORD 262144u

enum kp_capfile_format {
	KP_CAPFILE_PCAP,
	KP_CAPFILE_PCAPNG,
};

struct kp_capfile_walk {
	int fd;		   /* read with pread; not owned */
	uint64_t size;	   /* file size */
	uint64_t off;	   /* next record or block header */
	enum kp_capfile_format format;
	bool swapped;	   /* file byte order differs from big-endian reads */
	bool nano;	   /* classic pcap with the nanosecond magic */
	unsigned int rec_hlen; /* classic pcap record header: 16 or 24 */
	uint32_t snaplen;  /* classic pcap, adjusted as libpcap does */
	uint32_t linktype; /* classic pcap header's link type */
	/* read-ahead window of the file (headers are read from it) */
	uint64_t win_off;
	size_t win_len;
	uint8_t win[KP_CAPFILE_WINDOW];
};

struct kp_capfile_rec {
	uint64_t offset; /* of the record header or packet block */
	uint32_t caplen; /* classic pcap only */
};

/* Where and what: "file ends inside the record header (5 of 16 bytes)" */
struct kp_capfile_problem {
	uint64_t offset;
	char what[200];
};

enum kp_walk_result {
	KP_WALK_RECORD, /* one more frame at rec->offset */
	KP_WALK_END,	/* clean end of file */
	KP_WALK_SKIP,	/* this frame is bad but the next can be read */
	KP_WALK_BROKEN, /* the file cannot be read past this point */
};

/*
 * Read and check the file header (the first Section Header Block for
 * pcapng).  Returns 0, or -EINVAL with @p filled (bad magic, truncated
 * header, impossible lengths).
 */
int kp_capfile_walk_begin(struct kp_capfile_walk *w, int fd, uint64_t size,
			  struct kp_capfile_problem *p);
/* Step to the next frame; @p is filled for SKIP and BROKEN. */
enum kp_walk_result kp_capfile_walk_next(struct kp_capfile_walk *w,
					 struct kp_capfile_rec *rec,
					 struct kp_capfile_problem *p);

#endif
