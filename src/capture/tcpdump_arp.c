/*
 * tcpdump_arp.c - the ARP line, after tcpdump's arp_print() (print-arp.c)
 * for IPv4 over any hardware: who-has/tell, is-at, the reverse and
 * inverse operations.  ATM and Frame Relay ARP, and ARP for other
 * protocols, print only "ARP, " exactly: tcpdump names them from tables
 * we do not carry.
 */
#include <stdio.h>

#include "tcpdump_nd.h"

#define ARPHRD_FRELAY 15
#define ARPHRD_ATM2225 19
#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_TRAIL 0x1000
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2
#define ARPOP_REVREQUEST 3
#define ARPOP_REVREPLY 4
#define ARPOP_INVREQUEST 8
#define ARPOP_INVREPLY 9

struct arp {
	const uint8_t *ap;
	uint8_t hln, pln;
};

#define SHA(a) ((a)->ap + 8)
#define SPA(a) ((a)->ap + 8 + (a)->hln)
#define THA(a) ((a)->ap + 8 + (a)->hln + (a)->pln)
#define TPA(a) ((a)->ap + 8 + 2 * (a)->hln + (a)->pln)

static const char *op_name(uint16_t op)
{
	switch (op) {
	case ARPOP_REQUEST: return "Request";
	case ARPOP_REPLY: return "Reply";
	case ARPOP_REVREQUEST: return "Reverse Request";
	case ARPOP_REVREPLY: return "Reverse Reply";
	case ARPOP_INVREQUEST: return "Inverse Request";
	case ARPOP_INVREPLY: return "Inverse Reply";
	case 10: return "NACK Reply";
	}
	return NULL;
}

/* A hardware address as tcpdump's linkaddr_string(): hex bytes and ':' */
static void print_linkaddr(struct kp_nd *nd, const uint8_t *p, uint32_t len)
{
	kp_nd_tcheck(nd, p, len);
	for (uint32_t i = 0; i < len; i++)
		kp_nd_printf(nd, i ? ":%02x" : "%02x", p[i]);
}

static void print_ipaddr(struct kp_nd *nd, const uint8_t *p)
{
	char buf[16];

	kp_nd_printf(nd, "%s", kp_nd_ipaddr(nd, p, buf));
}

static bool nonzero(struct kp_nd *nd, const uint8_t *p, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (kp_nd_u8(nd, p + i))
			return true;
	return false;
}

void kp_nd_arp_print(struct kp_nd *nd, const uint8_t *bp, uint32_t length)
{
	struct arp a = { .ap = bp };
	uint16_t hrd, pro, op;

	nd->protocol = "arp";
	kp_nd_tcheck(nd, bp, 8);
	hrd = kp_nd_be16(nd, bp);
	pro = kp_nd_be16(nd, bp + 2);
	a.hln = kp_nd_u8(nd, bp + 4);
	a.pln = kp_nd_u8(nd, bp + 5);
	op = kp_nd_be16(nd, bp + 6);
	if (hrd == ARPHRD_ATM2225 || hrd == ARPHRD_FRELAY) {
		kp_nd_mark(nd); /* tcpdump has its own printers for these */
		kp_nd_printf(nd, "ARP, hardware type %u, length %u", hrd,
			     length);
		return;
	}
	kp_nd_tcheck(nd, TPA(&a), a.pln);
	kp_nd_printf(nd, "ARP, ");
	if ((pro != ETHERTYPE_IP && pro != ETHERTYPE_TRAIL) || a.pln != 4 ||
	    a.hln == 0) {
		kp_nd_mark(nd); /* names from tcpdump's tables */
		kp_nd_printf(nd, "hardware %u (len %u), protocol 0x%04x (len %u)"
			     ", length %u", hrd, a.hln, pro, a.pln, length);
		return;
	}
	if (!op_name(op)) {
		kp_nd_printf(nd, "Unknown (%u) ", op);
		return; /* tcpdump hex-dumps it on the lines that follow */
	}
	kp_nd_printf(nd, "%s ", op_name(op));
	switch (op) {
	case ARPOP_REQUEST:
		kp_nd_printf(nd, "who-has ");
		print_ipaddr(nd, TPA(&a));
		if (nonzero(nd, THA(&a), a.hln)) {
			kp_nd_printf(nd, " (");
			print_linkaddr(nd, THA(&a), a.hln);
			kp_nd_printf(nd, ")");
		}
		kp_nd_printf(nd, " tell ");
		print_ipaddr(nd, SPA(&a));
		break;
	case ARPOP_REPLY:
		print_ipaddr(nd, SPA(&a));
		kp_nd_printf(nd, " is-at ");
		print_linkaddr(nd, SHA(&a), a.hln);
		break;
	case ARPOP_REVREQUEST:
	case ARPOP_INVREQUEST:
		kp_nd_printf(nd, "who-is ");
		print_linkaddr(nd, THA(&a), a.hln);
		kp_nd_printf(nd, " tell ");
		print_linkaddr(nd, SHA(&a), a.hln);
		break;
	case ARPOP_REVREPLY:
		print_linkaddr(nd, THA(&a), a.hln);
		kp_nd_printf(nd, " at ");
		print_ipaddr(nd, TPA(&a));
		break;
	case ARPOP_INVREPLY:
		print_linkaddr(nd, SHA(&a), a.hln);
		kp_nd_printf(nd, " at ");
		print_ipaddr(nd, SPA(&a));
		break;
	default: /* NACK Reply: tcpdump hex-dumps it */
		return;
	}
	kp_nd_printf(nd, ", length %u", length);
}
