/*
 * test_route.c - the FIB and route lookups (src/net/ipv4/fib.c,
 * devinet.c, route.c): the routes an address brings, longest prefix
 * match across local and main, unreachable routes, inet_addr_type and
 * output source address selection.
 */
#include "kp_test.h"
#include "test_ip_fixture.h"

static struct {
	int nlocal, nmain;
	int local_type, bcast_type, uni_type;
	int lpm_len[4];
	uint32_t lpm_gw[4];
	int unreach_err, none_err;
	uint32_t out_saddr;
	int out_err;
	int out_type;
	int deleted, del_again;
} rt;

static int body_routes(void)
{
	fx_setup();
	struct net *net = current_net();
	struct fib_route *r;
	list_for_each_entry(r, &net->fib->local.routes, list)
		rt.nlocal++;
	list_for_each_entry(r, &net->fib->main.routes, list)
		rt.nmain++;
	rt.local_type = (int)inet_addr_type(net, A("10.0.0.2"));
	rt.bcast_type = (int)inet_addr_type(net, A("10.0.0.255"));
	rt.uni_type = (int)inet_addr_type(net, A("10.0.0.7"));

	struct fib_table *main_tb = fib_get_table(net, RT_TABLE_MAIN);
	fib_table_insert(net, main_tb, &(struct fib_route){
		.dst = A("10.0.0.0"), .dst_len = 8, .type = RTN_UNICAST,
		.gw = A("10.0.0.1"), .dev = fx.dev, .protocol = RTPROT_BOOT });
	fib_table_insert(net, main_tb, &(struct fib_route){
		.dst = 0, .dst_len = 0, .type = RTN_UNICAST,
		.gw = A("10.0.0.254"), .dev = fx.dev, .protocol = RTPROT_BOOT });
	fib_table_insert(net, main_tb, &(struct fib_route){
		.dst = A("172.16.0.0"), .dst_len = 12,
		.type = RTN_UNREACHABLE });
	const char *dsts[4] = { "10.0.0.9", "10.9.9.9", "8.8.8.8",
				"10.0.0.2" };
	for (int i = 0; i < 4; i++) {
		struct flowi4 fl4 = { .daddr = A(dsts[i]) };
		struct fib_result res;
		fib_lookup(net, &fl4, &res);
		rt.lpm_len[i] = res.prefixlen;
		rt.lpm_gw[i] = res.fi ? res.fi->gw : 0;
	}
	struct flowi4 fl4 = { .daddr = A("172.16.1.1") };
	struct fib_result res;
	rt.unreach_err = fib_lookup(net, &fl4, &res);
	rt.deleted = fib_table_delete(net, main_tb, &(struct fib_route){
		.dst = 0, .dst_len = 0 });
	rt.del_again = fib_table_delete(net, main_tb, &(struct fib_route){
		.dst = 0, .dst_len = 0 });
	fl4 = (struct flowi4){ .daddr = A("8.8.8.8") };
	rt.none_err = fib_lookup(net, &fl4, &res);

	struct rtable *rtab;
	fl4 = (struct flowi4){ .daddr = A("10.0.0.1") };
	rt.out_err = kp_ip_route_output_key(net, &fl4, &rtab);
	rt.out_saddr = fl4.saddr;
	rt.out_type = rtab ? rtab->rt_type : -1;
	return 0;
}

KP_TEST(address_brings_routes_and_lookups_take_longest_prefix)
{
	memset(&rt, 0, sizeof(rt));
	struct kp_world *w = fx_run(body_routes);
	/* local 10.0.0.2, broadcast 10.0.0.255; 10.0.0.0/24 */
	KP_CHECK_EQ(st, rt.nlocal, 2);
	KP_CHECK_EQ(st, rt.nmain, 1);
	KP_CHECK_EQ(st, rt.local_type, RTN_LOCAL);
	KP_CHECK_EQ(st, rt.bcast_type, RTN_BROADCAST);
	KP_CHECK_EQ(st, rt.uni_type, RTN_UNICAST);
	KP_CHECK_EQ(st, rt.lpm_len[0], 24);
	KP_CHECK_EQ(st, rt.lpm_gw[0], 0);
	KP_CHECK_EQ(st, rt.lpm_len[1], 8);
	KP_CHECK_EQ(st, rt.lpm_gw[1], A("10.0.0.1"));
	KP_CHECK_EQ(st, rt.lpm_len[2], 0);
	KP_CHECK_EQ(st, rt.lpm_gw[2], A("10.0.0.254"));
	KP_CHECK_EQ(st, rt.lpm_len[3], 32); /* local table first */
	KP_CHECK_EQ(st, rt.unreach_err, -EHOSTUNREACH);
	KP_CHECK_EQ(st, rt.deleted, 0);
	KP_CHECK_EQ(st, rt.del_again, -ESRCH);
	KP_CHECK_EQ(st, rt.none_err, -ENETUNREACH);
	KP_CHECK_EQ(st, rt.out_err, 0);
	KP_CHECK_EQ(st, rt.out_saddr, A("10.0.0.2"));
	KP_CHECK_EQ(st, rt.out_type, RTN_UNICAST);
	fx_free(w);
}

/* The output dst of a route is remembered on the route (rth_output) and
 * handed out again; a FIB change makes the next lookup build a fresh one
 * that follows the new routes. */
static struct {
	struct rtable *first, *again, *more_specific, *after_delete;
	uint64_t use_again;
	uint32_t gw_first, gw_specific, gw_after;
	int errs;
} hint;

static int route_out(struct net *net, const char *daddr, struct rtable **rtp)
{
	struct flowi4 fl4 = { .daddr = A(daddr) };
	return kp_ip_route_output_key(net, &fl4, rtp) != 0;
}

static int body_output_hint(void)
{
	fx_setup();
	struct net *net = current_net();
	struct fib_table *main_tb = fib_get_table(net, RT_TABLE_MAIN);
	fib_table_insert(net, main_tb, &(struct fib_route){
		.dst = 0, .dst_len = 0, .type = RTN_UNICAST,
		.gw = A("10.0.0.254"), .dev = fx.dev, .protocol = RTPROT_BOOT });
	hint.errs += route_out(net, "8.8.8.8", &hint.first);
	hint.errs += route_out(net, "8.8.4.4", &hint.again);
	hint.use_again = hint.again ? hint.again->dst.__use : 0;
	fib_table_insert(net, main_tb, &(struct fib_route){
		.dst = A("8.8.8.0"), .dst_len = 24, .type = RTN_UNICAST,
		.gw = A("10.0.0.253"), .dev = fx.dev, .protocol = RTPROT_BOOT });
	hint.errs += route_out(net, "8.8.8.8", &hint.more_specific);
	fib_table_delete(net, main_tb, &(struct fib_route){
		.dst = A("8.8.8.0"), .dst_len = 24 });
	hint.errs += route_out(net, "8.8.8.8", &hint.after_delete);
	hint.gw_first = hint.first ? hint.first->rt_gateway : 0;
	hint.gw_specific = hint.more_specific ?
				   hint.more_specific->rt_gateway : 0;
	hint.gw_after = hint.after_delete ? hint.after_delete->rt_gateway : 0;
	return 0;
}

KP_TEST(output_dst_is_reused_until_the_fib_changes)
{
	memset(&hint, 0, sizeof(hint));
	struct kp_world *w = fx_run(body_output_hint);
	KP_CHECK_EQ(st, hint.errs, 0);
	KP_CHECK(st, hint.first != NULL);
	KP_CHECK(st, hint.first == hint.again);
	KP_CHECK_EQ(st, hint.use_again, 2);
	KP_CHECK_EQ(st, hint.gw_first, A("10.0.0.254"));
	KP_CHECK_EQ(st, hint.gw_specific, A("10.0.0.253"));
	KP_CHECK_EQ(st, hint.gw_after, A("10.0.0.254"));
	KP_CHECK(st, hint.after_delete != hint.first); /* rt_genid moved */
	fx_free(w);
}

KP_TEST_MAIN(address_brings_routes_and_lookups_take_longest_prefix,
	     output_dst_is_reused_until_the_fib_changes)
