/*
 * linktype.c - link-layer headers of Linux cooked captures, raw IP and BSD
 * loopback rewritten as Ethernet headers.  Header layouts: SLL is
 * pkttype(2) hatype(2) halen(2) addr(8) protocol(2); SLL2 is protocol(2)
 * reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8); NULL/LOOP
 * is a 4-byte address family (host order for NULL, network for LOOP).
 */
#include "linktype.h"

#include <errno.h>
#include <string.h>

#define SLL_HLEN 16
#define SLL2_HLEN 20
#define NULL_HLEN 4
#define PACKET_BROADCAST 1
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd

struct link_info {
	uint16_t ethertype; /* 0: guess from the IP version nibble */
	int pkttype;	    /* -1 when the link type has none */
	const uint8_t *addr;
	unsigned int addr_len;
};

bool kp_cap_linktype_supported(int dlt)
{
	switch (dlt) {
	case KP_DLT_EN10MB:
	case KP_DLT_LINUX_SLL:
	case KP_DLT_LINUX_SLL2:
	case KP_DLT_RAW:
	case KP_LINKTYPE_RAW:
	case KP_DLT_IPV4:
	case KP_DLT_IPV6:
	case KP_DLT_NULL:
	case KP_DLT_LOOP:
		return true;
	}
	return false;
}

unsigned int kp_cap_linktype_hlen(int dlt)
{
	switch (dlt) {
	case KP_DLT_EN10MB:
		return KP_CAP_ETH_HLEN;
	case KP_DLT_LINUX_SLL:
		return SLL_HLEN;
	case KP_DLT_LINUX_SLL2:
		return SLL2_HLEN;
	case KP_DLT_NULL:
	case KP_DLT_LOOP:
		return NULL_HLEN;
	}
	return 0;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t ethertype_from_ip(const uint8_t *ip, uint32_t len)
{
	if (len && (ip[0] >> 4) == 6)
		return ETH_P_IPV6;
	return ETH_P_IP;
}

/* @either_order: DLT_NULL is in the writer's byte order, DLT_LOOP in network order */
static uint16_t ethertype_from_af(const uint8_t *p, bool either_order)
{
	uint32_t be = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		      (uint32_t)p[2] << 8 | p[3];
	uint32_t le = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		      (uint32_t)p[1] << 8 | p[0];
	uint32_t af = (!either_order || be <= 0xffff) ? be : le;

	/* AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30 */
	if (af == 10 || af == 24 || af == 28 || af == 30)
		return ETH_P_IPV6;
	return af == 2 ? ETH_P_IP : 0;
}

static void link_info(int dlt, const uint8_t *in, struct link_info *li)
{
	li->ethertype = 0;
	li->pkttype = -1;
	li->addr = NULL;
	li->addr_len = 0;
	switch (dlt) {
	case KP_DLT_LINUX_SLL:
		li->pkttype = be16(in);
		li->addr_len = be16(in + 4);
		li->addr = in + 6;
		li->ethertype = be16(in + 14);
		break;
	case KP_DLT_LINUX_SLL2:
		li->ethertype = be16(in);
		li->pkttype = in[10];
		li->addr_len = in[11];
		li->addr = in + 12;
		break;
	case KP_DLT_IPV4:
		li->ethertype = ETH_P_IP;
		break;
	case KP_DLT_IPV6:
		li->ethertype = ETH_P_IPV6;
		break;
	case KP_DLT_NULL:
	case KP_DLT_LOOP:
		li->ethertype = ethertype_from_af(in, dlt == KP_DLT_NULL);
		break;
	}
	if (li->ethertype < 0x0600) /* not an EtherType: look at the packet */
		li->ethertype = 0;
}

int kp_cap_to_ethernet(int dlt, const uint8_t *in, uint32_t caplen,
		       uint32_t wirelen, uint8_t *out, uint32_t *out_caplen,
		       uint32_t *out_wirelen, const char **why)
{
	static const uint8_t synth_src[6] = KP_CAP_SYNTH_SRC;
	static const uint8_t synth_dst[6] = KP_CAP_SYNTH_DST;
	unsigned int hlen = kp_cap_linktype_hlen(dlt);
	struct link_info li;
	uint32_t plen;

	*why = NULL;
	if (dlt == KP_DLT_EN10MB) {
		memcpy(out, in, caplen);
		*out_caplen = caplen;
		*out_wirelen = wirelen;
		return 0;
	}
	if (caplen < hlen) {
		switch (dlt) {
		case KP_DLT_LINUX_SLL:
			*why = "Linux cooked (SLL) header truncated";
			break;
		case KP_DLT_LINUX_SLL2:
			*why = "Linux cooked v2 (SLL2) header truncated";
			break;
		default:
			*why = "loopback header truncated";
			break;
		}
		return -EINVAL;
	}
	link_info(dlt, in, &li);
	plen = caplen - hlen;
	if (!li.ethertype)
		li.ethertype = ethertype_from_ip(in + hlen, plen);
	if (li.pkttype == PACKET_BROADCAST)
		memset(out, 0xff, 6);
	else
		memcpy(out, synth_dst, 6);
	if (li.addr && li.addr_len == 6)
		memcpy(out + 6, li.addr, 6);
	else
		memcpy(out + 6, synth_src, 6);
	out[12] = (uint8_t)(li.ethertype >> 8);
	out[13] = (uint8_t)li.ethertype;
	memcpy(out + KP_CAP_ETH_HLEN, in + hlen, plen);
	*out_caplen = plen + KP_CAP_ETH_HLEN;
	*out_wirelen = wirelen >= hlen ? wirelen - hlen + KP_CAP_ETH_HLEN
				       : *out_caplen;
	return 0;
}
