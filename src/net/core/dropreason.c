/*
 * dropreason.c - names and meanings of enum skb_drop_reason
 * (include/net/dropreason-core.h, net/core/drop_monitor.c's name table),
 * and the per-reason "last drop" detail that `show drops` prints.
 */
#include "dropreason.h"

#include <stdarg.h>
#include <stdio.h>

#include "net_namespace.h"

static const char *const drop_reason_names[SKB_DROP_REASON_MAX] = {
#define KP_DROP_REASON(name, desc) [SKB_DROP_REASON_##name] = #name,
#include "dropreason.def"
#undef KP_DROP_REASON
};

static const char *const drop_reason_descs[SKB_DROP_REASON_MAX] = {
#define KP_DROP_REASON(name, desc) [SKB_DROP_REASON_##name] = desc,
#include "dropreason.def"
#undef KP_DROP_REASON
};

const char *kp_drop_reason_name(enum skb_drop_reason reason)
{
	if ((unsigned)reason >= SKB_DROP_REASON_MAX)
		return "UNKNOWN";
	return drop_reason_names[reason];
}

const char *kp_drop_reason_desc(enum skb_drop_reason reason)
{
	if ((unsigned)reason >= SKB_DROP_REASON_MAX)
		return "unknown drop reason";
	return drop_reason_descs[reason];
}

void kp_drop_detail(struct net *net, enum skb_drop_reason reason,
		    const char *fmt, ...)
{
	if (!net || (unsigned)reason >= SKB_DROP_REASON_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(net->drop_detail[reason], sizeof(net->drop_detail[reason]),
		  fmt, ap);
	va_end(ap);
}
