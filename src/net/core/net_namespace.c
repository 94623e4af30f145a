/*
 * net_namespace.c - struct net, one host's network stack
 * (net/core/net_namespace.c).  kpath has one stack per host and no
 * setns/unshare; a subsystem's init hangs its state off struct net and
 * registers an exit, as register_pernet_subsys does, and kp_net_free runs
 * the exits in reverse order before freeing the skbs still alive.
 */
#include "net_namespace.h"

#include <errno.h>
#include <stdlib.h>

#include "core_priv.h"
#include "sched/host.h"
#include "sched/sched.h"

struct net *current_net(void)
{
	return current_host()->net;
}

struct kp_world *kp_net_world(const struct net *net)
{
	return net->host->world;
}

struct net *kp_net_create(struct kp_host *h)
{
	struct net *net = calloc(1, sizeof(*net));
	if (!net)
		return NULL;
	net->host = h;
	INIT_LIST_HEAD(&net->dev_base_head);
	INIT_LIST_HEAD(&net->ptype_all);
	for (int i = 0; i < PTYPE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&net->ptype_base[i]);
	INIT_LIST_HEAD(&net->skb_alive);
	for (int i = 0; i < kp_nr_sysctls; i++)
		kp_sysctl_set(net, &kp_sysctl_table[i], kp_sysctl_table[i].def);
	net->mib[KP_MIB_Ip_Forwarding] = 2; /* "not forwarding", as /proc */
	net->mib[KP_MIB_Ip_DefaultTTL] = (uint64_t)net->sysctl.ip_default_ttl;
	return net;
}

int kp_net_register_exit(struct net *net, void (*exit)(struct net *net))
{
	int max = (int)(sizeof(net->exit_fns) / sizeof(net->exit_fns[0]));
	if (net->nr_exit_fns >= max)
		return -ENOSPC;
	net->exit_fns[net->nr_exit_fns++] = exit;
	return 0;
}

void kp_net_free(struct net *net)
{
	if (!net)
		return;
	while (net->nr_exit_fns > 0)
		net->exit_fns[--net->nr_exit_fns](net);
	kp_skb_free_all(net);
	free(net);
}
