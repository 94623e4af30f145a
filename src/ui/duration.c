/*
 * duration.c - formatting and parsing virtual times.
 */
#include "duration.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *kp_fmt_time(char buf[KP_TIME_BUF], uint64_t ns)
{
	snprintf(buf, KP_TIME_BUF, "%" PRIu64 ".%09" PRIu64,
		 ns / 1000000000u, ns % 1000000000u);
	return buf;
}

int kp_parse_duration(const char *text, uint64_t *ns)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};
	const char *p = text;
	uint64_t whole = 0, frac = 0, frac_scale = 1;

	if (!isdigit((unsigned char)*p) && *p != '.')
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			if (frac_scale >= 1000000000u)
				continue; /* finer than a nanosecond */
			frac = frac * 10 + (uint64_t)(*p - '0');
			frac_scale *= 10;
		}
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].name) != 0)
			continue;
		uint64_t unit = units[i].ns;
		if (whole > UINT64_MAX / unit)
			return -EINVAL;
		*ns = whole * unit + frac * unit / frac_scale;
		return 0;
	}
	return -EINVAL;
}
