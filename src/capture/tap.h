/*
 * tap.h - tcpdump's tap on a host: a struct packet_type of type ETH_P_ALL
 * on net->ptype_all, as an AF_PACKET socket registers one
 * (net/packet/af_packet.c).  __netif_receive_skb_core hands it each
 * received skb with one more user (deliver_skb); its func (tpacket_rcv's
 * part) runs the capture filter, copies the frame from its MAC header,
 * prints tcpdump's line on the world console at the virtual time, writes
 * it to the -w file, and lets go of its reference with consume_skb.
 *
 * The func also takes transmitted skbs (data at the MAC header), ready
 * for dev_queue_xmit_nit.  Left out: that transmit tap itself (the
 * transmit issue: until it lands, a tap sees only received frames);
 * promiscuous mode (tcpdump -p is what kpath does: the NIC keeps its
 * address filter); the mmap ring and its drops ("packets dropped by
 * kernel" stays 0).
 */
#ifndef KP_CAPTURE_TAP_H
#define KP_CAPTURE_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf.h"
#include "engine/list.h"
#include "net/core/netdevice.h"
#include "pcap_out.h"
#include "tcpdump_fmt.h"

struct kp_host;
struct kp_world;
struct net;

struct kp_tap_opts {
	const char *ifname; /* "eth0", "any" */
	uint64_t count;	    /* -c N: stop after N; 0: no limit */
	bool print;	    /* print lines (tcpdump does unless -w) */
	bool ether;	    /* -e: the link-level header too */
	bool verbose;	    /* -v: tcpdump_verbose.c */
	const char *wfile;  /* -w FILE or NULL */
	const char *filter; /* expression or NULL */
};

struct kp_tap {
	struct packet_type pt; /* pt.af_packet_priv = the tap */
	struct list_head list; /* on net->capture->taps */
	int id;
	struct kp_world *w;
	struct kp_host *host;
	struct net *net;
	char ifname[IFNAMSIZ];
	char *filter;
	char *wfile;
	struct kp_tap_opts opts;
	struct kp_bpf bpf;
	bool has_filter;
	struct kp_pcap_out out;
	bool writing;
	struct kp_tcpdump_state st;
	bool active;	   /* on ptype_all */
	bool add_pending;  /* dev_add_pack queued on a CPU, not run yet */
	uint64_t seen;	   /* "received by filter": every skb handed to it */
	uint64_t captured; /* matched the filter */
	char error[640];   /* a -w write error, if any */
	/* a collector instead of (or beside) tcpdump: replay's receiver
	 * mode keeps the host's own responses (pkt_type OUTGOING) */
	void (*collect)(void *ctx, const uint8_t *frame, uint32_t len,
			int pkt_type, uint64_t ts);
	void *collect_ctx;
};

/*
 * Make a tap for @net's device @o->ifname (NULL dev: "any"), its filter
 * compiled and its -w file open, not yet registered.  NULL with @err set
 * (one line).  Call dev_add_pack(&t->pt) on a CPU of the host to start.
 */
struct kp_tap *kp_tap_create(struct net *net, struct net_device *dev,
			     const struct kp_tap_opts *o, char *err,
			     size_t errlen);
/* The packet_type func (tpacket_rcv). */
int kp_tap_rcv(struct sk_buff *skb, struct net_device *dev,
	       struct packet_type *pt, struct net_device *orig_dev);
/* Close the -w file (flushing it); 0 or -EIO with t->error set. */
int kp_tap_close_file(struct kp_tap *t);
/* Off the list and freed; the caller has removed it from ptype_all. */
void kp_tap_free(struct kp_tap *t);
/* Find a tap of @net by id, or the newest active one for id 0. */
struct kp_tap *kp_tap_find(struct net *net, int id);

/*
 * tcpdump -e: "SRC > DST, ethertype IPv4 (0x0800), length N: " placed
 * after the timestamp of @line (the "IP "/"ARP, " prefix goes, as in
 * tcpdump).  In place.
 */
void kp_tap_add_ether(struct kp_tcpdump_line *line, const uint8_t *frame,
		      uint32_t caplen, uint32_t wirelen);

#endif
