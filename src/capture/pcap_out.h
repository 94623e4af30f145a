/*
 * pcap_out.h - write Ethernet frames to a classic .pcap file (libpcap's
 * pcap_dump), with microsecond or nanosecond timestamps, readable by
 * tcpdump, Wireshark and kp_pcap_in.
 *
 *	struct kp_pcap_out out;
 *
 *	if (kp_pcap_out_open(&out, "x.pcap", KP_PCAP_NSEC, 0) < 0)
 *		die(out.error);
 *	kp_pcap_out_write(&out, ts_ns, frame, caplen, wirelen);
 *	kp_pcap_out_close(&out);	// flushes; reports write errors
 *
 * Microsecond files truncate the timestamp, as the kernel's own stamps
 * would be.  Left out: pcapng, other link types.
 */
#ifndef KP_CAPTURE_PCAP_OUT_H
#define KP_CAPTURE_PCAP_OUT_H

#include <stdint.h>

struct pcap;
struct pcap_dumper;

enum kp_pcap_tsprec {
	KP_PCAP_USEC,
	KP_PCAP_NSEC,
};

struct kp_pcap_out {
	struct pcap *dead;
	struct pcap_dumper *dumper;
	enum kp_pcap_tsprec prec;
	uint32_t snaplen;
	uint64_t frames;
	char error[512];
};

/* @snaplen 0 means 262144.  "-" writes to standard output. */
int kp_pcap_out_open(struct kp_pcap_out *o, const char *path,
		     enum kp_pcap_tsprec prec, uint32_t snaplen);
/* Frames longer than the snap length are cut to it (caplen), as captured. */
int kp_pcap_out_write(struct kp_pcap_out *o, uint64_t ts_ns,
		      const uint8_t *frame, uint32_t caplen, uint32_t wirelen);
int kp_pcap_out_close(struct kp_pcap_out *o);

#endif
