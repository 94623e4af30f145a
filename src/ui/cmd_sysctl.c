/*
 * cmd_sysctl.c - `sysctl`, procps-ng's face on the host's kernel
 * tunables (net->sysctl, table in src/net/core/sysctl.def): read one,
 * write one (-w NAME=VALUE, or NAME=VALUE alone), list them (-a, with a
 * pattern), -n for the value alone, -q to write quietly.
 *
 * Left out: -p (files), --system, and the multi-value keys
 * (ip_local_port_range is two keys here, _min and _max).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "sched/host.h"
#include "session.h"

/* "net.core.x" -> "net/core/x", as the /proc/sys path in messages */
static const char *proc_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s", name);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = '/';
	return buf;
}

/* What procps says for a key that is not there. */
static int no_such_key(struct kp_session *s, struct kp_out *out,
		       const char *name)
{
	char path[128];
	return kp_cmd_error(s, out, "sysctl: cannot stat /proc/sys/%s: No such "
				    "file or directory (see 'sysctl -a')",
			    proc_path(path, sizeof(path), name));
}

static int sysctl_read(struct kp_session *s, struct kp_out *out,
		       struct net *net, const char *name, bool value_only)
{
	const struct kp_sysctl_info *si = kp_sysctl_lookup(name);
	if (!si)
		return no_such_key(s, out, name);
	if (value_only)
		kp_printf(out, "%ld\n", kp_sysctl_get(net, si));
	else
		kp_printf(out, "%s = %ld\n", si->name, kp_sysctl_get(net, si));
	return 0;
}

static int sysctl_write(struct kp_session *s, struct kp_out *out,
			struct net *net, char *setting, bool quiet,
			bool value_only)
{
	char *eq = strchr(setting, '=');
	char *end;
	if (!eq)
		return kp_cmd_error(s, out, "sysctl: \"%s\" must be of the form "
					    "name=value",
				    setting);
	*eq = '\0';
	const char *name = setting, *value = eq + 1;
	const struct kp_sysctl_info *si = kp_sysctl_lookup(name);
	if (!si)
		return no_such_key(s, out, name);
	long v = strtol(value, &end, 10);
	if (end == value || *end)
		return kp_cmd_error(s, out, "sysctl: setting key \"%s\": "
					    "Invalid argument (a number "
					    "from %ld to %ld)",
				    si->name, si->min, si->max);
	if (kp_sysctl_set(net, si, v) < 0)
		return kp_cmd_error(s, out, "sysctl: setting key \"%s\": "
					    "Invalid argument (%ld is outside "
					    "%ld..%ld)",
				    si->name, v, si->min, si->max);
	if (!quiet) {
		if (value_only)
			kp_printf(out, "%ld\n", v);
		else
			kp_printf(out, "%s = %ld\n", si->name, v);
	}
	return 0;
}

static int cmd_sysctl(struct kp_session *s, int argc, char **argv,
		      struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	bool write = false, all = false, value_only = false, quiet = false;
	int i, ret = 0;

	if (!h || !h->net)
		return kp_cmd_error(s, out, "no network stack to tune yet");
	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			switch (*o) {
			case 'w': write = true; break;
			case 'a': case 'A': case 'X': all = true; break;
			case 'n': value_only = true; break;
			case 'q': quiet = true; break;
			case 'e': break;
			default:
				return kp_cmd_error(s, out, "sysctl: unknown "
							    "option -%c; see "
							    "'help sysctl'",
						    *o);
			}
		}
	}
	if (all) {
		const char *pattern = i < argc ? argv[i] : NULL;
		if (argc - i > 1)
			return KP_CMD_USAGE;
		for (int k = 0; k < kp_nr_sysctls; k++) {
			const struct kp_sysctl_info *si = &kp_sysctl_table[k];
			if (!kp_cmd_pattern_match(si->name, pattern))
				continue;
			if (value_only)
				kp_printf(out, "%ld\n",
					  kp_sysctl_get(h->net, si));
			else
				kp_printf(out, "%s = %ld\n", si->name,
					  kp_sysctl_get(h->net, si));
		}
		return 0;
	}
	if (i == argc)
		return KP_CMD_USAGE;
	for (; i < argc; i++) {
		int r;
		if (write || strchr(argv[i], '='))
			r = sysctl_write(s, out, h->net, argv[i], quiet,
					 value_only);
		else
			r = sysctl_read(s, out, h->net, argv[i], value_only);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

static void complete_sysctl(struct kp_session *s, int argc, char **argv,
			    struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_hosts(s, c);
	kp_complete_add(c, "-a");
	kp_complete_add(c, "-w");
	for (int k = 0; k < kp_nr_sysctls; k++)
		kp_complete_add(c, kp_sysctl_table[k].name);
}

const struct kp_cmd kp_cmd_sysctl = {
	.name = "sysctl",
	.aliases = NULL,
	.usage = "sysctl [HOST] [-n] [-q] NAME... | [-w] NAME=VALUE... | -a "
		 "[PATTERN]",
	.summary = "read and set kernel tunables, as procps sysctl does",
	.help = "Reads or writes the host's kernel tunables (HOST defaults\n"
		"to server), printing 'name = value' as sysctl(8) does.\n"
		"NAME=VALUE writes, with or without -w; a value outside the\n"
		"tunable's range is refused with 'Invalid argument', as\n"
		"proc_dointvec_minmax does.  -a lists every tunable, or those\n"
		"containing PATTERN (or matching it, with * ? [ ]); -n prints\n"
		"values alone; -q writes without printing.  Names may be\n"
		"written with / as well (net/core/netdev_budget).  The value\n"
		"takes effect at the next use: net_rx_action reads\n"
		"netdev_budget each time it runs.\n"
		"\n"
		"Example:\n"
		"  sysctl net.core.netdev_budget\n"
		"  sysctl -w net.core.netdev_budget=64\n"
		"  sysctl client net.core.netdev_max_backlog=10\n"
		"  sysctl -a net.core\n",
	.group = "network",
	.flags = 0,
	.complete = complete_sysctl,
	.handler = cmd_sysctl,
};
