/*
 * tcpdump_icmp.c - the ICMP line, after tcpdump's icmp_print()
 * (print-icmp.c) without -v: the message is composed in a buffer of
 * tcpdump's size (MAXHOSTNAMELEN + 100, so a long router advertisement
 * is cut where tcpdump cuts it) and printed whole, or not at all when a
 * read runs off the capture.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tcpdump_nd.h"

#define ICMP_ECHOREPLY 0
#define ICMP_UNREACH 3
#define ICMP_SOURCEQUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_ROUTERADVERT 9
#define ICMP_ROUTERSOLICIT 10
#define ICMP_TIMXCEED 11
#define ICMP_PARAMPROB 12
#define ICMP_TSTAMP 13
#define ICMP_TSTAMPREPLY 14
#define ICMP_IREQ 15
#define ICMP_IREQREPLY 16
#define ICMP_MASKREQ 17
#define ICMP_MASKREPLY 18
#define ICMP_UNREACH_PORT 3
#define ICMP_UNREACH_NEEDFRAG 4
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define BUF_SIZE (64 + 100) /* MAXHOSTNAMELEN + 100 */

/* Offsets in the ICMP message of the quoted IP header and its fields */
#define OIP 8
#define OIP_P (OIP + 9)
#define OIP_DST (OIP + 16)

static const char *unreach_fmt(uint8_t code)
{
	static const char *const fmt[] = {
		[0] = "net %s unreachable",
		[1] = "host %s unreachable",
		[5] = "%s unreachable - source route failed",
		[6] = "net %s unreachable - unknown",
		[7] = "host %s unreachable - unknown",
		[8] = "%s unreachable - source host isolated",
		[9] = "net %s unreachable - admin prohibited",
		[10] = "host %s unreachable - admin prohibited",
		[11] = "net %s unreachable - tos prohibited",
		[12] = "host %s unreachable - tos prohibited",
		[13] = "host %s unreachable - admin prohibited filter",
		[14] = "host %s unreachable - host precedence violation",
		[15] = "host %s unreachable - precedence cutoff",
	};

	return code < sizeof(fmt) / sizeof(fmt[0]) ? fmt[code] : NULL;
}

static void unreach(struct kp_nd *nd, const uint8_t *dp, uint8_t code,
		    char *buf)
{
	char addr[16];
	const uint8_t *oip = dp + OIP;
	uint32_t hlen, mtu;
	uint16_t dport;
	uint8_t proto;

	switch (code) {
	case 2:
		snprintf(buf, BUF_SIZE, "%s protocol %u unreachable",
			 kp_nd_ipaddr(nd, dp + OIP_DST, addr),
			 kp_nd_u8(nd, dp + OIP_P));
		return;
	case ICMP_UNREACH_PORT:
		kp_nd_tcheck(nd, dp + OIP_P, 1);
		hlen = (uint32_t)(kp_nd_u8(nd, oip) & 0x0f) * 4;
		dport = kp_nd_be16(nd, oip + hlen + 2);
		proto = kp_nd_u8(nd, dp + OIP_P);
		kp_nd_ipaddr(nd, dp + OIP_DST, addr);
		if (proto == IPPROTO_TCP_)
			snprintf(buf, BUF_SIZE, "%s tcp port %u unreachable",
				 addr, dport);
		else if (proto == IPPROTO_UDP_)
			snprintf(buf, BUF_SIZE, "%s udp port %u unreachable",
				 addr, dport);
		else
			snprintf(buf, BUF_SIZE,
				 "%s protocol %u port %u unreachable", addr,
				 proto, dport);
		return;
	case ICMP_UNREACH_NEEDFRAG:
		mtu = kp_nd_be16(nd, dp + 6);
		kp_nd_ipaddr(nd, dp + OIP_DST, addr);
		if (mtu)
			snprintf(buf, BUF_SIZE,
				 "%s unreachable - need to frag (mtu %u)",
				 addr, mtu);
		else
			snprintf(buf, BUF_SIZE, "%s unreachable - need to frag",
				 addr);
		return;
	}
	kp_nd_ipaddr(nd, dp + OIP_DST, addr);
	if (unreach_fmt(code))
		snprintf(buf, BUF_SIZE, unreach_fmt(code), addr);
	else
		snprintf(buf, BUF_SIZE, "%s unreachable - #%u", addr, code);
}

static void redirect(struct kp_nd *nd, const uint8_t *dp, uint8_t code,
		     char *buf)
{
	static const char *const kind[] = { "redirect %s to net %s",
					    "redirect %s to host %s",
					    "redirect-tos %s to net %s",
					    "redirect-tos %s to host %s" };
	char dst[16], gw[16];

	kp_nd_ipaddr(nd, dp + OIP_DST, dst);
	kp_nd_ipaddr(nd, dp + 4, gw);
	if (code < 4)
		snprintf(buf, BUF_SIZE, kind[code], dst, gw);
	else
		snprintf(buf, BUF_SIZE, "redirect-#%u %s to %s", code, dst, gw);
}

/* Append to the fixed-size buffer the way tcpdump's snprintf chain does. */
static void append(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void append(char *buf, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + used, BUF_SIZE - used, fmt, ap);
	va_end(ap);
}

static void router_advert(struct kp_nd *nd, const uint8_t *dp, char *buf)
{
	uint32_t lifetime, num, size;
	const uint8_t *idp = dp + 8;
	char addr[16];

	snprintf(buf, BUF_SIZE, "router advertisement");
	kp_nd_tcheck(nd, dp + 4, 4);
	append(buf, " lifetime ");
	lifetime = kp_nd_be16(nd, dp + 6);
	if (lifetime < 60)
		append(buf, "%u", lifetime);
	else if (lifetime < 60 * 60)
		append(buf, "%u:%02u", lifetime / 60, lifetime % 60);
	else
		append(buf, "%u:%02u:%02u", lifetime / 3600,
		       (lifetime % 3600) / 60, lifetime % 60);
	num = kp_nd_u8(nd, dp + 4);
	append(buf, " %u:", num);
	size = kp_nd_u8(nd, dp + 5);
	if (size != 2) {
		append(buf, " [size %u]", size);
		return;
	}
	for (; num > 0; num--, idp += 8) {
		kp_nd_tcheck(nd, idp, 8);
		append(buf, " {%s %u}", kp_nd_ipaddr(nd, idp, addr),
		       kp_nd_be32(nd, idp + 4));
	}
}

/* Milliseconds since midnight UTC, as tcpdump's icmp_tstamp_print(). */
static void tstamp(char *buf, const char *label, uint32_t ms)
{
	uint32_t sec = ms / 1000, min = sec / 60, hrs = min / 60;

	append(buf, "%s%02u:%02u:%02u.%03u", label, hrs, min - hrs * 60,
	       sec - min * 60, ms % 1000);
}

static const char *simple_name(uint8_t type)
{
	switch (type) {
	case ICMP_SOURCEQUENCH: return "source quench";
	case ICMP_ROUTERSOLICIT: return "router solicitation";
	case ICMP_IREQ: return "information request";
	case ICMP_IREQREPLY: return "information reply";
	case ICMP_MASKREQ: return "address mask request";
	}
	return NULL;
}

void kp_nd_icmp_print(struct kp_nd *nd, const uint8_t *dp, uint32_t plen)
{
	char buf[BUF_SIZE] = "";
	uint8_t type, code;

	nd->protocol = "icmp";
	type = kp_nd_u8(nd, dp);
	code = kp_nd_u8(nd, dp + 1);
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
		snprintf(buf, sizeof(buf), "echo %s, id %u, seq %u",
			 type == ICMP_ECHO ? "request" : "reply",
			 kp_nd_be16(nd, dp + 4), kp_nd_be16(nd, dp + 6));
		break;
	case ICMP_UNREACH:
		unreach(nd, dp, code, buf);
		break;
	case ICMP_REDIRECT:
		redirect(nd, dp, code, buf);
		break;
	case ICMP_ROUTERADVERT:
		router_advert(nd, dp, buf);
		break;
	case ICMP_TIMXCEED:
		kp_nd_tcheck(nd, dp + OIP_DST, 4);
		if (code == 0)
			snprintf(buf, sizeof(buf), "time exceeded in-transit");
		else if (code == 1)
			snprintf(buf, sizeof(buf), "ip reassembly time exceeded");
		else
			snprintf(buf, sizeof(buf), "time exceeded-#%u", code);
		break;
	case ICMP_PARAMPROB:
		if (code)
			snprintf(buf, sizeof(buf), "parameter problem - code %u",
				 code);
		else
			snprintf(buf, sizeof(buf), "parameter problem - octet %u",
				 kp_nd_u8(nd, dp + 4));
		break;
	case ICMP_MASKREPLY:
		snprintf(buf, sizeof(buf), "address mask is 0x%08x",
			 kp_nd_be32(nd, dp + 8));
		break;
	case ICMP_TSTAMP:
		snprintf(buf, sizeof(buf), "time stamp query id %u seq %u",
			 kp_nd_be16(nd, dp + 4), kp_nd_be16(nd, dp + 6));
		break;
	case ICMP_TSTAMPREPLY:
		kp_nd_tcheck(nd, dp + 16, 4);
		snprintf(buf, sizeof(buf), "time stamp reply id %u seq %u: ",
			 kp_nd_be16(nd, dp + 4), kp_nd_be16(nd, dp + 6));
		tstamp(buf, "org ", kp_nd_be32(nd, dp + 8));
		tstamp(buf, ", recv ", kp_nd_be32(nd, dp + 12));
		tstamp(buf, ", xmit ", kp_nd_be32(nd, dp + 16));
		break;
	default:
		if (simple_name(type))
			snprintf(buf, sizeof(buf), "%s", simple_name(type));
		else
			snprintf(buf, sizeof(buf), "type-#%u", type);
		break;
	}
	kp_nd_printf(nd, "ICMP %s, length %u", buf, plen);
}
