/*
 * replay.h - a capture-fed port: the frames of a pcap/pcapng file put on
 * a host NIC's wire (kp_wire_inject) at their scaled timestamps, so they
 * meet the ring, NAPI and the stack exactly as wire frames do.
 *
 * The file streams: an engine event (replay_feed) reads the next
 * KP_REPLAY_BATCH records and queues them on the wire, then re-arms
 * itself at the arrival time of the middle of that batch, so between
 * KP_REPLAY_BATCH/2 and 3*KP_REPLAY_BATCH/2 frames are queued ahead of
 * virtual time and a file of any size costs constant memory.  Because
 * the feeder is an event, any run (replay, continue, step) goes on
 * feeding it; a breakpoint stops it like everything else.
 *
 * Link layers: frames are converted to Ethernet by linktype.c; for
 * SLL/SLL2/raw captures the synthesized destination becomes the NIC's
 * MAC (broadcast stays broadcast).  Ethernet frames addressed to some
 * other unicast MAC are re-addressed to the NIC too (tcprewrite's
 * --enet-dmac) unless keep_mac, when the NIC's own address filter sees
 * the capture's MACs.
 *
 * Receiver mode (as_receiver): the host plays the capture's receiver -
 * whoever gets the first SYN, else the destination of the first IPv4
 * frame.  Frames that receiver sent are not injected: they are the
 * responses the file holds, kept for comparison with what kpath's host
 * sends (a transmit tap collects those).  With TCP to the receiver the
 * feed goes just in time - one frame held until its arrival time - so
 * that each client segment can be moved into kpath's sequence space
 * once kpath's SYN-ACK has gone out (replay_tcp.h).
 *
 * Left out: pcapng interface blocks beyond the first link type, frames
 * longer than 65536 bytes (refused by the wire).
 */
#ifndef KP_CAPTURE_REPLAY_H
#define KP_CAPTURE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf.h"
#include "decode.h"
#include "net/core/dropreason.h"
#include "net/core/netdevice.h"
#include "net/core/snmp.h"
#include "pcap_in.h"
#include "replay_tcp.h"
#include "respcmp.h"

struct kp_host;
struct kp_world;
struct net;
struct kp_tap;

#define KP_REPLAY_BATCH 256
#define KP_REPLAY_MAX_NOTES 24
#define KP_REPLAY_MAX_ETHTOOL 128
#define KP_REPLAY_MAX_ADDRS 4
#define KP_REPLAY_MAX_PORTS 16
#define KP_REPLAY_MAX_PEERS 16

struct kp_replay_opts {
	double speed;	    /* 2.0: twice as fast; 0 or 1: real time */
	bool fast;	    /* back to back at line rate */
	uint64_t limit;	    /* frames to inject at most; 0: all */
	const char *filter; /* tcpdump expression or NULL */
	bool keep_mac;	    /* do not re-address unicast frames */
	bool as_receiver;
	bool fix_csum;	    /* recompute IPv4/TCP/UDP/ICMP checksums */
};

/* Counters of one device, before the replay (for deltas). */
struct kp_replay_devsnap {
	struct rtnl_link_stats64 stats;
	uint64_t rx_dropped, rx_nohandler;
	int nr_ethtool;
	char (*ethtool_names)[ETH_GSTRING_LEN];
	uint64_t ethtool[KP_REPLAY_MAX_ETHTOOL];
};

struct kp_replay {
	int id;
	struct kp_world *w;
	struct kp_host *host;
	struct net *net;
	char ifname[IFNAMSIZ];
	uint8_t mac[ETH_ALEN];
	char *path;
	struct kp_replay_opts opts;
	char *filter;

	struct kp_pcap_in in;
	bool in_open;
	int dlt;	   /* the file's link type (DLT_*) */
	bool pcapng;
	struct kp_bpf bpf;
	bool has_filter;

	/* time: at = start_ns + (ts - first_ts) / speed */
	uint64_t start_ns, first_ts, last_at;
	bool have_first;
	uint32_t feed_handle;
	bool done;	   /* the file is consumed (or broke) */
	bool broken;	   /* it broke before its end */
	uint64_t end_at;   /* arrival time of the last frame */

	/* what happened to the records */
	uint64_t read;	   /* records read (frames and skipped ones) */
	uint64_t injected, bytes;
	uint64_t filtered; /* not matching the filter */
	uint64_t skipped;  /* damaged records the reader skipped */
	uint64_t refused;  /* frames the wire refused (too short/long) */
	uint64_t responses; /* receiver mode: frames the receiver sent */
	uint64_t damaged;  /* injected frames with a decode problem */
	uint64_t csum_fixed; /* frames whose checksums --fix-csum rewrote */
	uint64_t problems[KP_PROB__COUNT];
	char *notes[KP_REPLAY_MAX_NOTES]; /* one line per damage */
	unsigned nr_notes;
	uint64_t notes_dropped;

	/* receiver mode */
	uint32_t rcv_addrs[KP_REPLAY_MAX_ADDRS]; /* host order */
	int nr_rcv_addrs;
	uint16_t udp_ports[KP_REPLAY_MAX_PORTS];
	int nr_udp_ports;
	uint16_t tcp_ports[KP_REPLAY_MAX_PORTS]; /* SYNs to the receiver */
	int nr_tcp_ports;
	/* who sends to the receiver: address (host order) and MAC */
	uint32_t peer_addrs[KP_REPLAY_MAX_PEERS];
	uint8_t peer_macs[KP_REPLAY_MAX_PEERS][ETH_ALEN];
	int nr_peers;
	uint64_t tcp_to_receiver; /* TCP segments injected to it */
	struct kp_replay_tcpmap tcpmap;
	/* just-in-time feed (TCP to the receiver): the next frame, held
	 * until held_at */
	bool jit, have_held;
	uint8_t *held;
	uint32_t held_cap;
	uint64_t held_at;
	struct kp_pcap_frame held_f;
	struct kp_resp_list file_resp; /* what the file's receiver sent */
	struct kp_resp_list own_resp;  /* what kpath's host sent */
	struct kp_tap *resp_tap;       /* collects own_resp, or NULL */

	/* the stack's counters before the replay */
	uint64_t mib0[KP_MIB_MAX];
	uint64_t drops0[SKB_DROP_REASON_MAX];
	uint64_t skb_dropped0, skb_consumed0;
	struct kp_replay_devsnap dev0;
};

/*
 * Open @path and start feeding it to @h's NIC @ifname from now.  The
 * replay becomes net->capture->replay (a previous one is freed).  0, or
 * a negative errno with @err holding one line.  Runs in the engine (no
 * probes): call it from a command.
 */
int kp_replay_start(struct kp_host *h, const char *ifname, const char *path,
		    const struct kp_replay_opts *o, struct kp_replay **out,
		    char *err, size_t errlen);
/* Stop feeding (frames already on the wire still arrive) and free. */
void kp_replay_free(struct kp_replay *r);
/* Stop feeding now; the replay stays for its report. */
void kp_replay_stop(struct kp_replay *r);

/* The collector of a receiver-mode tap (struct kp_tap.collect): keeps
 * the frames the host sends (PACKET_OUTGOING) in r->own_resp. */
void kp_replay_collect(void *r, const uint8_t *frame, uint32_t len,
		       int pkt_type, uint64_t ts);

/* Receiver-mode helpers, also for tests: the receiver of @path (see
 * above), the UDP and TCP ports it receives on and who sends to it.
 * 0 or -errno. */
int kp_replay_scan_receiver(const char *path, struct kp_replay *r,
			    char *err, size_t errlen);

#endif
