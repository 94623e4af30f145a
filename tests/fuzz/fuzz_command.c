/*
 * fuzz_command.c - libFuzzer harness for what parses a command line
 * before any command runs: the tokenizer (quotes, escapes), the command
 * lookup with abbreviations and suggestions, and breakpoint conditions
 * (`break FN if COND`).  The input is one line (NULs end it).  The
 * script parser feeds these same functions line by line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmd.h"
#include "ui/cond.h"
#include "ui/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	char err[256], buf[128];
	struct kp_args args;
	int words;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (kp_tokenize(line, &args, err, sizeof(err)) == 0) {
		if (args.argc > 0) {
			kp_cmd_lookup(args.argc, args.argv, &words);
			kp_cmd_is_group(args.argc, args.argv);
			kp_cmd_suggest(args.argv[0], buf, sizeof(buf));
			char *joined = kp_args_join(args.argc, args.argv);
			free(joined);
		}
		kp_args_free(&args);
	}
	struct kp_cond *c = kp_cond_parse(line, err, sizeof(err));
	kp_cond_free(c);
	free(line);
	return 0;
}
