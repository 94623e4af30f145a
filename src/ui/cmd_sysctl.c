/*
 * cmd_sysctl.c - `sysctl`, procps-ng's face on the host's kernel
 * tunables (net->sysctl, table in src/net/core/sysctl.def): read one,
 * write one (-w NAME=VALUE, or NAME=VALUE alone), list them (-a, with a
 * pattern), -n for the value alone, -q to write quietly.
 *
 * The multi-value keys (ip_local_port_range, tcp_rmem, tcp_wmem) are
 * separate entries in sysctl.def (_min, _default, _max); they print and
 * write as Linux's one key with tab-separated values, and the parts stay
 * readable and writable by their own names.  tcp_congestion_control is
 * a number in sysctl.def (0 reno, 1 cubic); it prints as the name and
 * takes either.
 *
 * Left out: -p (files), --system.
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

/* Linux's keys with several values, and the entries that hold them. */
static const struct multi_key {
	const char *name;
	const char *parts[3];
	int n;
} multi_keys[] = {
	{ "net.ipv4.ip_local_port_range",
	  { "net.ipv4.ip_local_port_range_min",
	    "net.ipv4.ip_local_port_range_max" }, 2 },
	{ "net.ipv4.tcp_rmem",
	  { "net.ipv4.tcp_rmem_min", "net.ipv4.tcp_rmem_default",
	    "net.ipv4.tcp_rmem_max" }, 3 },
	{ "net.ipv4.tcp_wmem",
	  { "net.ipv4.tcp_wmem_min", "net.ipv4.tcp_wmem_default",
	    "net.ipv4.tcp_wmem_max" }, 3 },
};

#define CONG_KEY "net.ipv4.tcp_congestion_control"
static const char *const cong_names[] = { "reno", "cubic" };

/* "net/ipv4/tcp_rmem" or "/proc/sys/net/ipv4/tcp_rmem" as dotted. */
static const char *dotted_name(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s", name);
	for (char *p = buf; *p; p++)
		if (*p == '/')
			*p = '.';
	if (!strncmp(buf, ".proc.sys.", 10))
		return buf + 10;
	return buf;
}

static const struct multi_key *multi_lookup(const char *name)
{
	char buf[128];
	const char *key = dotted_name(buf, sizeof(buf), name);

	for (size_t i = 0; i < sizeof(multi_keys) / sizeof(multi_keys[0]); i++)
		if (!strcmp(multi_keys[i].name, key))
			return &multi_keys[i];
	return NULL;
}

/* The multi-value key whose first entry is @si, or NULL. */
static const struct multi_key *multi_first(const struct kp_sysctl_info *si)
{
	for (size_t i = 0; i < sizeof(multi_keys) / sizeof(multi_keys[0]); i++)
		if (!strcmp(multi_keys[i].parts[0], si->name))
			return &multi_keys[i];
	return NULL;
}

static bool multi_part(const struct kp_sysctl_info *si)
{
	for (size_t i = 0; i < sizeof(multi_keys) / sizeof(multi_keys[0]); i++)
		for (int k = 1; k < multi_keys[i].n; k++)
			if (!strcmp(multi_keys[i].parts[k], si->name))
				return true;
	return false;
}

/* "4096\t131072\t6291456", as proc_dointvec separates them */
static void multi_print(struct kp_out *out, struct net *net,
			const struct multi_key *m, bool value_only)
{
	if (!value_only)
		kp_printf(out, "%s = ", m->name);
	for (int k = 0; k < m->n; k++) {
		const struct kp_sysctl_info *si = kp_sysctl_lookup(m->parts[k]);
		kp_printf(out, "%s%ld", k ? "\t" : "",
			  si ? kp_sysctl_get(net, si) : 0);
	}
	kp_puts(out, "\n");
}

static void single_print(struct kp_out *out, struct net *net,
			 const struct kp_sysctl_info *si, bool value_only)
{
	long v = kp_sysctl_get(net, si);

	if (!value_only)
		kp_printf(out, "%s = ", si->name);
	if (!strcmp(si->name, CONG_KEY) && v >= 0 &&
	    v < (long)(sizeof(cong_names) / sizeof(cong_names[0])))
		kp_printf(out, "%s\n", cong_names[v]);
	else
		kp_printf(out, "%ld\n", v);
}

static int sysctl_read(struct kp_session *s, struct kp_out *out,
		       struct net *net, const char *name, bool value_only)
{
	const struct multi_key *m = multi_lookup(name);
	if (m) {
		multi_print(out, net, m, value_only);
		return 0;
	}
	const struct kp_sysctl_info *si = kp_sysctl_lookup(name);
	if (!si)
		return no_such_key(s, out, name);
	single_print(out, net, si, value_only);
	return 0;
}

/* Up to m->n numbers separated by blanks; proc_dointvec writes the ones
 * given and leaves the rest. */
static int multi_write(struct kp_session *s, struct kp_out *out,
		       struct net *net, const struct multi_key *m,
		       const char *value, bool quiet, bool value_only)
{
	const struct kp_sysctl_info *si[3];
	long v[3];
	int n = 0;
	const char *p = value;
	char *end;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == m->n)
			goto inval;
		v[n] = strtol(p, &end, 10);
		if (end == p)
			goto inval;
		si[n] = kp_sysctl_lookup(m->parts[n]);
		if (!si[n] || v[n] < si[n]->min || v[n] > si[n]->max)
			goto inval;
		n++;
		p = end;
		if (*p && *p != ' ' && *p != '\t')
			goto inval;
	}
	if (!n)
		goto inval;
	for (int k = 0; k < n; k++)
		kp_sysctl_set(net, si[k], v[k]);
	if (!quiet) {
		if (value_only)
			kp_printf(out, "%s\n", value);
		else
			kp_printf(out, "%s = %s\n", m->name, value);
	}
	return 0;
inval:
	return kp_cmd_error(s, out, "sysctl: setting key \"%s\": Invalid "
				    "argument (up to %d numbers, blank "
				    "separated, each in its range)",
			    m->name, m->n);
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
	const struct multi_key *m = multi_lookup(name);
	if (m)
		return multi_write(s, out, net, m, value, quiet, value_only);
	const struct kp_sysctl_info *si = kp_sysctl_lookup(name);
	if (!si)
		return no_such_key(s, out, name);
	long v = strtol(value, &end, 10);
	if (!strcmp(si->name, CONG_KEY)) {
		/* Linux takes the name; a number still works here */
		for (size_t k = 0;
		     k < sizeof(cong_names) / sizeof(cong_names[0]); k++)
			if (!strcmp(value, cong_names[k])) {
				v = (long)k;
				end = (char *)value + strlen(value);
			}
		if (end == value || *end)
			return kp_cmd_error(s, out, "sysctl: setting key "
						    "\"%s\": No such file or "
						    "directory (reno or cubic)",
					    si->name);
	}
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
		/* procps echoes the value as it was written */
		if (value_only)
			kp_printf(out, "%s\n", value);
		else
			kp_printf(out, "%s = %s\n", si->name, value);
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
			const struct multi_key *m = multi_first(si);
			if (m) {
				if (kp_cmd_pattern_match(m->name, pattern))
					multi_print(out, h->net, m,
						    value_only);
				continue;
			}
			if (multi_part(si) ||
			    !kp_cmd_pattern_match(si->name, pattern))
				continue;
			single_print(out, h->net, si, value_only);
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
	for (size_t k = 0; k < sizeof(multi_keys) / sizeof(multi_keys[0]); k++)
		kp_complete_add(c, multi_keys[k].name);
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
		"netdev_budget each time it runs.  tcp_rmem, tcp_wmem and\n"
		"ip_local_port_range print their values tab-separated, as\n"
		"Linux does, and take 'sysctl -w net.ipv4.tcp_rmem=\"4096\n"
		"131072 6291456\"'; each value is also a key of its own\n"
		"(net.ipv4.tcp_rmem_max).  tcp_congestion_control takes\n"
		"reno or cubic.\n"
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
