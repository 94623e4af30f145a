/*
 * core_priv.h - what the files of net/core share among themselves and
 * nobody else should call (teardown helpers, the RPS IPI, GRO's entry
 * into the receive path).
 */
#ifndef KP_NET_CORE_CORE_PRIV_H
#define KP_NET_CORE_CORE_PRIV_H

#include "net_namespace.h"
#include "netdevice.h"
#include "skbuff.h"

/* Free every live skb of @net without probes (teardown only). */
void kp_skb_free_all(struct net *net);
/* kfree_skb_reason without the probe, for code that may run outside a
 * CPU (netif_napi_del from a driver's teardown). */
void kp_skb_free_noprobe(struct sk_buff *skb, enum skb_drop_reason reason);
/* The world of the stack (ids, trace seq). */
struct kp_world *kp_net_world(const struct net *net);

/* dev.c: the part of netif_receive_skb after RPS steering. */
int __netif_receive_skb(struct sk_buff *skb);
/* dev_napi.c: put @napi on @sd's poll_list and raise NET_RX_SOFTIRQ
 * (must run on @sd's CPU). */
void ____napi_schedule(struct softnet_data *sd, struct napi_struct *napi);
/* dev_backlog.c: the backlog NAPI's poll. */
int process_backlog(struct napi_struct *napi, int quota);
/* gro.c: free every held skb of @napi without probes (teardown). */
void kp_gro_discard(struct napi_struct *napi);

#endif
