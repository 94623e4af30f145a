/*
 * sysctl.c - the table of one stack's tunables (net/core/sysctl_net_core.c,
 * net/ipv4/sysctl_net_ipv4.c), generated from sysctl.def: lookup by name,
 * range-checked reads and writes.  Linux's proc_dointvec_minmax returns
 * -EINVAL outside [extra1, extra2]; so does kp_sysctl_set.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "net_namespace.h"

const struct kp_sysctl_info kp_sysctl_table[] = {
#define KP_SYSCTL(name, field, def, min, max, desc)                           \
	{ name, offsetof(struct kp_sysctls, field), def, min, max, desc },
#include "sysctl.def"
#undef KP_SYSCTL
};

const int kp_nr_sysctls =
	(int)(sizeof(kp_sysctl_table) / sizeof(kp_sysctl_table[0]));

const struct kp_sysctl_info *kp_sysctl_lookup(const char *name)
{
	if (!name)
		return NULL;
	/* `sysctl net/core/netdev_budget` works too, as in procps */
	char dotted[128];
	size_t n = strlen(name);
	if (n >= sizeof(dotted))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		dotted[i] = name[i] == '/' ? '.' : name[i];
	const char *key = dotted;
	if (strncmp(key, ".proc.sys.", 10) == 0)
		key += 10;
	for (int i = 0; i < kp_nr_sysctls; i++)
		if (strcmp(kp_sysctl_table[i].name, key) == 0)
			return &kp_sysctl_table[i];
	return NULL;
}

static long *sysctl_slot(const struct net *net,
			 const struct kp_sysctl_info *si)
{
	return (long *)((char *)&net->sysctl + si->offset);
}

long kp_sysctl_get(const struct net *net, const struct kp_sysctl_info *si)
{
	return *sysctl_slot(net, si);
}

int kp_sysctl_set(struct net *net, const struct kp_sysctl_info *si, long v)
{
	if (!net || !si)
		return -EINVAL;
	if (v < si->min || v > si->max)
		return -EINVAL;
	*sysctl_slot(net, si) = v;
	return 0;
}
