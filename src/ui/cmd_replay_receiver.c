/*
 * cmd_replay_receiver.c - `replay --as-receiver`'s set-up (see
 * cmd_replay.h): the host takes the capture's receiver address, opens
 * listeners on its ports, gets a way back to its peers, and a tap
 * collects what it sends for the comparison with the file's responses.
 */
#include "cmd_replay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/replay.h"
#include "capture/tap.h"
#include "console_out.h"
#include "format_net.h"
#include "net/core/neighbour.h"
#include "net/core/net_namespace.h"
#include "net/ipv4/inetdevice.h"
#include "net/ipv4/route.h"
#include "sched/host.h"
#include "session.h"
#include "user/uprog.h"

/* Receiver mode's way back to the capture's other hosts: an on-link
 * /32 route to each that no route covers, and a permanent neighbour
 * entry with the MAC the capture shows, so kpath's answers leave
 * through the device (and its transmit tap) with no ARP on the wire. */
struct receiver_peers {
	struct net_device *dev;
	int n;
	uint32_t addrs[KP_REPLAY_MAX_PEERS]; /* host order */
	uint8_t macs[KP_REPLAY_MAX_PEERS][ETH_ALEN];
};

static int receiver_peers_on_cpu(void *info)
{
	struct receiver_peers *p = info;
	struct net *net = current_net();
	struct fib_table *tb = fib_get_table(net, RT_TABLE_MAIN);

	for (int i = 0; i < p->n; i++) {
		uint32_t key = htonl(p->addrs[i]);
		struct flowi4 fl4 = { .daddr = key };
		struct fib_result res;
		if (tb && (fib_lookup(net, &fl4, &res) || !res.fi->dev)) {
			struct fib_route cfg = {
				.tb_id = RT_TABLE_MAIN, .dst = key,
				.dst_len = 32, .type = RTN_UNICAST,
				.scope = RT_SCOPE_LINK,
				.protocol = RTPROT_STATIC, .dev = p->dev,
			};
			fib_table_insert(net, tb, &cfg);
		}
		struct neighbour *n =
			__neigh_create(net->arp_tbl, key, p->dev, false);
		if (n)
			neigh_update(n, p->macs[i], NUD_PERMANENT,
				     NEIGH_UPDATE_F_OVERRIDE |
					     NEIGH_UPDATE_F_ADMIN);
	}
	return 0;
}

static void receiver_peers(struct kp_session *s, struct kp_out *out,
			   struct kp_host *h, struct net_device *dev,
			   const struct kp_replay *r)
{
	struct receiver_peers *p = calloc(1, sizeof(*p));
	if (!p || !dev || !h->net->arp_tbl) {
		free(p);
		return;
	}
	p->dev = dev;
	p->n = r->nr_peers;
	memcpy(p->addrs, r->peer_addrs, sizeof(p->addrs));
	memcpy(p->macs, r->peer_macs, sizeof(p->macs));
	if (kp_net_cmd_call(s, out, h, receiver_peers_on_cpu, p, free) < 0)
		return;
	/* what the kernel now holds, as 'ip neigh' shows it */
	for (int i = 0; i < r->nr_peers; i++) {
		uint32_t a = r->peer_addrs[i];
		bool ok = false;
		struct neighbour *n;
		list_for_each_entry(n, &h->net->arp_tbl->entries, list)
			if (n->primary_key == htonl(a) && n->dev == dev)
				ok = n->nud_state & NUD_PERMANENT;
		kp_printf(out,
			  "receiver: peer %u.%u.%u.%u lladdr "
			  "%02x:%02x:%02x:%02x:%02x:%02x %s\n",
			  a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255,
			  r->peer_macs[i][0], r->peer_macs[i][1],
			  r->peer_macs[i][2], r->peer_macs[i][3],
			  r->peer_macs[i][4], r->peer_macs[i][5],
			  ok ? "PERMANENT" : "FAILED");
	}
}

/* @prog PORT on @h for each of the @n @ports. */
static void spawn_listeners(struct kp_out *out, struct kp_host *h,
			    const char *prog, const uint16_t *ports, int n)
{
	for (int i = 0; i < n; i++) {
		char port[8];
		snprintf(port, sizeof(port), "%u", ports[i]);
		char *argv[] = { port, NULL };
		int e = kp_user_spawn(h, prog, 1, argv);
		kp_printf(out, "receiver: %s %s on %s%s\n", prog, port,
			  h->name, e < 0 ? " FAILED" : "");
	}
}

/* Receiver mode: the capture's receiver address on the device, a UDP
 * listener (udp-server) on each UDP port it receives on and a TCP one
 * (tcp-bulk-recv: accept, read to the FIN) on each TCP port, the way
 * back to its peers; then the world runs until they are bound. */
int kp_replay_become_receiver(struct kp_session *s, struct kp_out *out,
			   struct kp_host *h, const char *ifname,
			   const char *path, char *err, size_t errlen)
{
	struct kp_replay *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int ret = kp_replay_scan_receiver(path, r, err, errlen);
	if (ret < 0) {
		free(r);
		return ret;
	}
	struct net_device *dev = dev_get_by_name(h->net, ifname);
	for (int i = 0; dev && i < r->nr_rcv_addrs; i++) {
		uint32_t a = r->rcv_addrs[i];
		int e = kp_inet_addr_add(dev, __builtin_bswap32(a), 32);
		kp_printf(out, "receiver: %u.%u.%u.%u/32 on %s %s%s\n",
			  a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255,
			  h->name, ifname,
			  e == -EEXIST ? " (already there)"
				       : e ? " FAILED" : "");
	}
	spawn_listeners(out, h, "udp-server", r->udp_ports, r->nr_udp_ports);
	spawn_listeners(out, h, "tcp-bulk-recv", r->tcp_ports,
			r->nr_tcp_ports);
	receiver_peers(s, out, h, dev, r);
	free(r);
	if (kp_session_run(s, KP_RUN_CONTINUE, 0) != KP_STOP_IDLE)
		kp_session_report_stop(s, out);
	kp_console_flush(s, out);
	return 0;
}

/* A tap that keeps what the host sends, once dev_queue_xmit_nit hands
 * transmitted skbs to ptype_all.  It is on ptype_all before the replay
 * starts (so it sees the answer to the first frame); cmd_replay hands
 * it to the replay once that exists. */
struct kp_tap *kp_replay_collect_responses(struct kp_session *s,
					struct kp_out *out, struct kp_host *h,
					const char *ifname)
{
	struct kp_tap_opts to = { .ifname = ifname };
	char err[700];
	struct kp_tap *t = kp_tap_create(h->net, dev_get_by_name(h->net,
								 ifname),
					 &to, err, sizeof(err));
	if (!t) {
		kp_printf(out, "receiver: cannot collect responses: %s\n",
			  err);
		return NULL;
	}
	/* the replay owns it, not the list tcpdump stop looks in */
	list_del_init(&t->list);
	t->collect = kp_replay_collect;
	t->collect_ctx = NULL; /* nothing to keep until the replay starts */
	t->add_pending = true;
	kp_net_cmd_call(s, out, h, kp_tcpdump_tap_add, t, NULL);
	return t;
}

