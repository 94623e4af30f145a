/*
 * capture_net.c - per-stack capture state and its pernet exit
 * (af_packet's packet_net_init/packet_net_exit, net/packet/af_packet.c):
 * when a host's stack goes, its replay stops and its taps close their
 * files.
 */
#include "capture_net.h"

#include <stdlib.h>

#include "net/core/net_namespace.h"
#include "replay.h"
#include "tap.h"

static void capture_net_exit(struct net *net)
{
	struct kp_capture_net *cn = net->capture;
	struct kp_tap *t, *tmp;

	if (!cn)
		return;
	kp_replay_free(cn->replay);
	cn->replay = NULL;
	list_for_each_entry_safe(t, tmp, &cn->taps, list)
		kp_tap_free(t);
	free(cn);
	net->capture = NULL;
}

struct kp_capture_net *kp_capture_net_get(struct net *net)
{
	struct kp_capture_net *cn;

	if (net->capture)
		return net->capture;
	cn = calloc(1, sizeof(*cn));
	if (!cn)
		return NULL;
	if (kp_net_register_exit(net, capture_net_exit) < 0) {
		free(cn);
		return NULL;
	}
	cn->net = net;
	INIT_LIST_HEAD(&cn->taps);
	net->capture = cn;
	return cn;
}
