/*
 * fuzz_pcap.c - libFuzzer harness: the input as a capture file, read the
 * way `replay` reads it (capfile_walk.c beside libpcap, linktype.c's
 * conversion, every frame decoded and formatted).  Broken files must end
 * with a message, never a crash or a hang.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "capture/decode.h"
#include "capture/pcap_in.h"
#include "capture/tcpdump_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct kp_pcap_in in;
	struct kp_pcap_frame f;
	struct kp_tcpdump_state st;
	int fd, r, n = 0;

	snprintf(path, sizeof(path), "/tmp/kp-fuzz-pcap-%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	close(fd);
	if (kp_pcap_in_open(&in, path) == 0) {
		kp_tcpdump_state_init(&st);
		while ((r = kp_pcap_in_next(&in, &f)) != KP_PCAP_END &&
		       n++ < 100000) {
			struct kp_decoded d;
			struct kp_tcpdump_line line;
			if (r != KP_PCAP_FRAME)
				continue;
			kp_decode_frame(&d, f.data, f.caplen, f.wirelen);
			kp_tcpdump_format(&st, f.ts_ns, f.data, f.caplen,
					  f.wirelen, &line);
		}
		kp_tcpdump_state_free(&st);
		kp_pcap_in_close(&in);
	}
	unlink(path);
	return 0;
}
