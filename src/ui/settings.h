/*
 * settings.h - what `set NAME VALUE` changes and `show NAME` shows.
 *
 * Settings that shape the world (seed, cpus, trace-size) take effect at
 * once on a world that has not started yet, and otherwise at the next
 * `reboot`.  Kernel tunables are not settings: they go through the real
 * tools' faces (sysctl, ethtool).  To add a setting, add an entry to the
 * table in settings.c with its get and set functions.
 */
#ifndef KP_UI_SETTINGS_H
#define KP_UI_SETTINGS_H

#include <stddef.h>

#include "out.h"

struct kp_session;

struct kp_setting {
	const char *name;
	const char *help;
	/* Print the value into @buf. */
	void (*get)(struct kp_session *s, char *buf, size_t size);
	/* Parse and apply @value; 0, or a negative error after printing
	 * what was wrong. */
	int (*set)(struct kp_session *s, const char *value,
		   struct kp_out *out);
};

extern const struct kp_setting kp_settings[];
extern const size_t kp_nr_settings;

const struct kp_setting *kp_setting_find(const char *name);

#endif
