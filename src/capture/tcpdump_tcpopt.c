/*
 * tcpdump_tcpopt.c - "options [...]" of a TCP line, after the option loop
 * of tcpdump's tcp_print() and its print_tcp_fastopen_option().  Kept
 * faithful to tcpdump's quirks: "[bad opt]" leaves the bracket open when
 * it is the first option, a short capture inside an option prints
 * " [|tcp]" then ">", and MPTCP options (tcpdump_mptcp.c) leave the
 * protocol name at "mptcp".
 */
#include <stdio.h>

#include "tcpdump_nd.h"

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MAXSEG 2
#define TCPOPT_WSCALE 3
#define TCPOPT_SACKOK 4
#define TCPOPT_SACK 5
#define TCPOPT_ECHO 6
#define TCPOPT_ECHOREPLY 7
#define TCPOPT_TIMESTAMP 8
#define TCPOPT_CC 11
#define TCPOPT_CCNEW 12
#define TCPOPT_CCECHO 13
#define TCPOPT_SIGNATURE 19
#define TCPOPT_SCPS 20
#define TCPOPT_UTO 28
#define TCPOPT_TCPAO 29
#define TCPOPT_MPTCP 30
#define TCPOPT_FASTOPEN 34
#define TCPOPT_EXPERIMENT2 254
#define TCP_SIGLEN 16

struct opt_walk {
	const uint8_t *cp;
	uint32_t hlen; /* option bytes left */
	char ch;       /* separator to print before the next option */
};

static const char *option_name(uint8_t opt, char buf[16])
{
	switch (opt) {
	case TCPOPT_EOL: return "eol";
	case TCPOPT_NOP: return "nop";
	case TCPOPT_MAXSEG: return "mss";
	case TCPOPT_WSCALE: return "wscale";
	case TCPOPT_SACKOK: return "sackOK";
	case TCPOPT_SACK: return "sack";
	case TCPOPT_ECHO: return "echo";
	case TCPOPT_ECHOREPLY: return "echoreply";
	case TCPOPT_TIMESTAMP: return "TS";
	case TCPOPT_CC: return "cc";
	case TCPOPT_CCNEW: return "ccnew";
	case TCPOPT_CCECHO: return "";
	case TCPOPT_SIGNATURE: return "md5";
	case TCPOPT_SCPS: return "scps";
	case TCPOPT_UTO: return "uto";
	case TCPOPT_TCPAO: return "tcp-ao";
	case TCPOPT_MPTCP: return "mptcp";
	case TCPOPT_FASTOPEN: return "tfo";
	case TCPOPT_EXPERIMENT2: return "exp";
	}
	snprintf(buf, 16, "unknown-%u", opt);
	return buf;
}

/* "[bad opt]": the option's length does not fit. */
__attribute__((noreturn)) static void bad(struct kp_nd *nd,
					  const struct opt_walk *w)
{
	kp_nd_printf(nd, "[bad opt]");
	if (w->ch != '\0')
		kp_nd_printf(nd, "]");
	kp_nd_stop(nd);
}

/* tcpdump's LENCHECK(l): @l bytes left in the header and captured. */
static void lencheck(struct kp_nd *nd, const struct opt_walk *w, uint32_t l)
{
	if (l > w->hlen)
		bad(nd, w);
	if (!kp_nd_ttest(nd, w->cp, l)) {
		kp_nd_printf(nd, " [|%s]", nd->protocol);
		if (w->ch != '\0')
			kp_nd_printf(nd, ">");
		kp_nd_stop(nd);
	}
}

static void fastopen(struct kp_nd *nd, const uint8_t *cp, uint32_t datalen,
		     bool exp)
{
	if (exp)
		kp_nd_printf(nd, "tfo");
	if (datalen == 0) {
		kp_nd_printf(nd, " cookiereq");
	} else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
		kp_nd_printf(nd, " (invalid)");
	} else {
		kp_nd_printf(nd, " cookie ");
		for (uint32_t i = 0; i < datalen; ++i)
			kp_nd_printf(nd, "%02x", kp_nd_u8(nd, cp + i));
	}
}

static void sack(struct kp_nd *nd, const struct opt_walk *w, uint32_t datalen,
		 int rev, uint32_t thseq, uint32_t thack)
{
	uint32_t s, e;

	if (datalen % 8 != 0) {
		kp_nd_printf(nd, " invalid sack");
		return;
	}
	kp_nd_printf(nd, " %u ", datalen / 8);
	for (uint32_t i = 0; i < datalen; i += 8) {
		lencheck(nd, w, i + 4);
		s = kp_nd_be32(nd, w->cp + i);
		lencheck(nd, w, i + 8);
		e = kp_nd_be32(nd, w->cp + i + 4);
		s -= rev ? thseq : thack;
		e -= rev ? thseq : thack;
		kp_nd_printf(nd, "{%u:%u}", s, e);
	}
}

/* tcpdump verifies with a secret given by -M; without one it says so. */
static void signature(struct kp_nd *nd, const uint8_t *cp,
		      const uint8_t *data, uint32_t length)
{
	if (!kp_nd_ttest(nd, data, length))
		kp_nd_printf(nd, "snaplen too short, ");
	else
		kp_nd_printf(nd, "shared secret not supplied with -M, ");
	kp_nd_printf(nd, "can't check - ");
	for (int i = 0; i < TCP_SIGLEN; ++i)
		kp_nd_printf(nd, "%02x", kp_nd_u8(nd, cp + i));
}

static void tcp_ao(struct kp_nd *nd, const struct opt_walk *w,
		   uint32_t datalen)
{
	if (datalen < 2) {
		kp_nd_printf(nd, " (invalid)");
		return;
	}
	lencheck(nd, w, 1);
	kp_nd_printf(nd, " keyid %u", kp_nd_u8(nd, w->cp));
	lencheck(nd, w, 2);
	kp_nd_printf(nd, " rnextkeyid %u", kp_nd_u8(nd, w->cp + 1));
	if (datalen > 2) {
		kp_nd_printf(nd, " mac 0x");
		for (uint32_t i = 2; i < datalen; i++) {
			lencheck(nd, w, i + 1);
			kp_nd_printf(nd, "%02x", kp_nd_u8(nd, w->cp + i));
		}
	}
}

static void mptcp(struct kp_nd *nd, const struct opt_walk *w, uint32_t len,
		  uint8_t flags)
{
	const uint8_t *save = nd->snapend;
	const uint8_t *end = w->cp - 2 + len;
	bool ok;

	lencheck(nd, w, len - 2);
	if (end < nd->snapend)
		nd->snapend = end;
	ok = kp_nd_mptcp_print(nd, w->cp - 2, len, flags);
	nd->snapend = save;
	if (!ok)
		bad(nd, w);
}

static void uto(struct kp_nd *nd, const struct opt_walk *w)
{
	uint32_t utoval;

	lencheck(nd, w, 2);
	utoval = kp_nd_be16(nd, w->cp);
	kp_nd_printf(nd, " 0x%x", utoval);
	if (utoval & 0x0001)
		utoval = (utoval >> 1) * 60;
	else
		utoval >>= 1;
	kp_nd_printf(nd, " %u", utoval);
}

/* Print the option's data; returns how many data bytes it counts. */
static uint32_t option_data(struct kp_nd *nd, struct opt_walk *w,
			    uint32_t opt, uint32_t len, const uint8_t *tp,
			    uint32_t length, uint8_t flags, int rev,
			    uint32_t thseq, uint32_t thack)
{
	uint32_t datalen = 0;
	uint16_t magic;

	switch (opt) {
	case TCPOPT_MAXSEG:
		lencheck(nd, w, datalen = 2);
		kp_nd_printf(nd, " %u", kp_nd_be16(nd, w->cp));
		break;
	case TCPOPT_WSCALE:
		lencheck(nd, w, datalen = 1);
		kp_nd_printf(nd, " %u", kp_nd_u8(nd, w->cp));
		break;
	case TCPOPT_SACK:
		datalen = len - 2;
		sack(nd, w, datalen, rev, thseq, thack);
		break;
	case TCPOPT_CC:
	case TCPOPT_CCNEW:
	case TCPOPT_CCECHO:
	case TCPOPT_ECHO:
	case TCPOPT_ECHOREPLY:
		lencheck(nd, w, datalen = 4);
		kp_nd_printf(nd, " %u", kp_nd_be32(nd, w->cp));
		break;
	case TCPOPT_TIMESTAMP:
		lencheck(nd, w, datalen = 8);
		kp_nd_printf(nd, " val %u ecr %u", kp_nd_be32(nd, w->cp),
			     kp_nd_be32(nd, w->cp + 4));
		break;
	case TCPOPT_SIGNATURE:
		lencheck(nd, w, datalen = TCP_SIGLEN);
		kp_nd_printf(nd, " ");
		signature(nd, w->cp, tp + (uint32_t)(tp[12] >> 4) * 4, length);
		break;
	case TCPOPT_SCPS:
		lencheck(nd, w, datalen = 2);
		kp_nd_printf(nd, " cap %02x id %u", kp_nd_u8(nd, w->cp),
			     kp_nd_u8(nd, w->cp + 1));
		break;
	case TCPOPT_TCPAO:
		datalen = len - 2;
		tcp_ao(nd, w, datalen);
		break;
	case TCPOPT_EOL:
	case TCPOPT_NOP:
	case TCPOPT_SACKOK:
		break;
	case TCPOPT_UTO:
		datalen = 2;
		uto(nd, w);
		break;
	case TCPOPT_MPTCP:
		datalen = len - 2;
		mptcp(nd, w, len, flags);
		break;
	case TCPOPT_FASTOPEN:
		lencheck(nd, w, datalen = len - 2);
		kp_nd_printf(nd, " ");
		fastopen(nd, w->cp, datalen, false);
		break;
	case TCPOPT_EXPERIMENT2:
		lencheck(nd, w, datalen = len - 2);
		if (datalen < 2)
			bad(nd, w);
		magic = kp_nd_be16(nd, w->cp);
		kp_nd_printf(nd, "-");
		if (magic == 0xf989) /* TCP Fast Open, RFC 7413 */
			fastopen(nd, w->cp + 2, datalen - 2, true);
		else
			kp_nd_printf(nd, "%04x", magic);
		break;
	default:
		datalen = len - 2;
		if (datalen)
			kp_nd_printf(nd, " 0x");
		for (uint32_t i = 0; i < datalen; ++i) {
			lencheck(nd, w, i + 1);
			kp_nd_printf(nd, "%02x", kp_nd_u8(nd, w->cp + i));
		}
		break;
	}
	return datalen;
}

void kp_nd_tcp_options(struct kp_nd *nd, const uint8_t *tp, uint32_t hlen,
		       uint32_t length, uint8_t flags, int rev,
		       uint32_t thseq, uint32_t thack)
{
	struct opt_walk w = { .cp = tp + 20, .hlen = hlen - 20, .ch = '\0' };
	uint32_t opt, len, datalen;
	char name[16];

	kp_nd_printf(nd, ", options [");
	while (w.hlen > 0) {
		if (w.ch != '\0')
			kp_nd_printf(nd, "%c", w.ch);
		opt = kp_nd_u8(nd, w.cp);
		w.cp++;
		if (opt == TCPOPT_EOL || opt == TCPOPT_NOP) {
			len = 1;
		} else {
			len = kp_nd_u8(nd, w.cp);
			w.cp++;
			if (len < 2 || len > w.hlen)
				bad(nd, &w);
			--w.hlen;
		}
		--w.hlen;
		kp_nd_printf(nd, "%s", option_name(opt, name));
		datalen = option_data(nd, &w, opt, len, tp, length, flags, rev,
				      thseq, thack);
		w.cp += datalen;
		w.hlen -= datalen;
		++datalen;
		if (opt != TCPOPT_EOL && opt != TCPOPT_NOP)
			++datalen;
		if (datalen != len)
			kp_nd_printf(nd, "[len %u]", len);
		w.ch = ',';
		if (opt == TCPOPT_EOL)
			break;
	}
	kp_nd_printf(nd, "]");
}
