/*
 * cmd_proc.c - `cat FILE`: the /proc files a Linux user reads to watch
 * the receive path, in the kernel's own format - /proc/net/softnet_stat,
 * /proc/interrupts, /proc/net/snmp, /proc/net/netstat, /proc/net/dev -
 * and every tunable as /proc/sys/net/... (one number and a newline).
 *
 * The table below is the list of files; another /proc file (say
 * /proc/PID/status) is one more entry.  Left out: everything else in
 * /proc.
 */
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "complete.h"
#include "format_net.h"
#include "net/core/net_namespace.h"
#include "proc_pid.h"
#include "sched/host.h"
#include "session.h"

struct proc_file {
	const char *path;
	void (*show)(struct kp_out *out, struct kp_host *h);
};

static void show_softnet_stat(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_softnet_stat(out, h);
}

static void show_snmp(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_proc_snmp(out, h->net);
}

static void show_netstat(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_proc_netstat(out, h->net);
}

static void show_net_dev(struct kp_out *out, struct kp_host *h)
{
	kp_fmt_proc_net_dev(out, h->net);
}

static const struct proc_file proc_files[] = {
	{ "/proc/interrupts", kp_fmt_proc_interrupts },
	{ "/proc/net/dev", show_net_dev },
	{ "/proc/net/netstat", show_netstat },
	{ "/proc/net/snmp", show_snmp },
	{ "/proc/net/softnet_stat", show_softnet_stat },
};

#define NR_PROC_FILES (sizeof(proc_files) / sizeof(proc_files[0]))

static int cat_one(struct kp_session *s, struct kp_out *out,
		   struct kp_host *h, const char *path)
{
	for (size_t i = 0; i < NR_PROC_FILES; i++) {
		if (strcmp(path, proc_files[i].path) == 0) {
			if (!h->net && strcmp(path, "/proc/interrupts") != 0)
				return kp_cmd_error(s, out, "cat: %s: %s has "
							    "no network stack",
						    path, h->name);
			proc_files[i].show(out, h);
			return 0;
		}
	}
	if (kp_proc_pid_path(path))
		return kp_proc_pid_cat(s, out, h, path);
	if (strncmp(path, "/proc/sys/", 10) == 0 && h->net) {
		const struct kp_sysctl_info *si = kp_sysctl_lookup(path + 10);
		if (si) {
			kp_printf(out, "%ld\n", kp_sysctl_get(h->net, si));
			return 0;
		}
	}
	kp_session_print_location(s, out);
	kp_printf(out, "cat: %s: No such file or directory; kpath has",
		  path);
	for (size_t i = 0; i < NR_PROC_FILES; i++)
		kp_printf(out, " %s", proc_files[i].path);
	kp_puts(out, " and /proc/sys/... (see 'sysctl -a')\n");
	return -ENOENT;
}

static int cmd_cat(struct kp_session *s, int argc, char **argv,
		   struct kp_out *out)
{
	struct kp_host *h = kp_net_cmd_host(s, &argc, argv);
	int ret = 0;
	if (!argc)
		return KP_CMD_USAGE;
	for (int i = 0; i < argc; i++) {
		int r = cat_one(s, out, h, argv[i]);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

static void complete_cat(struct kp_session *s, int argc, char **argv,
			 struct kp_completions *c)
{
	(void)argc;
	(void)argv;
	kp_complete_hosts(s, c);
	for (size_t i = 0; i < NR_PROC_FILES; i++)
		kp_complete_add(c, proc_files[i].path);
	for (int k = 0; k < kp_nr_sysctls; k++) {
		char path[160];
		snprintf(path, sizeof(path), "/proc/sys/%s",
			 kp_sysctl_table[k].name);
		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		kp_complete_add(c, path);
	}
}

const struct kp_cmd kp_cmd_cat = {
	.name = "cat",
	.aliases = NULL,
	.usage = "cat [HOST] FILE...",
	.summary = "read /proc files: softnet_stat, interrupts, snmp, netstat",
	.help = "Prints a /proc file of the host (HOST defaults to server)\n"
		"exactly as the Linux kernel formats it, so what you learn to\n"
		"read here reads the same on a real machine:\n"
		"\n"
		"  /proc/net/softnet_stat  one line per CPU, hex columns:\n"
		"                          processed, dropped (backlog full),\n"
		"                          time_squeeze, 0 x5, cpu_collision,\n"
		"                          received_rps, flow_limit_count,\n"
		"                          backlog length, CPU number\n"
		"  /proc/interrupts        interrupts per line and CPU: the\n"
		"                          NIC's MSI-X vectors (eth0-TxRx-0),\n"
		"                          LOC (timer), CAL (function call)\n"
		"  /proc/net/snmp          Ip, Icmp, IcmpMsg, Tcp, Udp counters\n"
		"  /proc/net/netstat       TcpExt and IpExt counters\n"
		"  /proc/net/dev           per-device packets, errors, drops\n"
		"  /proc/sys/net/...       a tunable (as 'sysctl -n')\n"
		"\n"
		"'nstat' and 'netstat -s' read the same counters by name.\n"
		"\n"
		"Example:\n"
		"  cat /proc/net/softnet_stat\n"
		"  cat client /proc/interrupts\n"
		"  cat /proc/sys/net/core/netdev_budget\n",
	.group = "network",
	.flags = 0,
	.complete = complete_cat,
	.handler = cmd_cat,
};
