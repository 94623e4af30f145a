/*
 * test_netfilter.c - iptables rules at NF_INET_LOCAL_IN
 * (src/net/netfilter/core.c, src/net/ipv4/netfilter/): the parser, a
 * DROP rule counted per rule and as NETFILTER_DROP, policy counters,
 * inverted matches, -D and -P DROP.
 */
#include "kp_test.h"
#include "net/ipv4/netfilter/ip_tables.h"
#include "test_ip_fixture.h"

static int ipt(const char *line)
{
	char buf[256], err[160], *argv[32];
	int argc = 0;
	struct ipt_cmd cmd;
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	if (ipt_parse(argc, argv, &cmd, err, sizeof(err)))
		return -1;
	return ipt_apply(current_net(), &cmd, err, sizeof(err));
}

static struct {
	int bad_parse, bad_chain;
	uint64_t r1_pcnt, r1_bcnt, pol_pcnt;
	int delivered_before_policy;
} nf;

/* a UDP packet to port @dport */
static void udp_to(uint16_t dport, const char *src)
{
	struct fx_pkt p = { .payload = 8, .src = src };
	struct sk_buff *skb = fx_build(&p);
	uint16_t ports[2] = { htons(1000), htons(dport) };
	memcpy(skb->data + 20, ports, 4);
	ip_rcv(skb, fx.dev, NULL, fx.dev);
}

static int body_nf(void)
{
	fx_setup();
	struct net *net = current_net();
	nf.bad_parse = ipt("-A INPUT --dport 9000 -j DROP"); /* no -p */
	nf.bad_chain = ipt("-A NOSUCH -j DROP");
	ipt("-A INPUT -p udp --dport 9000 -j DROP");
	ipt("-A INPUT ! -s 10.0.0.0/24 -j DROP");
	udp_to(9000, NULL);         /* rule 1 */
	udp_to(9000, NULL);         /* rule 1 */
	udp_to(53, NULL);           /* policy ACCEPT */
	udp_to(53, "192.168.0.1");  /* rule 2 */
	struct xt_chain *in = &net->nf->tables[KP_IPT_FILTER]
				       .chains[NF_INET_LOCAL_IN];
	struct ipt_rule *r1 = list_first_entry(&in->rules, struct ipt_rule,
					       list);
	nf.r1_pcnt = r1->counters.pcnt;
	nf.r1_bcnt = r1->counters.bcnt;
	nf.pol_pcnt = in->counters.pcnt;
	nf.delivered_before_policy = fx.delivered;
	ipt("-D INPUT 1");
	ipt("-D INPUT ! -s 10.0.0.0/24 -j DROP");
	ipt("-P INPUT DROP");
	udp_to(9000, NULL);         /* policy DROP */
	return 0;
}

KP_TEST(iptables_drop_rule_counts_and_drops_with_reason)
{
	memset(&nf, 0, sizeof(nf));
	struct kp_world *w = fx_run(body_nf);
	struct net *net = fx_net(w);
	KP_CHECK(st, nf.bad_parse < 0);
	KP_CHECK(st, nf.bad_chain < 0);
	KP_CHECK_EQ(st, nf.r1_pcnt, 2);
	KP_CHECK_EQ(st, nf.r1_bcnt, 2 * 28);
	KP_CHECK_EQ(st, nf.pol_pcnt, 1);
	KP_CHECK_EQ(st, nf.delivered_before_policy, 1);
	KP_CHECK_EQ(st, fx.delivered, 1);
	/* 2 by rule 1, 1 by the inverted source rule, 1 by the policy */
	KP_CHECK_EQ(st, net->drops[SKB_DROP_REASON_NETFILTER_DROP], 4);
	KP_CHECK(st, list_empty(&net->nf->tables[KP_IPT_FILTER]
				       .chains[NF_INET_LOCAL_IN].rules));
	KP_CHECK_EQ(st, net->skb.alive, 0);
	fx_free(w);
}

KP_TEST(parser_reads_ports_ranges_and_negations)
{
	struct ipt_cmd cmd;
	char err[160];
	char *argv[] = { "-A", "INPUT", "-p", "tcp", "--dport", "2000:1000",
			 "-j", "ACCEPT", NULL };
	KP_CHECK_EQ(st, ipt_parse(8, argv, &cmd, err, sizeof(err)), -EINVAL);
	KP_CHECK_STR(st, err, "--dport needs PORT or FIRST:LAST");
	char *argv2[] = { "-I", "INPUT", "2", "-p", "tcp", "-s",
			  "10.1.2.3/16", "!", "--dport", "1000:2000", "-i",
			  "eth+", "-j", "ACCEPT", NULL };
	KP_CHECK_EQ(st, ipt_parse(14, argv2, &cmd, err, sizeof(err)), 0);
	KP_CHECK_EQ(st, cmd.op, IPT_OP_INSERT);
	KP_CHECK_EQ(st, cmd.rulenum, 2);
	KP_CHECK_EQ(st, cmd.rule.ip.proto, IPPROTO_TCP);
	KP_CHECK_EQ(st, cmd.rule.ip.src, A("10.1.0.0"));
	KP_CHECK_EQ(st, cmd.rule.ip.smsk, A("255.255.0.0"));
	KP_CHECK_EQ(st, cmd.rule.dpts[0], 1000);
	KP_CHECK_EQ(st, cmd.rule.dpts[1], 2000);
	KP_CHECK_EQ(st, cmd.rule.port_invflags, XT_TCP_INV_DSTPT);
	KP_CHECK_STR(st, cmd.rule.ip.iniface, "eth+");
	KP_CHECK_EQ(st, cmd.rule.target, IPT_TARGET_ACCEPT);
	char *argv3[] = { "-nvxL", "INPUT", NULL };
	KP_CHECK_EQ(st, ipt_parse(2, argv3, &cmd, err, sizeof(err)), 0);
	KP_CHECK_EQ(st, cmd.op, IPT_OP_LIST);
	KP_CHECK_STR(st, cmd.chain, "INPUT");
	KP_CHECK_EQ(st, cmd.format, FMT_OPTIONS | FMT_VIA | FMT_NUMERIC);
}

KP_TEST_MAIN(iptables_drop_rule_counts_and_drops_with_reason,
	     parser_reads_ports_ranges_and_negations)
