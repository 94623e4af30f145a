/*
 * duration.h - virtual times as the UI shows and reads them: shown in
 * seconds with 9 decimals (t=0.000012345s), read with a unit (5ms, 300us,
 * 1.5s, 1200ns).  Integer arithmetic only, so parsing is exact and the
 * same on every build.
 */
#ifndef KP_UI_DURATION_H
#define KP_UI_DURATION_H

#include <stdint.h>

#define KP_TIME_BUF 32

/* "0.000012345" (no unit); returns @buf. */
const char *kp_fmt_time(char buf[KP_TIME_BUF], uint64_t ns);

/* Parse a duration with a unit (ns, us, ms, s); 0 or -EINVAL. */
int kp_parse_duration(const char *text, uint64_t *ns);

#endif
