/*
 * capfile_walk.c - record and block headers of classic pcap and pcapng
 * files, read with pread() so libpcap's own stream is left alone.  The
 * checks mirror the ones libpcap 1.10 makes, so a file we pass libpcap
 * reads, and a file libpcap refuses gets a message with an offset.
 */
#include "capfile_walk.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PCAP_HLEN 24
#define PCAP_REC_HLEN 16
#define PCAP_KUZNETZOV_REC_HLEN 24
#define PCAPNG_SHB 0x0a0d0d0au
#define PCAPNG_BOM 0x1a2b3c4du
#define PCAPNG_MIN_BLOCK 12u
#define PCAPNG_MIN_SHB 28u
#define PCAPNG_PB 0x00000002u  /* obsolete Packet Block */
#define PCAPNG_SPB 0x00000003u /* Simple Packet Block */
#define PCAPNG_EPB 0x00000006u /* Enhanced Packet Block */

static void problem(struct kp_capfile_problem *p, uint64_t offset,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void problem(struct kp_capfile_problem *p, uint64_t offset,
		    const char *fmt, ...)
{
	va_list ap;

	p->offset = offset;
	va_start(ap, fmt);
	vsnprintf(p->what, sizeof(p->what), fmt, ap);
	va_end(ap);
}

static int pread_all(int fd, uint64_t off, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done,
				  (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/*
 * Read exactly @len bytes at @off; the caller checked the file size.
 * Headers come from a window of the file read ahead, so a walk costs a
 * pread per KP_CAPFILE_WINDOW bytes, not one per frame.
 */
static int read_at(struct kp_capfile_walk *w, uint64_t off, void *buf,
		   size_t len)
{
	if (len > sizeof(w->win))
		return pread_all(w->fd, off, buf, len);
	if (off < w->win_off || off + len > w->win_off + w->win_len) {
		uint64_t left = w->size > off ? w->size - off : 0;
		size_t n = left < sizeof(w->win) ? (size_t)left
						 : sizeof(w->win);
		if (n < len)
			n = len;
		w->win_len = 0;
		int err = pread_all(w->fd, off, w->win, n);
		if (err)
			return err;
		w->win_off = off;
		w->win_len = n;
	}
	memcpy(buf, w->win + (off - w->win_off), len);
	return 0;
}

static uint32_t get32(const struct kp_capfile_walk *w, const uint8_t *p)
{
	if (w->swapped)
		return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		       (uint32_t)p[1] << 8 | p[0];
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const struct kp_capfile_walk *w, const uint8_t *p)
{
	if (w->swapped)
		return (uint16_t)(p[1] << 8 | p[0]);
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int classic_begin(struct kp_capfile_walk *w, const uint8_t *hdr,
		      struct kp_capfile_problem *p)
{
	uint16_t major = get16(w, hdr + 4), minor = get16(w, hdr + 6);

	/* libpcap reads versions 2.0 to 2.4, and 543.0 from DG/UX */
	if (!((major == 2 && minor <= 4) || (major == 543 && minor == 0))) {
		problem(p, 4, "unsupported pcap version %u.%u (2.0 to 2.4 are)",
			major, minor);
		return -EINVAL;
	}
	w->snaplen = get32(w, hdr + 16);
	if (w->snaplen == 0 || w->snaplen > KP_CAP_MAX_RECORD)
		w->snaplen = KP_CAP_MAX_RECORD; /* as libpcap adjusts it */
	w->linktype = get32(w, hdr + 20) & 0x03ffffff; /* FCS bits above */
	w->off = PCAP_HLEN;
	return 0;
}

/* Byte order of the section whose header block starts at @off. */
static int pcapng_section(struct kp_capfile_walk *w, uint64_t off,
			  struct kp_capfile_problem *p)
{
	uint8_t b[12];
	uint32_t bom;

	if (w->size - off < PCAPNG_MIN_SHB) {
		problem(p, off,
			"file ends inside the section header block (%" PRIu64
			" of at least %u bytes)",
			w->size - off, PCAPNG_MIN_SHB);
		return -EINVAL;
	}
	if (read_at(w, off, b, sizeof(b)))
		goto io;
	w->swapped = false;
	bom = get32(w, b + 8);
	if (bom == PCAPNG_BOM)
		return 0;
	w->swapped = true;
	if (get32(w, b + 8) == PCAPNG_BOM)
		return 0;
	problem(p, off + 8, "bad pcapng byte-order magic 0x%08" PRIx32, bom);
	return -EINVAL;
io:
	problem(p, off, "read error");
	return -EIO;
}

int kp_capfile_walk_begin(struct kp_capfile_walk *w, int fd, uint64_t size,
			  struct kp_capfile_problem *p)
{
	uint8_t hdr[PCAP_HLEN];
	uint32_t magic;

	*w = (struct kp_capfile_walk){ .fd = fd, .size = size,
				       .rec_hlen = PCAP_REC_HLEN };
	if (size < 4) {
		problem(p, 0, "%s (%" PRIu64 " bytes): no capture file magic",
			size ? "file too short" : "empty file", size);
		return -EINVAL;
	}
	if (read_at(w, 0, hdr, 4)) {
		problem(p, 0, "read error");
		return -EIO;
	}
	magic = get32(w, hdr);
	if (magic == PCAPNG_SHB) {
		w->format = KP_CAPFILE_PCAPNG;
		return pcapng_section(w, 0, p);
	}
	w->format = KP_CAPFILE_PCAP;
	switch (magic) {
	case 0xd4c3b2a1u:
	case 0x4d3cb2a1u:
	case 0x34cdb2a1u:
		w->swapped = true;
		magic = get32(w, hdr);
		break;
	case 0xa1b2c3d4u:
	case 0xa1b23c4du:
	case 0xa1b2cd34u:
		break;
	default:
		problem(p, 0,
			"bad magic 0x%08" PRIx32 ": not a pcap or pcapng file",
			magic);
		return -EINVAL;
	}
	w->nano = magic == 0xa1b23c4du;
	if (magic == 0xa1b2cd34u)
		w->rec_hlen = PCAP_KUZNETZOV_REC_HLEN;
	if (size < PCAP_HLEN) {
		problem(p, 0, "file header truncated (%" PRIu64 " of %u bytes)",
			size, PCAP_HLEN);
		return -EINVAL;
	}
	if (read_at(w, 0, hdr, PCAP_HLEN)) {
		problem(p, 0, "read error");
		return -EIO;
	}
	return classic_begin(w, hdr, p);
}

static enum kp_walk_result classic_next(struct kp_capfile_walk *w,
				     struct kp_capfile_rec *rec,
				     struct kp_capfile_problem *p)
{
	uint64_t left = w->size - w->off;
	uint8_t hdr[PCAP_KUZNETZOV_REC_HLEN];
	uint32_t caplen;

	if (left == 0)
		return KP_WALK_END;
	if (left < w->rec_hlen) {
		problem(p, w->off,
			"file ends inside the record header (%" PRIu64
			" of %u bytes)",
			left, w->rec_hlen);
		return KP_WALK_BROKEN;
	}
	if (read_at(w, w->off, hdr, w->rec_hlen)) {
		problem(p, w->off, "read error");
		return KP_WALK_BROKEN;
	}
	caplen = get32(w, hdr + 8);
	rec->offset = w->off;
	rec->caplen = caplen;
	if (caplen > KP_CAP_MAX_RECORD) {
		problem(p, w->off,
			"record length %" PRIu32
			" is larger than 256 KiB (%u): corrupt record header",
			caplen, KP_CAP_MAX_RECORD);
		return KP_WALK_BROKEN;
	}
	if (left - w->rec_hlen < caplen) {
		problem(p, w->off,
			"file ends inside the record (header says %" PRIu32
			" bytes, %" PRIu64 " follow)",
			caplen, left - w->rec_hlen);
		return KP_WALK_BROKEN;
	}
	w->off += w->rec_hlen + caplen;
	if (caplen > w->snaplen) {
		problem(p, rec->offset,
			"record length %" PRIu32
			" is larger than the snap length %" PRIu32
			"; frame skipped",
			caplen, w->snaplen);
		return KP_WALK_SKIP;
	}
	return KP_WALK_RECORD;
}

static bool pcapng_is_packet(uint32_t type)
{
	return type == PCAPNG_EPB || type == PCAPNG_SPB || type == PCAPNG_PB;
}

static enum kp_walk_result pcapng_next(struct kp_capfile_walk *w,
				       struct kp_capfile_rec *rec,
				       struct kp_capfile_problem *p)
{
	/* every pass consumes at least 12 bytes, so this ends */
	while (w->off < w->size) {
		uint64_t left = w->size - w->off;
		uint8_t hdr[8];
		uint32_t type, len;

		if (left < PCAPNG_MIN_BLOCK) {
			problem(p, w->off,
				"file ends inside a block header (%" PRIu64
				" of %u bytes)",
				left, PCAPNG_MIN_BLOCK);
			return KP_WALK_BROKEN;
		}
		if (read_at(w, w->off, hdr, sizeof(hdr))) {
			problem(p, w->off, "read error");
			return KP_WALK_BROKEN;
		}
		type = get32(w, hdr);
		if (type == PCAPNG_SHB) {
			if (pcapng_section(w, w->off, p))
				return KP_WALK_BROKEN;
		}
		len = get32(w, hdr + 4);
		if (len < PCAPNG_MIN_BLOCK || len % 4) {
			problem(p, w->off,
				"block type 0x%08" PRIx32 " has length %" PRIu32
				" (must be a multiple of 4, at least 12)",
				type, len);
			return KP_WALK_BROKEN;
		}
		if (len > left) {
			problem(p, w->off,
				"file ends inside the block (block length %" PRIu32
				", %" PRIu64 " bytes left)",
				len, left);
			return KP_WALK_BROKEN;
		}
		rec->offset = w->off;
		rec->caplen = 0;
		w->off += len;
		if (pcapng_is_packet(type))
			return KP_WALK_RECORD;
	}
	return KP_WALK_END;
}

enum kp_walk_result kp_capfile_walk_next(struct kp_capfile_walk *w,
					 struct kp_capfile_rec *rec,
					 struct kp_capfile_problem *p)
{
	if (w->format == KP_CAPFILE_PCAPNG)
		return pcapng_next(w, rec, p);
	return classic_next(w, rec, p);
}
