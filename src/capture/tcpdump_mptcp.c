/*
 * tcpdump_mptcp.c - the "mptcp LEN SUBTYPE ..." option text, after
 * tcpdump's print-mptcp.c (RFC 8684 option subtypes).  Each subtype
 * printer returns false when the option's length does not fit its
 * subtype; the caller then prints "[bad opt]".
 */
#include <inttypes.h>
#include <arpa/inet.h>

#include "tcpdump_nd.h"

#define TH_SYN 0x02
#define TH_ACK 0x10
#define MPTCP_SUB_FCLOSE 7
#define MP_CAPABLE_C 0x80
#define MP_JOIN_B 0x01
#define MP_DSS_F 0x10
#define MP_DSS_m 0x08
#define MP_DSS_M 0x04
#define MP_DSS_a 0x02
#define MP_DSS_A 0x01
#define MP_PRIO_B 0x01

static bool capable(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		    uint8_t flags)
{
	uint8_t version;

	if (!((len == 12 || len == 4) && (flags & TH_SYN)) &&
	    !((len == 20 || len == 22) && (flags & (TH_SYN | TH_ACK)) == TH_ACK))
		return false;
	version = kp_nd_u8(nd, opt + 2) & 0x0f;
	if (version > 1) {
		kp_nd_printf(nd, " Unknown Version (%u)", version);
		return true;
	}
	kp_nd_printf(nd, " v%u", version);
	if (kp_nd_u8(nd, opt + 3) & MP_CAPABLE_C)
		kp_nd_printf(nd, " csum");
	if (len == 12 || len >= 20) {
		kp_nd_printf(nd, " {0x%" PRIx64, kp_nd_be64(nd, opt + 4));
		if (len >= 20)
			kp_nd_printf(nd, ",0x%" PRIx64,
				     kp_nd_be64(nd, opt + 12));
		kp_nd_printf(nd, "}");
	}
	return true;
}

static bool join(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		 uint8_t flags)
{
	if (!(len == 12 && (flags & TH_SYN)) &&
	    !(len == 16 && (flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) &&
	    !(len == 24 && (flags & TH_ACK)))
		return false;
	if (len != 24) {
		if (kp_nd_u8(nd, opt + 2) & MP_JOIN_B)
			kp_nd_printf(nd, " backup");
		kp_nd_printf(nd, " id %u", kp_nd_u8(nd, opt + 3));
	}
	switch (len) {
	case 12: /* SYN */
		kp_nd_printf(nd, " token 0x%x nonce 0x%x",
			     kp_nd_be32(nd, opt + 4), kp_nd_be32(nd, opt + 8));
		break;
	case 16: /* SYN/ACK */
		kp_nd_printf(nd, " hmac 0x%" PRIx64 " nonce 0x%x",
			     kp_nd_be64(nd, opt + 4), kp_nd_be32(nd, opt + 12));
		break;
	case 24: /* ACK */
		kp_nd_printf(nd, " hmac 0x");
		for (int i = 0; i < 20; ++i)
			kp_nd_printf(nd, "%02x", kp_nd_u8(nd, opt + 4 + i));
		break;
	}
	return true;
}

/* A 4- or 8-byte number at *opt, as the DSS flag @wide says. */
static bool dss_number(struct kp_nd *nd, const uint8_t **opt, uint32_t *len,
		       bool wide)
{
	if (*len < (wide ? 8u : 4u))
		return false;
	if (wide)
		kp_nd_printf(nd, "%" PRIu64, kp_nd_be64(nd, *opt));
	else
		kp_nd_printf(nd, "%u", kp_nd_be32(nd, *opt));
	*opt += wide ? 8 : 4;
	*len -= wide ? 8 : 4;
	return true;
}

static bool dss(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		uint8_t flags)
{
	uint8_t mflags;

	if (len < 4 || (flags & TH_SYN))
		return false;
	mflags = kp_nd_u8(nd, opt + 3);
	if (mflags & MP_DSS_F)
		kp_nd_printf(nd, " fin");
	opt += 4;
	len -= 4;
	if (mflags & MP_DSS_A) {
		kp_nd_printf(nd, " ack ");
		if (!dss_number(nd, &opt, &len, mflags & MP_DSS_a))
			return false;
	}
	if (mflags & MP_DSS_M) {
		kp_nd_printf(nd, " seq ");
		if (!dss_number(nd, &opt, &len, mflags & MP_DSS_m))
			return false;
		if (len < 4)
			return false;
		kp_nd_printf(nd, " subseq %u", kp_nd_be32(nd, opt));
		opt += 4;
		len -= 4;
		if (len < 2)
			return false;
		kp_nd_printf(nd, " len %u", kp_nd_be16(nd, opt));
		opt += 2;
		len -= 2;
		if (len >= 2) {
			kp_nd_printf(nd, " csum 0x%x", kp_nd_be16(nd, opt));
			len -= 2;
		}
	}
	return len == 0;
}

static const char *addr_version(uint8_t sub_echo)
{
	switch (sub_echo & 0x0f) {
	case 0x6: return "v0-ip6";
	case 0x4: return "v0-ip4";
	case 0x1: return "v1-echo";
	case 0x0: return "v1";
	}
	return "[bad version/echo]";
}

static bool add_addr(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		     uint8_t flags)
{
	char buf[INET6_ADDRSTRLEN];

	if (!(len == 8 || len == 10 || len == 16 || len == 18 || len == 20 ||
	      len == 22 || len == 28 || len == 30))
		return false;
	kp_nd_printf(nd, " %s", addr_version(kp_nd_u8(nd, opt + 2)));
	kp_nd_printf(nd, " id %u", kp_nd_u8(nd, opt + 3));
	if (len == 8 || len == 10 || len == 16 || len == 18) {
		kp_nd_printf(nd, " %s", kp_nd_ipaddr(nd, opt + 4, buf));
		if (len == 10 || len == 18)
			kp_nd_printf(nd, ":%u", kp_nd_be16(nd, opt + 8));
		if (len == 16)
			kp_nd_printf(nd, " hmac 0x%" PRIx64,
				     kp_nd_be64(nd, opt + 8));
		if (len == 18)
			kp_nd_printf(nd, " hmac 0x%" PRIx64,
				     kp_nd_be64(nd, opt + 10));
	} else {
		kp_nd_tcheck(nd, opt + 4, 16);
		inet_ntop(AF_INET6, opt + 4, buf, sizeof(buf));
		kp_nd_printf(nd, " %s", buf);
		if (len == 22 || len == 30)
			kp_nd_printf(nd, ":%u", kp_nd_be16(nd, opt + 20));
		if (len == 28)
			kp_nd_printf(nd, " hmac 0x%" PRIx64,
				     kp_nd_be64(nd, opt + 20));
		if (len == 30)
			kp_nd_printf(nd, " hmac 0x%" PRIx64,
				     kp_nd_be64(nd, opt + 22));
	}
	return true;
}

static bool remove_addr(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
			uint8_t flags)
{
	if (len < 4)
		return false;
	kp_nd_printf(nd, " id");
	for (uint32_t i = 0; i < len - 3; i++)
		kp_nd_printf(nd, " %u", kp_nd_u8(nd, opt + 3 + i));
	return true;
}

static bool prio(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		 uint8_t flags)
{
	if (len != 3 && len != 4)
		return false;
	if (kp_nd_u8(nd, opt + 2) & MP_PRIO_B)
		kp_nd_printf(nd, " backup");
	else
		kp_nd_printf(nd, " non-backup");
	if (len == 4)
		kp_nd_printf(nd, " id %u", kp_nd_u8(nd, opt + 3));
	return true;
}

static bool fail(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		 uint8_t flags)
{
	if (len != 12)
		return false;
	kp_nd_printf(nd, " seq %" PRIu64, kp_nd_be64(nd, opt + 4));
	return true;
}

static bool fast_close(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		       uint8_t flags)
{
	if (len != 12)
		return false;
	kp_nd_printf(nd, " key 0x%" PRIx64, kp_nd_be64(nd, opt + 4));
	return true;
}

static bool unknown(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		    uint8_t flags)
{
	return true;
}

static const struct {
	const char *name;
	bool (*print)(struct kp_nd *nd, const uint8_t *opt, uint32_t len,
		      uint8_t flags);
} subtypes[] = {
	{ "capable", capable },	  { "join", join },
	{ "dss", dss },		  { "add-addr", add_addr },
	{ "rem-addr", remove_addr }, { "prio", prio },
	{ "fail", fail },	  { "fast-close", fast_close },
	{ "unknown", unknown },
};

bool kp_nd_mptcp_print(struct kp_nd *nd, const uint8_t *cp, uint32_t len,
		       uint8_t flags)
{
	unsigned int subtype;

	nd->protocol = "mptcp";
	if (len < 3)
		return false;
	subtype = kp_nd_u8(nd, cp + 2) >> 4;
	if (subtype > MPTCP_SUB_FCLOSE + 1)
		subtype = MPTCP_SUB_FCLOSE + 1;
	kp_nd_printf(nd, " %u", len);
	kp_nd_printf(nd, " %s", subtypes[subtype].name);
	return subtypes[subtype].print(nd, cp, len, flags);
}
