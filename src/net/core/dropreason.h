/*
 * dropreason.h - enum skb_drop_reason (include/net/dropreason-core.h),
 * generated from dropreason.def.
 */
#ifndef KP_NET_CORE_DROPREASON_H
#define KP_NET_CORE_DROPREASON_H

enum skb_drop_reason {
#define KP_DROP_REASON(name, desc) SKB_DROP_REASON_##name,
#include "dropreason.def"
#undef KP_DROP_REASON
	SKB_DROP_REASON_MAX
};

/* "NO_SOCKET", ... and its one-line meaning. */
const char *kp_drop_reason_name(enum skb_drop_reason reason);
const char *kp_drop_reason_desc(enum skb_drop_reason reason);

#endif
