/*
 * mkfrags.c - builds the Ethernet frames of one fragmented UDP datagram
 * for kpath's `inject HOST raw HEX` (kpath's inject has no fragment
 * option).  The fragments are the ones Linux's ip_fragment would send:
 * the UDP datagram (payload 'a'..'z' repeating, as udp_send fills it,
 * with a real UDP checksum) cut into pieces of (MTU - 20) & ~7 bytes,
 * MF on all but the last, in order.
 *
 *   mkfrags -s SRC:PORT -d DST:PORT -l LEN [-m MTU] [-i ID]
 *           -D DSTMAC -S SRCMAC
 *
 * Prints one line of hex per frame.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static int parse_ep(const char *s, uint8_t ip[4], int *port)
{
	char host[64];
	const char *c = strrchr(s, ':');
	if (!c || (size_t)(c - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(c - s));
	host[c - s] = 0;
	*port = atoi(c + 1);
	return inet_pton(AF_INET, host, ip) == 1 ? 0 : -1;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int m[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t sip[4], dip[4], dmac[6], smac[6];
	int sport = 0, dport = 0, len = -1, mtu = 1500, id = 1, c, ok = 0;
	while ((c = getopt(argc, argv, "s:d:l:m:i:D:S:")) != -1) {
		switch (c) {
		case 's': ok |= parse_ep(optarg, sip, &sport) ? 0x100 : 1; break;
		case 'd': ok |= parse_ep(optarg, dip, &dport) ? 0x100 : 2; break;
		case 'l': len = atoi(optarg); break;
		case 'm': mtu = atoi(optarg); break;
		case 'i': id = atoi(optarg); break;
		case 'D': ok |= parse_mac(optarg, dmac) ? 0x100 : 4; break;
		case 'S': ok |= parse_mac(optarg, smac) ? 0x100 : 8; break;
		default: ok = 0x100;
		}
	}
	if (ok != 15 || len < 0 || len > 65507 || mtu < 68) {
		fprintf(stderr, "usage: mkfrags -s SRC:PORT -d DST:PORT -l LEN "
				"[-m MTU] [-i ID] -D DSTMAC -S SRCMAC\n");
		return 2;
	}
	size_t ulen = (size_t)len + 8;
	uint8_t *udp = malloc(ulen);
	udp[0] = (uint8_t)(sport >> 8), udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8), udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)(ulen >> 8), udp[5] = (uint8_t)ulen;
	udp[6] = udp[7] = 0;
	for (int i = 0; i < len; i++)
		udp[8 + i] = (uint8_t)('a' + i % 26);
	uint8_t pseudo[12];
	memcpy(pseudo, sip, 4);
	memcpy(pseudo + 4, dip, 4);
	pseudo[8] = 0, pseudo[9] = 17;
	pseudo[10] = (uint8_t)(ulen >> 8), pseudo[11] = (uint8_t)ulen;
	uint16_t ck = fold(sum16(udp, ulen, sum16(pseudo, 12, 0)));
	if (!ck)
		ck = 0xffff;
	udp[6] = (uint8_t)(ck >> 8), udp[7] = (uint8_t)ck;

	size_t step = (size_t)((mtu - 20) & ~7);
	for (size_t off = 0; off < ulen; off += step) {
		size_t n = ulen - off < step ? ulen - off : step;
		int more = off + n < ulen;
		uint8_t f[14 + 20];
		memcpy(f, dmac, 6);
		memcpy(f + 6, smac, 6);
		f[12] = 0x08, f[13] = 0x00;
		uint8_t *ip = f + 14;
		size_t tot = 20 + n;
		uint16_t fo = (uint16_t)((off / 8) | (more ? 0x2000 : 0));
		ip[0] = 0x45, ip[1] = 0;
		ip[2] = (uint8_t)(tot >> 8), ip[3] = (uint8_t)tot;
		ip[4] = (uint8_t)(id >> 8), ip[5] = (uint8_t)id;
		ip[6] = (uint8_t)(fo >> 8), ip[7] = (uint8_t)fo;
		ip[8] = 64, ip[9] = 17, ip[10] = ip[11] = 0;
		memcpy(ip + 12, sip, 4);
		memcpy(ip + 16, dip, 4);
		uint16_t ick = fold(sum16(ip, 20, 0));
		ip[10] = (uint8_t)(ick >> 8), ip[11] = (uint8_t)ick;
		for (size_t i = 0; i < sizeof(f); i++)
			printf("%02x", f[i]);
		for (size_t i = 0; i < n; i++)
			printf("%02x", udp[off + i]);
		printf("\n");
	}
	free(udp);
	return 0;
}
