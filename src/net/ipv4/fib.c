/*
 * fib.c - the Forwarding Information Base: routing tables local and main,
 * longest-prefix-match lookup, route insertion and deletion
 * (net/ipv4/fib_frontend.c, fib_trie.c, fib_semantics.c, fib_rules.c).
 *
 * Departures: a table is a list kept sorted longest prefix first (then
 * metric, then insertion), not an LC-trie; one next hop per route; the
 * policy rules are Linux's defaults, fixed (local, then main).
 */
#include <errno.h>
#include <stdlib.h>

#include "inetdevice.h"
#include "ip.h"
#include "net/core/net_namespace.h"
#include "route.h"

/* fib_props[type].error */
static int fib_type_error(int type)
{
	switch (type) {
	case RTN_BLACKHOLE:
	case RTN_NAT:
	case RTN_XRESOLVE:
		return -EINVAL;
	case RTN_UNREACHABLE:
		return -EHOSTUNREACH;
	case RTN_PROHIBIT:
		return -EACCES;
	case RTN_THROW:
		return -EAGAIN;
	default:
		return 0;
	}
}

static void fib_table_free(struct fib_table *tb)
{
	struct fib_route *r, *n;

	list_for_each_entry_safe(r, n, &tb->routes, list) {
		list_del(&r->list);
		free(r);
	}
}

static void ip_fib_net_exit(struct net *net)
{
	struct kp_fib *fib = net->fib;
	struct rtable *rt, *rn;
	struct in_device *in_dev, *in;

	if (!fib)
		return;
	fib_table_free(&fib->local);
	fib_table_free(&fib->main);
	list_for_each_entry_safe(rt, rn, &fib->rt_cache, rt_list) {
		list_del(&rt->rt_list);
		free(rt);
	}
	/* The devices may be gone already: free without touching them. */
	list_for_each_entry_safe(in_dev, in, &fib->in_devs, kp_list) {
		while (in_dev->ifa_list) {
			struct in_ifaddr *ifa = in_dev->ifa_list;
			in_dev->ifa_list = ifa->ifa_next;
			free(ifa);
		}
		list_del(&in_dev->kp_list);
		free(in_dev);
	}
	free(fib);
	net->fib = NULL;
}

int ip_fib_init(struct net *net)
{
	struct kp_fib *fib;

	if (net->fib)
		return 0;
	fib = calloc(1, sizeof(*fib));
	if (!fib)
		return -ENOMEM;
	fib->local.tb_id = RT_TABLE_LOCAL;
	fib->main.tb_id = RT_TABLE_MAIN;
	INIT_LIST_HEAD(&fib->local.routes);
	INIT_LIST_HEAD(&fib->main.routes);
	INIT_LIST_HEAD(&fib->rt_cache);
	INIT_LIST_HEAD(&fib->in_devs);
	if (kp_net_register_exit(net, ip_fib_net_exit)) {
		free(fib);
		return -ENOMEM;
	}
	net->fib = fib;
	return 0;
}

struct kp_fib *kp_fib_get(struct net *net)
{
	if (!net)
		return NULL;
	if (!net->fib && ip_fib_init(net))
		return NULL;
	return net->fib;
}

struct fib_table *fib_get_table(struct net *net, uint32_t id)
{
	struct kp_fib *fib = kp_fib_get(net);

	if (!fib)
		return NULL;
	if (id == RT_TABLE_LOCAL)
		return &fib->local;
	if (id == RT_TABLE_MAIN || id == RT_TABLE_UNSPEC)
		return &fib->main;
	return NULL;
}

void rt_cache_flush(struct net *net)
{
	struct kp_fib *fib = net ? net->fib : NULL;
	struct fib_route *r;

	if (!fib)
		return;
	fib->rt_genid++;
	list_for_each_entry(r, &fib->local.routes, list)
		r->rth_input = r->rth_output = NULL;
	list_for_each_entry(r, &fib->main.routes, list)
		r->rth_input = r->rth_output = NULL;
}

/* Does @a go before @b in a table? */
static bool fib_route_before(const struct fib_route *a,
			     const struct fib_route *b)
{
	if (a->dst_len != b->dst_len)
		return a->dst_len > b->dst_len;
	if (a->dst != b->dst)
		return ntohl(a->dst) < ntohl(b->dst);
	return a->priority < b->priority;
}

int fib_table_insert(struct net *net, struct fib_table *tb,
		     const struct fib_route *cfg)
{
	struct fib_route *r, *nr;
	uint32_t mask = inet_make_mask(cfg->dst_len);

	if (cfg->dst_len > 32 || (cfg->dst & ~mask))
		return -EINVAL;
	list_for_each_entry(r, &tb->routes, list) {
		if (r->dst == cfg->dst && r->dst_len == cfg->dst_len &&
		    r->priority == cfg->priority && r->type == cfg->type)
			return -EEXIST;
	}
	nr = malloc(sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	*nr = *cfg;
	nr->tb_id = tb->tb_id;
	nr->kp_dst_mask = mask;
	nr->rth_input = nr->rth_output = NULL;
	list_for_each_entry(r, &tb->routes, list) {
		if (fib_route_before(nr, r))
			break;
	}
	/* insert before r (or at the tail when the walk ended) */
	list_add_tail(&nr->list, &r->list);
	rt_cache_flush(net);
	return 0;
}

int fib_table_delete(struct net *net, struct fib_table *tb,
		     const struct fib_route *cfg)
{
	struct fib_route *r;

	list_for_each_entry(r, &tb->routes, list) {
		if (r->dst != cfg->dst || r->dst_len != cfg->dst_len)
			continue;
		if (cfg->type && r->type != cfg->type)
			continue;
		if (cfg->dev && r->dev != cfg->dev)
			continue;
		if (cfg->gw && r->gw != cfg->gw)
			continue;
		if (cfg->protocol && r->protocol != cfg->protocol)
			continue;
		if (cfg->prefsrc && r->prefsrc != cfg->prefsrc)
			continue;
		list_del(&r->list);
		free(r);
		rt_cache_flush(net);
		return 0;
	}
	return -ESRCH;
}

void kp_fib_flush_dev(struct net *net, struct net_device *dev, uint32_t addr)
{
	struct kp_fib *fib = net ? net->fib : NULL;
	struct fib_table *tbs[2];
	struct fib_route *r, *n;

	if (!fib)
		return;
	tbs[0] = &fib->local;
	tbs[1] = &fib->main;
	for (int i = 0; i < 2; i++) {
		list_for_each_entry_safe(r, n, &tbs[i]->routes, list) {
			if (r->dev != dev || (addr && r->prefsrc != addr))
				continue;
			list_del(&r->list);
			free(r);
		}
	}
	rt_cache_flush(net);
}

/* fib_table_lookup: the first (longest) matching route usable for @flp. */
static int fib_table_lookup(struct fib_table *tb, const struct flowi4 *flp,
			    struct fib_result *res)
{
	const uint32_t daddr = flp->daddr;
	const uint8_t scope = flp->flowi4_scope;
	const int oif = flp->flowi4_oif;
	struct fib_route *r;

	list_for_each_entry(r, &tb->routes, list) {
		if ((daddr ^ r->dst) & r->kp_dst_mask)
			continue;
		if (r->scope < scope)
			continue;
		int err = fib_type_error(r->type);
		if (!err) {
			if (!r->dev || !netif_running(r->dev))
				continue; /* next hop down: RTNH_F_DEAD */
			if (oif && r->type == RTN_UNICAST &&
			    r->dev->ifindex != oif)
				continue;
		}
		res->prefixlen = r->dst_len;
		res->type = r->type;
		res->scope = r->scope;
		res->fi = r;
		res->table = tb;
		return err;
	}
	return 1; /* no match: try the next table */
}

int fib_lookup(struct net *net, const struct flowi4 *flp,
	       struct fib_result *res)
{
	struct kp_fib *fib = kp_fib_get(net);
	int err;

	res->fi = NULL;
	res->table = NULL;
	if (!fib)
		return -ENETUNREACH;
	err = fib_table_lookup(&fib->local, flp, res);
	if (err <= 0 && err != -EAGAIN)
		return err;
	err = fib_table_lookup(&fib->main, flp, res);
	if (err <= 0 && err != -EAGAIN)
		return err;
	res->fi = NULL;
	return -ENETUNREACH;
}

unsigned int inet_addr_type(struct net *net, uint32_t addr)
{
	struct flowi4 fl4 = { .daddr = addr };
	struct fib_result res;

	if (ipv4_is_zeronet(addr) || ipv4_is_lbcast(addr))
		return RTN_BROADCAST;
	if (ipv4_is_multicast(addr))
		return RTN_MULTICAST;
	if (!net->fib)
		return RTN_UNICAST;
	/* the local table only, as __inet_dev_addr_type */
	if (fib_table_lookup(&net->fib->local, &fl4, &res) == 0)
		return res.type;
	return RTN_UNICAST;
}
