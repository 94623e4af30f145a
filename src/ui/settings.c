/*
 * settings.c - the settings table.
 */
#include "settings.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sched/sched.h"
#include "session.h"

static bool parse_u64(const char *text, uint64_t *v)
{
	char *end;
	if (!*text || *text == '-')
		return false;
	errno = 0;
	unsigned long long n = strtoull(text, &end, 0);
	if (*end || errno)
		return false;
	*v = n;
	return true;
}

/* A world-shaping setting changed: rebuild an unstarted world now. */
static int world_config_changed(struct kp_session *s, const char *name,
				struct kp_out *out)
{
	if (!s->started)
		return kp_session_reboot(s);
	kp_printf(out, "%s takes effect at the next 'reboot'.\n", name);
	return 0;
}

static void get_seed(struct kp_session *s, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRIu64, s->cfg.seed);
}

static int set_seed(struct kp_session *s, const char *value,
		    struct kp_out *out)
{
	uint64_t seed;
	if (!parse_u64(value, &seed))
		return kp_cmd_error(s, out, "seed must be a number, e.g. "
					    "'set seed 42'");
	s->cfg.seed = seed;
	return world_config_changed(s, "seed", out);
}

static void get_cpus(struct kp_session *s, char *buf, size_t size)
{
	snprintf(buf, size, "%d", s->cfg.nr_cpus);
}

static int set_cpus(struct kp_session *s, const char *value,
		    struct kp_out *out)
{
	uint64_t n;
	if (!parse_u64(value, &n) || n < 1 || n > KP_MAX_CPUS)
		return kp_cmd_error(s, out, "cpus must be 1 to %d, e.g. "
					    "'set cpus 4'",
				    KP_MAX_CPUS);
	s->cfg.nr_cpus = (int)n;
	return world_config_changed(s, "cpus", out);
}

static void get_trace_size(struct kp_session *s, char *buf, size_t size)
{
	snprintf(buf, size, "%llu", 1ull << s->cfg.trace_order);
}

static int set_trace_size(struct kp_session *s, const char *value,
			  struct kp_out *out)
{
	uint64_t n;
	unsigned order = 4;
	if (!parse_u64(value, &n) || n < 16 || n > (1ull << 26))
		return kp_cmd_error(s, out, "trace-size must be 16 to %llu "
					    "records, e.g. 'set trace-size "
					    "1048576'",
				    1ull << 26);
	while ((1ull << order) < n)
		order++;
	if ((1ull << order) != n)
		kp_printf(out, "trace-size rounded up to %llu (a power of "
			       "two).\n",
			  1ull << order);
	s->cfg.trace_order = order;
	return world_config_changed(s, "trace-size", out);
}

static void get_echo(struct kp_session *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s", s->echo_commands ? "on" : "off");
}

static int set_echo(struct kp_session *s, const char *value,
		    struct kp_out *out)
{
	if (!strcmp(value, "on") || !strcmp(value, "1"))
		s->echo_commands = true;
	else if (!strcmp(value, "off") || !strcmp(value, "0"))
		s->echo_commands = false;
	else
		return kp_cmd_error(s, out, "echo-commands is on or off");
	return 0;
}

const struct kp_setting kp_settings[] = {
	{ "seed", "seed of the world's PRNG (same seed, same run)",
	  get_seed, set_seed },
	{ "cpus", "CPUs per host", get_cpus, set_cpus },
	{ "trace-size", "trace records the ring keeps (a power of two)",
	  get_trace_size, set_trace_size },
	{ "echo-commands", "print each script command before its output",
	  get_echo, set_echo },
};

const size_t kp_nr_settings = sizeof(kp_settings) / sizeof(kp_settings[0]);

const struct kp_setting *kp_setting_find(const char *name)
{
	for (size_t i = 0; i < kp_nr_settings; i++)
		if (strcmp(kp_settings[i].name, name) == 0)
			return &kp_settings[i];
	return NULL;
}
