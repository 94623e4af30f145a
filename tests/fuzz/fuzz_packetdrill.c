/*
 * fuzz_packetdrill.c - libFuzzer harness for kpath's packetdrill parser
 * (src/packetdrill/parser.c): a .pkt script is outside input.  The
 * input is parsed as one statement (pd_parse_line: times, packets,
 * system calls, backticks, snippets), searched for struct-like fields
 * (pd_field) and, through a file, as a whole script (pd_parse_file:
 * option lines, statements spanning lines).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packetdrill/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], out[64], path[64];
	char *text = malloc(size + 1);
	struct pd_event ev;
	struct pd_script s;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	pd_parse_line(text, 1, &ev, err, (int)sizeof(err));
	pd_field(text, "fd", out, (int)sizeof(out));
	pd_field(text, "iov_len", out, (int)sizeof(out));

	snprintf(path, sizeof(path), "/tmp/fuzz_packetdrill.%d.pkt",
		 (int)getpid());
	FILE *f = fopen(path, "w");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
		if (pd_parse_file(path, &s, err, (int)sizeof(err)) == 0)
			pd_script_free(&s);
		unlink(path);
	}
	free(text);
	return 0;
}
