/*
 * pcap_out.c - pcap_open_dead() for DLT_EN10MB at the chosen timestamp
 * precision, then pcap_dump_open()/pcap_dump()/pcap_dump_close().
 */
#include "pcap_out.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "capfile_walk.h"

int kp_pcap_out_open(struct kp_pcap_out *o, const char *path,
		     enum kp_pcap_tsprec prec, uint32_t snaplen)
{
	memset(o, 0, sizeof(*o));
	o->prec = prec;
	o->snaplen = snaplen && snaplen < KP_CAP_MAX_RECORD ? snaplen
							    : KP_CAP_MAX_RECORD;
	o->dead = pcap_open_dead_with_tstamp_precision(
		DLT_EN10MB, (int)o->snaplen,
		prec == KP_PCAP_NSEC ? PCAP_TSTAMP_PRECISION_NANO
				     : PCAP_TSTAMP_PRECISION_MICRO);
	if (!o->dead) {
		snprintf(o->error, sizeof(o->error), "%s: libpcap: out of memory",
			 path);
		return -ENOMEM;
	}
	o->dumper = pcap_dump_open(o->dead, path);
	if (!o->dumper) {
		snprintf(o->error, sizeof(o->error), "%s: %s", path,
			 pcap_geterr(o->dead));
		pcap_close(o->dead);
		o->dead = NULL;
		return -EIO;
	}
	return 0;
}

int kp_pcap_out_write(struct kp_pcap_out *o, uint64_t ts_ns,
		      const uint8_t *frame, uint32_t caplen, uint32_t wirelen)
{
	struct pcap_pkthdr h;
	uint64_t frac = ts_ns % 1000000000u;

	if (!o->dumper)
		return -EBADF;
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(o->prec == KP_PCAP_NSEC ? frac
							     : frac / 1000u);
	h.caplen = caplen < o->snaplen ? caplen : o->snaplen;
	h.len = wirelen < caplen ? caplen : wirelen;
	pcap_dump((u_char *)o->dumper, &h, frame);
	o->frames++;
	return 0;
}

int kp_pcap_out_close(struct kp_pcap_out *o)
{
	int err = 0;

	if (o->dumper) {
		if (pcap_dump_flush(o->dumper) < 0) {
			snprintf(o->error, sizeof(o->error),
				 "write error after %llu frames: %s",
				 (unsigned long long)o->frames, strerror(errno));
			err = -EIO;
		}
		pcap_dump_close(o->dumper);
	}
	if (o->dead)
		pcap_close(o->dead);
	o->dumper = NULL;
	o->dead = NULL;
	return err;
}
