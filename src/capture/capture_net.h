/*
 * capture_net.h - what captures keep per host stack: the replay feeding
 * the host (replay.h) and the tcpdump taps on its ptype_all (tap.h).
 * It hangs off struct net (net->capture) and is freed by a pernet exit,
 * as af_packet's packet_net_exit frees a namespace's packet sockets.
 */
#ifndef KP_CAPTURE_CAPTURE_NET_H
#define KP_CAPTURE_CAPTURE_NET_H

#include <stdbool.h>

#include "engine/list.h"

struct net;
struct kp_replay;

struct kp_capture_net {
	struct net *net;
	struct kp_replay *replay; /* the running or the last replay */
	struct list_head taps;	  /* struct kp_tap, oldest first */
	int next_tap_id;
	int next_replay_id;
};

/* @net's capture state, created (with its exit) on first use; NULL on
 * ENOMEM. */
struct kp_capture_net *kp_capture_net_get(struct net *net);

/* Does the stack transmit (is dev_queue_xmit one of its step points)?
 * Receiver mode compares responses only then. */
bool kp_capture_have_xmit(void);

#endif
