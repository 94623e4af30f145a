/*
 * pcap_in.c - the capture reader: libpcap reads the frames, our header
 * walk (capfile_walk.c) runs in step with it to know where each frame
 * sits in the file and to stop, with an offset, before libpcap trips.
 */
#include "pcap_in.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linktype.h"

static void set_error(struct kp_pcap_in *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct kp_pcap_in *in, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	n = (size_t)snprintf(in->error, sizeof(in->error), "%s: ",
			     in->name ? in->name : "?");
	if (n >= sizeof(in->error))
		return;
	va_start(ap, fmt);
	vsnprintf(in->error + n, sizeof(in->error) - n, fmt, ap);
	va_end(ap);
	/* libpcap's messages are one line, but keep the promise anyway */
	for (char *p = in->error; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

/* Open for the header walk; refuse what could make libpcap block. */
static int open_file(struct kp_pcap_in *in, const char *path, uint64_t *size)
{
	struct stat st;
	int err;

	in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (in->fd < 0 || fstat(in->fd, &st) < 0) {
		err = errno;
		set_error(in, "cannot open: %s", strerror(err));
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		set_error(in, "not a regular file");
		return -EINVAL;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

static int open_pcap(struct kp_pcap_in *in, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	const char *name;

	in->pcap = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!in->pcap) {
		set_error(in, "byte 0: libpcap cannot read it: %s", errbuf);
		return -EINVAL;
	}
	in->dlt = pcap_datalink(in->pcap);
	if (!kp_cap_linktype_supported(in->dlt)) {
		name = pcap_datalink_val_to_name(in->dlt);
		set_error(in,
			  "link type %d (%s) is not supported: Ethernet, Linux "
			  "cooked (SLL, SLL2), raw IP and loopback are",
			  in->dlt, name ? name : "unknown");
		return -EPROTONOSUPPORT;
	}
	in->snaplen = (uint32_t)pcap_snapshot(in->pcap);
	return 0;
}

int kp_pcap_in_open(struct kp_pcap_in *in, const char *path)
{
	struct kp_capfile_problem prob;
	char msg[sizeof(in->error)];
	uint64_t size = 0;
	int err;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->name = strdup(path);
	if (!in->name) {
		snprintf(in->error, sizeof(in->error), "%s: out of memory",
			 path);
		return -ENOMEM;
	}
	err = open_file(in, path, &size);
	if (err)
		goto fail;
	err = kp_capfile_walk_begin(&in->walk, in->fd, size, &prob);
	if (err) {
		set_error(in, "byte %" PRIu64 ": %s", prob.offset, prob.what);
		goto fail;
	}
	in->format = in->walk.format;
	err = open_pcap(in, path);
	if (err)
		goto fail;
	in->buf = malloc(KP_CAP_MAX_RECORD + KP_CAP_ETH_HLEN);
	if (!in->buf) {
		set_error(in, "out of memory");
		err = -ENOMEM;
		goto fail;
	}
	return 0;
fail:
	memcpy(msg, in->error, sizeof(msg));
	kp_pcap_in_close(in);
	memcpy(in->error, msg, sizeof(msg));
	return err;
}

void kp_pcap_in_close(struct kp_pcap_in *in)
{
	if (in->pcap)
		pcap_close(in->pcap);
	if (in->fd >= 0)
		close(in->fd);
	free(in->buf);
	free(in->name);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->done = true;
}

static const char *where(const struct kp_pcap_in *in)
{
	return in->format == KP_CAPFILE_PCAPNG ? "in the block at byte"
					       : "at byte";
}

/* Read the frame libpcap holds for the record the walk found. */
static int pcap_frame(struct kp_pcap_in *in, const struct kp_capfile_rec *rec,
		      struct pcap_pkthdr **hdr, const u_char **data)
{
	int r = pcap_next_ex(in->pcap, hdr, data);

	if (r == 1)
		return 0;
	if (r == PCAP_ERROR_BREAK)
		set_error(in,
			  "frame %" PRIu64 " %s %" PRIu64
			  ": libpcap found no frame here",
			  in->frames, where(in), rec->offset);
	else
		set_error(in, "frame %" PRIu64 " %s %" PRIu64 ": libpcap: %s",
			  in->frames, where(in), rec->offset,
			  pcap_geterr(in->pcap));
	in->done = true;
	return KP_PCAP_BROKEN;
}

int kp_pcap_in_next(struct kp_pcap_in *in, struct kp_pcap_frame *f)
{
	struct kp_capfile_problem prob;
	struct kp_capfile_rec rec;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	const char *why;
	int r;

	if (in->done)
		return KP_PCAP_END;
	switch (kp_capfile_walk_next(&in->walk, &rec, &prob)) {
	case KP_WALK_END:
		in->done = true;
		return KP_PCAP_END;
	case KP_WALK_BROKEN:
		in->frames++;
		set_error(in, "frame %" PRIu64 " at byte %" PRIu64 ": %s",
			  in->frames, prob.offset, prob.what);
		in->done = true;
		return KP_PCAP_BROKEN;
	case KP_WALK_SKIP:
		in->frames++;
		r = pcap_frame(in, &rec, &hdr, &data); /* consume it */
		if (r)
			return r;
		set_error(in, "frame %" PRIu64 " at byte %" PRIu64 ": %s",
			  in->frames, prob.offset, prob.what);
		in->skipped++;
		return KP_PCAP_SKIPPED;
	case KP_WALK_RECORD:
		break;
	}
	in->frames++;
	r = pcap_frame(in, &rec, &hdr, &data);
	if (r)
		return r;
	if (hdr->caplen > KP_CAP_MAX_RECORD ||
	    (in->format == KP_CAPFILE_PCAP && hdr->caplen != rec.caplen)) {
		set_error(in,
			  "frame %" PRIu64 " %s %" PRIu64
			  ": libpcap returned %u bytes, the record holds %" PRIu32,
			  in->frames, where(in), rec.offset, hdr->caplen,
			  rec.caplen);
		in->done = true;
		return KP_PCAP_BROKEN;
	}
	if (kp_cap_to_ethernet(in->dlt, data, hdr->caplen, hdr->len, in->buf,
			       &f->caplen, &f->wirelen, &why)) {
		set_error(in,
			  "frame %" PRIu64 " %s %" PRIu64
			  ": %s (%u of %u bytes); frame skipped",
			  in->frames, where(in), rec.offset, why, hdr->caplen,
			  kp_cap_linktype_hlen(in->dlt));
		in->skipped++;
		return KP_PCAP_SKIPPED;
	}
	f->number = in->frames;
	f->offset = rec.offset;
	/* libpcap hands out tv_usec in nanoseconds at this precision */
	f->ts_ns = (uint64_t)hdr->ts.tv_sec * 1000000000u +
		   (uint64_t)hdr->ts.tv_usec;
	f->data = in->buf;
	f->raw = data;
	f->raw_caplen = hdr->caplen;
	f->raw_wirelen = hdr->len;
	return KP_PCAP_FRAME;
}
