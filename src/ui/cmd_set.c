/*
 * cmd_set.c - set NAME VALUE, show NAME, show settings.  "show" is also
 * the family name for views other files add ("show softnet", "show
 * ring"): dispatch prefers those longer names, so the generic "show NAME"
 * here only sees the rest.
 */
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "session.h"
#include "settings.h"

static int unknown_setting(struct kp_session *s, const char *name,
			   struct kp_out *out)
{
	return kp_cmd_error(s, out, "No setting '%s'; 'show settings' lists "
				    "them, 'help show' the show commands",
			    name);
}

static int cmd_set(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	if (argc != 2)
		return KP_CMD_USAGE;
	const struct kp_setting *st = kp_setting_find(argv[0]);
	if (!st)
		return unknown_setting(s, argv[0], out);
	return st->set(s, argv[1], out);
}

static void complete_set(struct kp_session *s, int argc, char **argv,
			 struct kp_completions *c)
{
	(void)s;
	if (argc == 0)
		kp_complete_settings(c);
	else if (argc == 1 && strcmp(argv[0], "echo-commands") == 0) {
		kp_complete_add(c, "on");
		kp_complete_add(c, "off");
	}
}

const struct kp_cmd kp_cmd_set = {
	.name = "set",
	.aliases = NULL,
	.usage = "set NAME VALUE",
	.summary = "change a setting",
	.help = "Changes one of kpath's own settings ('show settings' lists\n"
		"them).  seed, cpus and trace-size shape the world: they take\n"
		"effect at once if the world has not started, otherwise at\n"
		"the next 'reboot'.  Kernel tunables are not settings: use\n"
		"the Linux tools (sysctl, ethtool) for those.\n"
		"\n"
		"Example:\n"
		"  set seed 7\n"
		"  set trace-size 1048576\n",
	.group = "settings",
	.flags = KP_CMD_SETUP,
	.complete = complete_set,
	.handler = cmd_set,
};

static int cmd_show_settings(struct kp_session *s, int argc, char **argv,
			     struct kp_out *out);

static int cmd_show(struct kp_session *s, int argc, char **argv,
		    struct kp_out *out)
{
	char buf[64];
	if (argc == 0)
		return cmd_show_settings(s, argc, argv, out);
	if (argc != 1)
		return KP_CMD_USAGE;
	const struct kp_setting *st = kp_setting_find(argv[0]);
	if (!st)
		return unknown_setting(s, argv[0], out);
	st->get(s, buf, sizeof(buf));
	kp_printf(out, "%s is %s.\n", st->name, buf);
	return 0;
}

static void complete_show(struct kp_session *s, int argc, char **argv,
			  struct kp_completions *c)
{
	(void)s;
	(void)argv;
	if (argc == 0)
		kp_complete_settings(c);
}

const struct kp_cmd kp_cmd_show = {
	.name = "show",
	.aliases = NULL,
	.usage = "show [NAME]",
	.summary = "show a setting",
	.help = "Shows the value of one setting, or of all of them (as 'show\n"
		"settings').  Other 'show ...' commands show parts of the\n"
		"emulated kernel; 'help show' lists them.\n"
		"\n"
		"Example:\n"
		"  show seed\n",
	.group = "settings",
	.flags = KP_CMD_SETUP,
	.complete = complete_show,
	.handler = cmd_show,
};

static int cmd_show_settings(struct kp_session *s, int argc, char **argv,
			     struct kp_out *out)
{
	char buf[64];
	(void)argv;
	if (argc)
		return KP_CMD_USAGE;
	for (size_t i = 0; i < kp_nr_settings; i++) {
		kp_settings[i].get(s, buf, sizeof(buf));
		kp_printf(out, "%-14s %-10s %s\n", kp_settings[i].name, buf,
			  kp_settings[i].help);
	}
	return 0;
}

const struct kp_cmd kp_cmd_show_settings = {
	.name = "show settings",
	.aliases = NULL,
	.usage = "show settings",
	.summary = "every setting with its value",
	.help = "Lists every setting, its value and what it does.\n"
		"\n"
		"Example:\n"
		"  show settings\n",
	.group = "settings",
	.flags = KP_CMD_SETUP,
	.complete = NULL,
	.handler = cmd_show_settings,
};
