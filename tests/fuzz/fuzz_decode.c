/*
 * fuzz_decode.c - libFuzzer harness: one Ethernet frame (the input) through
 * the decoder (decode.c, decode_l4.c), tcpdump's line (tcpdump_*.c, with
 * its flow state, so relative sequence numbers are exercised across
 * inputs), -v and the -e prefix.  Any crash, leak or sanitizer report
 * fails.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/tap.h"
#include "capture/tcpdump_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kp_decoded d;
	struct kp_tcpdump_state st;
	struct kp_tcpdump_line line;
	uint32_t caplen = size > 65535 ? 65535 : (uint32_t)size;
	/* the first byte, when there is one, says how much was cut off */
	uint32_t wirelen = caplen + (size ? data[0] % 4 : 0);

	kp_decode_frame(&d, data, caplen, wirelen);
	for (unsigned i = 0; i < d.nproblems; i++) {
		char buf[256];
		kp_problem_format(&d.problems[i], buf, sizeof(buf));
	}
	kp_decode_ipv4(&d, data, caplen, wirelen);
	kp_tcpdump_state_init(&st);
	kp_tcpdump_format(&st, 1234567890123456789ull, data, caplen, wirelen,
			  &line);
	kp_tcpdump_format(&st, 1234567890123456789ull, data, caplen, wirelen,
			  &line);
	kp_tcpdump_verbose(&line, data, caplen, wirelen);
	kp_tap_add_ether(&line, data, caplen, wirelen);
	kp_tcpdump_line_matches(&line, line.text);
	kp_tcpdump_state_free(&st);
	return 0;
}
