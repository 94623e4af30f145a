/*
 * ids.h - small stable object ids for display and commands (skb#42, sk#3).
 *
 * Every traced kernel object embeds a struct kp_obj named `kp`; ids come
 * from per-world, per-kind counters, so the same run names the same
 * objects the same way on every build.
 */
#ifndef KP_ENGINE_IDS_H
#define KP_ENGINE_IDS_H

#include <stdint.h>

enum kp_obj_kind {
	KP_OBJ_NONE,
	KP_OBJ_SKB,
	KP_OBJ_SOCK,
	KP_OBJ_EP,
	KP_OBJ_EPI,
	KP_OBJ_TASK,
	KP_OBJ_NAPI,
	KP_OBJ_WQ,
	KP_OBJ_DEV,
	KP_OBJ_TIMER,
	KP_OBJ_NEIGH,
	KP_OBJ_FILE,
	KP_OBJ_NR
};

struct kp_obj {
	uint32_t id;
	uint8_t kind;
};

struct kp_ids {
	uint32_t next[KP_OBJ_NR];
};

/* "skb", "sk", "ep", ... as used in object names like skb#42. */
const char *kp_obj_kind_name(enum kp_obj_kind kind);
/* Parse "skb#42" into kind and id; 0 on success, -EINVAL otherwise. */
int kp_obj_parse(const char *text, enum kp_obj_kind *kind, uint32_t *id);

static inline void kp_obj_assign(struct kp_ids *ids, struct kp_obj *obj,
				 enum kp_obj_kind kind)
{
	obj->kind = (uint8_t)kind;
	obj->id = ++ids->next[kind];
}

#endif
