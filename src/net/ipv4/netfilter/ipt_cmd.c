/*
 * ipt_cmd.c - the iptables command: argument parsing and applying a
 * command to the tables (iptables/iptables.c and xshared.c in the
 * iptables package; the kernel side is IPT_SO_SET_REPLACE).
 *
 * Understands -t, -A, -I, -D (by number or rule), -P, -F, -Z, -L, -S,
 * -v, -n, -x, --line-numbers, and the rule options [!] -p, -s, -d, -i,
 * -o, --sport, --dport (with or without -m tcp/udp), -j ACCEPT|DROP|
 * RETURN.  No user-defined chains, no other matches or targets.
 */
#include "ip_tables.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/ipv4/ip.h"

static int perr(char *err, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct {
	const char *name;
	uint16_t proto;
} protos[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "udplite", IPPROTO_UDPLITE }, { "icmp", IPPROTO_ICMP },
	{ "esp", 50 }, { "ah", 51 }, { "sctp", IPPROTO_SCTP },
	{ "all", 0 },
};

const char *ipt_proto_name(uint16_t proto)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	return NULL;
}

const char *ipt_target_name(enum ipt_target t)
{
	switch (t) {
	case IPT_TARGET_ACCEPT: return "ACCEPT";
	case IPT_TARGET_DROP: return "DROP";
	case IPT_TARGET_RETURN: return "RETURN";
	default: return "";
	}
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	*v = strtoul(s, &end, 10);
	return !*end && *v <= max;
}

/* ADDR[/LEN] or ADDR/MASK */
static bool parse_addr(const char *s, uint32_t *addr, uint32_t *mask)
{
	char buf[64];
	char *slash;
	struct in_addr a;
	unsigned long len = 32;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		if (strchr(slash, '.')) {
			if (inet_pton(AF_INET, slash, &a) != 1)
				return false;
			*mask = a.s_addr;
		} else if (parse_uint(slash, 32, &len)) {
			*mask = inet_make_mask((int)len);
		} else {
			return false;
		}
	} else {
		*mask = 0xffffffffu;
	}
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	*addr = a.s_addr & *mask;
	return true;
}

/* P or A:B (":B" = 0:B, "A:" = A:65535) */
static bool parse_ports(const char *s, uint16_t *pts)
{
	char buf[32];
	char *colon;
	unsigned long a = 0, b = 65535;

	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (!colon) {
		if (!parse_uint(buf, 65535, &a))
			return false;
		pts[0] = pts[1] = (uint16_t)a;
		return true;
	}
	*colon++ = '\0';
	if ((*buf && !parse_uint(buf, 65535, &a)) ||
	    (*colon && !parse_uint(colon, 65535, &b)) || a > b)
		return false;
	pts[0] = (uint16_t)a;
	pts[1] = (uint16_t)b;
	return true;
}

static bool parse_proto(const char *s, uint16_t *proto)
{
	unsigned long v;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(protos[i].name, s)) {
			*proto = protos[i].proto;
			return true;
		}
	if (!parse_uint(s, 255, &v))
		return false;
	*proto = (uint16_t)v;
	return true;
}

static bool is(const char *a, const char *s, const char *l)
{
	return !strcmp(a, s) || (l && !strcmp(a, l));
}

static int set_op(struct ipt_cmd *cmd, bool *have, enum ipt_op op,
		  char *err, size_t n)
{
	if (*have)
		return perr(err, n, "only one command (-A, -I, -D, -P, -F, -L, "
			    "-S, -Z) at a time");
	*have = true;
	cmd->op = op;
	return 0;
}

int ipt_parse(int argc, char **argv, struct ipt_cmd *cmd, char *err,
	      size_t n)
{
	bool have_op = false, inv = false, verbose = false, numeric = false;
	bool exact = false, lines = false, have_target = false;
	struct ipt_rule *r = &cmd->rule;

	memset(cmd, 0, sizeof(*cmd));
	cmd->table = "filter";
	r->spts[1] = r->dpts[1] = 65535;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool optional_chain = false;
		int e = 0;

		if (!strcmp(a, "!")) {
			inv = true;
			continue;
		}
		if (is(a, "-t", "--table")) {
			if (!v)
				return perr(err, n, "-t needs a table: filter, "
					    "raw or mangle");
			cmd->table = v;
			i++;
		} else if (is(a, "-A", "--append") || is(a, "-I", "--insert") ||
			   is(a, "-D", "--delete") || is(a, "-P", "--policy")) {
			enum ipt_op op = a[1] == 'A' || a[2] == 'a' ? IPT_OP_APPEND :
				a[1] == 'I' || a[2] == 'i' ? IPT_OP_INSERT :
				a[1] == 'D' || a[2] == 'd' ? IPT_OP_DELETE :
				IPT_OP_POLICY;
			if ((e = set_op(cmd, &have_op, op, err, n)))
				return e;
			if (!v)
				return perr(err, n, "%s needs a chain, e.g. "
					    "INPUT", a);
			cmd->chain = v;
			i++;
			unsigned long num;
			if (op == IPT_OP_POLICY) {
				if (i + 1 >= argc)
					return perr(err, n, "-P needs a policy: "
						    "ACCEPT or DROP");
				const char *p = argv[++i];
				if (!strcmp(p, "ACCEPT"))
					cmd->policy = NF_ACCEPT;
				else if (!strcmp(p, "DROP"))
					cmd->policy = NF_DROP;
				else
					return perr(err, n, "policy '%s': use "
						    "ACCEPT or DROP", p);
			} else if (op != IPT_OP_APPEND && i + 1 < argc &&
				   parse_uint(argv[i + 1], 1000000, &num)) {
				if (!num)
					return perr(err, n, "rule numbers start "
						    "at 1");
				cmd->rulenum = (int)num;
				i++;
			}
		} else if (is(a, "-F", "--flush") || is(a, "-L", "--list") ||
			   is(a, "-S", "--list-rules") || is(a, "-Z", "--zero")) {
			enum ipt_op op = a[1] == 'F' || a[2] == 'f' ? IPT_OP_FLUSH :
				a[1] == 'Z' || a[2] == 'z' ? IPT_OP_ZERO :
				a[1] == 'S' || !strcmp(a, "--list-rules") ?
							  IPT_OP_LIST_RULES :
							  IPT_OP_LIST;
			if (op == IPT_OP_ZERO && have_op &&
			    cmd->op == IPT_OP_LIST) {
				cmd->zero_after_list = true;
			} else if (op == IPT_OP_LIST && have_op &&
				   cmd->op == IPT_OP_ZERO) {
				cmd->op = IPT_OP_LIST;
				cmd->zero_after_list = true;
			} else if ((e = set_op(cmd, &have_op, op, err, n))) {
				return e;
			}
			optional_chain = true;
		} else if (is(a, "-v", "--verbose")) {
			verbose = true;
		} else if (is(a, "-n", "--numeric")) {
			numeric = true;
		} else if (is(a, "-x", "--exact")) {
			exact = true;
		} else if (!strcmp(a, "--line-numbers")) {
			lines = true;
		} else if (!strncmp(a, "-", 1) && strlen(a) > 2 && a[1] != '-' &&
			   strspn(a + 1, "vnxL") == strlen(a + 1)) {
			/* combined flags: -nvL, -vnx */
			for (const char *c = a + 1; *c; c++) {
				if (*c == 'v')
					verbose = true;
				else if (*c == 'n')
					numeric = true;
				else if (*c == 'x')
					exact = true;
				else if ((e = set_op(cmd, &have_op,
						     IPT_OP_LIST, err, n)))
					return e;
			}
			optional_chain = strchr(a, 'L') != NULL;
		} else if (is(a, "-p", "--protocol")) {
			if (!v || !parse_proto(v, &r->ip.proto))
				return perr(err, n, "-p needs a protocol: tcp, "
					    "udp, icmp, all or a number");
			if (inv)
				r->ip.invflags |= IPT_INV_PROTO;
			i++;
		} else if (is(a, "-s", "--source") ||
			   is(a, "-d", "--destination")) {
			bool src = a[1] == 's' || a[2] == 's';
			if (!v || !parse_addr(v, src ? &r->ip.src : &r->ip.dst,
					      src ? &r->ip.smsk : &r->ip.dmsk))
				return perr(err, n, "%s needs ADDR[/LEN], e.g. "
					    "10.0.0.0/24", a);
			if (inv)
				r->ip.invflags |= src ? IPT_INV_SRCIP :
							IPT_INV_DSTIP;
			i++;
		} else if (is(a, "-i", "--in-interface") ||
			   is(a, "-o", "--out-interface")) {
			bool in = a[1] == 'i' || a[2] == 'i';
			if (!v || strlen(v) >= IFNAMSIZ)
				return perr(err, n, "%s needs an interface "
					    "name, e.g. eth0", a);
			snprintf(in ? r->ip.iniface : r->ip.outiface,
				 IFNAMSIZ, "%s", v);
			if (inv)
				r->ip.invflags |= in ? IPT_INV_VIA_IN :
						       IPT_INV_VIA_OUT;
			i++;
		} else if (is(a, "--sport", "--source-port") ||
			   is(a, "--dport", "--destination-port")) {
			bool s = !strcmp(a, "--sport") ||
				 !strcmp(a, "--source-port");
			if (r->ip.proto != IPPROTO_TCP &&
			    r->ip.proto != IPPROTO_UDP)
				return perr(err, n, "%s needs -p tcp or -p udp "
					    "before it", a);
			if (!v || !parse_ports(v, s ? r->spts : r->dpts))
				return perr(err, n, "%s needs PORT or "
					    "FIRST:LAST", a);
			if (inv)
				r->port_invflags |= s ? XT_TCP_INV_SRCPT :
							XT_TCP_INV_DSTPT;
			r->has_ports = true;
			i++;
		} else if (is(a, "-m", "--match")) {
			if (!v || (strcmp(v, "tcp") && strcmp(v, "udp")))
				return perr(err, n, "only the tcp and udp "
					    "matches are emulated (-m tcp, "
					    "-m udp)");
			i++;
		} else if (is(a, "-j", "--jump")) {
			if (!v)
				return perr(err, n, "-j needs a target: ACCEPT, "
					    "DROP or RETURN");
			if (!strcmp(v, "ACCEPT"))
				r->target = IPT_TARGET_ACCEPT;
			else if (!strcmp(v, "DROP"))
				r->target = IPT_TARGET_DROP;
			else if (!strcmp(v, "RETURN"))
				r->target = IPT_TARGET_RETURN;
			else
				return perr(err, n, "target '%s' is not "
					    "emulated: use ACCEPT, DROP or "
					    "RETURN", v);
			have_target = true;
			i++;
		} else {
			return perr(err, n, "unknown option '%s'; see 'help "
				    "iptables'", a);
		}
		if (optional_chain && i + 1 < argc && argv[i + 1][0] != '-')
			cmd->chain = argv[++i];
		inv = false;
	}
	(void)have_target;
	if (!have_op)
		return perr(err, n, "no command: use -A, -I, -D, -P, -F, -L, "
			    "-S or -Z");
	cmd->format = FMT_OPTIONS;
	if (!verbose)
		cmd->format |= FMT_NOCOUNTS;
	else
		cmd->format |= FMT_VIA;
	if (numeric)
		cmd->format |= FMT_NUMERIC;
	if (!exact)
		cmd->format |= FMT_KILOMEGAGIGA;
	if (lines)
		cmd->format |= FMT_LINENUMBERS;
	return 0;
}

static bool rule_same(const struct ipt_rule *a, const struct ipt_rule *b)
{
	return !memcmp(&a->ip, &b->ip, sizeof(a->ip)) &&
	       a->has_ports == b->has_ports && a->spts[0] == b->spts[0] &&
	       a->spts[1] == b->spts[1] && a->dpts[0] == b->dpts[0] &&
	       a->dpts[1] == b->dpts[1] &&
	       a->port_invflags == b->port_invflags && a->target == b->target;
}

static void chain_flush(struct xt_chain *c)
{
	struct ipt_rule *r, *n;
	list_for_each_entry_safe(r, n, &c->rules, list) {
		list_del(&r->list);
		free(r);
	}
}

static void chain_zero(struct xt_chain *c)
{
	struct ipt_rule *r;
	c->counters.pcnt = c->counters.bcnt = 0;
	list_for_each_entry(r, &c->rules, list)
		r->counters.pcnt = r->counters.bcnt = 0;
}

int ipt_apply(struct net *net, const struct ipt_cmd *cmd, char *err,
	      size_t n)
{
	struct xt_table *t = xt_find_table(net, cmd->table);
	struct xt_chain *c = NULL;
	struct ipt_rule *r, *nr;
	int i;

	if (!t)
		return perr(err, n, "table '%s' does not exist (filter, raw, "
			    "mangle)", cmd->table);
	if (cmd->chain) {
		c = xt_find_chain(t, cmd->chain);
		if (!c)
			return perr(err, n, "no chain '%s' in table %s (only "
				    "built-in chains are emulated)",
				    cmd->chain, t->name);
	}
	xt_table_register(t);
	switch (cmd->op) {
	case IPT_OP_APPEND:
	case IPT_OP_INSERT:
		nr = malloc(sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		*nr = cmd->rule;
		memset(&nr->counters, 0, sizeof(nr->counters));
		if (cmd->op == IPT_OP_APPEND) {
			list_add_tail(&nr->list, &c->rules);
			return 0;
		}
		i = 1;
		list_for_each_entry(r, &c->rules, list) {
			if (i++ == (cmd->rulenum ? cmd->rulenum : 1))
				break;
		}
		if (cmd->rulenum > i) {
			free(nr);
			return perr(err, n, "Index of insertion too big.");
		}
		list_add_tail(&nr->list, &r->list); /* before r */
		return 0;
	case IPT_OP_DELETE:
		i = 0;
		list_for_each_entry(r, &c->rules, list) {
			i++;
			if (cmd->rulenum ? i == cmd->rulenum :
					   rule_same(r, &cmd->rule)) {
				list_del(&r->list);
				free(r);
				return 0;
			}
		}
		return cmd->rulenum ? perr(err, n, "Index of deletion too big.") :
				      perr(err, n, "Bad rule (does a matching "
					   "rule exist in that chain?).");
	case IPT_OP_POLICY:
		c->policy = cmd->policy;
		return 0;
	case IPT_OP_FLUSH:
	case IPT_OP_ZERO:
		for (int h = 0; h < NF_INET_NUMHOOKS; h++) {
			struct xt_chain *hc = &t->chains[h];
			if (!(t->valid_hooks & (1u << h)) || (c && c != hc))
				continue;
			if (cmd->op == IPT_OP_FLUSH)
				chain_flush(hc);
			else
				chain_zero(hc);
		}
		return 0;
	case IPT_OP_LIST:
	case IPT_OP_LIST_RULES:
		if (cmd->zero_after_list)
			for (int h = 0; h < NF_INET_NUMHOOKS; h++)
				if (!c || c == &t->chains[h])
					chain_zero(&t->chains[h]);
		return 0;
	}
	return 0;
}
