/*
 * snmp.c - the names of the MIB counters (net/ipv4/proc.c's snmp4_*_list
 * tables), as nstat and netstat -s print them.
 */
#include "snmp.h"

#include <string.h>

const struct kp_mib_info kp_mib_info[KP_MIB_MAX] = {
#define KP_MIB(group, name) [KP_MIB_##group##_##name] = { #group, #name },
#include "snmp.def"
#undef KP_MIB
};

int kp_mib_lookup(const char *nstat_name)
{
	if (!nstat_name)
		return -1;
	for (int i = 0; i < KP_MIB_MAX; i++) {
		size_t glen = strlen(kp_mib_info[i].group);
		if (strncmp(nstat_name, kp_mib_info[i].group, glen) == 0 &&
		    strcmp(nstat_name + glen, kp_mib_info[i].name) == 0)
			return i;
	}
	return -1;
}
