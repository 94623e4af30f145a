/*
 * bpf.h - capture filters: a tcpdump expression compiled with libpcap's
 * pcap_compile() for one link type, and frames tested against it with
 * pcap_offline_filter().  Use the capture's own link type to filter the
 * raw frames of a file (kp_pcap_frame.raw), KP_DLT_EN10MB for Ethernet
 * frames (the converted ones, and every frame the emulation makes).
 */
#ifndef KP_CAPTURE_BPF_H
#define KP_CAPTURE_BPF_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>

struct kp_bpf {
	struct bpf_program prog;
	bool compiled;
	char error[PCAP_ERRBUF_SIZE + 128]; /* libpcap's text, quoted */
};

/*
 * Compile @expr ("" accepts everything).  Returns 0, or -EINVAL with
 * f->error holding one line: the expression and libpcap's complaint.
 */
int kp_bpf_compile(struct kp_bpf *f, const char *expr, int dlt);
bool kp_bpf_match(const struct kp_bpf *f, const uint8_t *frame,
		  uint32_t caplen, uint32_t wirelen);
void kp_bpf_free(struct kp_bpf *f);

#endif
