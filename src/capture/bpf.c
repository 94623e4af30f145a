/*
 * bpf.c - pcap_compile() against a dead pcap_t of the wanted link type,
 * pcap_offline_filter() per frame.
 */
#include "bpf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capfile_walk.h"

int kp_bpf_compile(struct kp_bpf *f, const char *expr, int dlt)
{
	pcap_t *dead;
	int r;

	memset(f, 0, sizeof(*f));
	dead = pcap_open_dead(dlt, (int)KP_CAP_MAX_RECORD);
	if (!dead) {
		snprintf(f->error, sizeof(f->error),
			 "filter \"%s\": libpcap: cannot open link type %d",
			 expr, dlt);
		return -ENOMEM;
	}
	r = pcap_compile(dead, &f->prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	if (r < 0) {
		snprintf(f->error, sizeof(f->error), "filter \"%s\": %s", expr,
			 pcap_geterr(dead));
		pcap_close(dead);
		return -EINVAL;
	}
	pcap_close(dead);
	f->compiled = true;
	return 0;
}

bool kp_bpf_match(const struct kp_bpf *f, const uint8_t *frame,
		  uint32_t caplen, uint32_t wirelen)
{
	struct pcap_pkthdr h = { .caplen = caplen, .len = wirelen };

	if (!f->compiled)
		return false;
	return pcap_offline_filter(&f->prog, &h, frame) != 0;
}

void kp_bpf_free(struct kp_bpf *f)
{
	if (f->compiled)
		pcap_freecode(&f->prog);
	f->compiled = false;
}
