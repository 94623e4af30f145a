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
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* kind and id where a frame head (trace.h's struct kp_frame) has
	 * them, the bytes before zero: a probe ORs `head` in with one load.
	 * Write it whole (kp_obj_assign, kp_obj_set), or zero the object. */
	union {
		struct {
			uint8_t zero_[3];
			uint8_t kind;
			uint32_t id;
		};
		uint64_t head;
	};
#else
	uint32_t id;
	uint8_t kind;
#endif
};

struct kp_ids {
	uint32_t next[KP_OBJ_NR];
};

/* "skb", "sk", "ep", ... as used in object names like skb#42. */
const char *kp_obj_kind_name(enum kp_obj_kind kind);
/* Parse "skb#42" into kind and id; 0 on success, -EINVAL otherwise. */
int kp_obj_parse(const char *text, enum kp_obj_kind *kind, uint32_t *id);

/* @obj is @kind #@id (id 0: no number, as kernel sockets have). */
static inline void kp_obj_set(struct kp_obj *obj, enum kp_obj_kind kind,
			      uint32_t id)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	obj->head = (uint64_t)(uint8_t)kind << 24 | (uint64_t)id << 32;
#else
	obj->kind = (uint8_t)kind;
	obj->id = id;
#endif
}

static inline void kp_obj_assign(struct kp_ids *ids, struct kp_obj *obj,
				 enum kp_obj_kind kind)
{
	kp_obj_set(obj, kind, ++ids->next[kind]);
}

#endif
