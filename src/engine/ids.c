/*
 * ids.c - names of object kinds and parsing of "kind#id".
 */
#include "ids.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[KP_OBJ_NR] = {
	[KP_OBJ_NONE] = "-",    [KP_OBJ_SKB] = "skb",     [KP_OBJ_SOCK] = "sk",
	[KP_OBJ_EP] = "ep",     [KP_OBJ_EPI] = "epi",     [KP_OBJ_TASK] = "task",
	[KP_OBJ_NAPI] = "napi", [KP_OBJ_WQ] = "wq",       [KP_OBJ_DEV] = "dev",
	[KP_OBJ_TIMER] = "timer", [KP_OBJ_NEIGH] = "neigh", [KP_OBJ_FILE] = "file",
};

const char *kp_obj_kind_name(enum kp_obj_kind kind)
{
	if ((unsigned)kind >= KP_OBJ_NR)
		return "?";
	return kind_names[kind];
}

int kp_obj_parse(const char *text, enum kp_obj_kind *kind, uint32_t *id)
{
	const char *hash = strchr(text, '#');
	if (!hash || hash == text || !hash[1])
		return -EINVAL;
	size_t len = (size_t)(hash - text);
	for (int k = 1; k < KP_OBJ_NR; k++) {
		if (strlen(kind_names[k]) == len &&
		    strncmp(kind_names[k], text, len) == 0) {
			char *end;
			unsigned long v = strtoul(hash + 1, &end, 10);
			if (*end || v == 0 || v > UINT32_MAX)
				return -EINVAL;
			*kind = (enum kp_obj_kind)k;
			*id = (uint32_t)v;
			return 0;
		}
	}
	return -EINVAL;
}
