/*
 * rbtree.h - red-black trees, as include/linux/rbtree.h: the node is
 * embedded in the object, the caller walks the tree to find the insertion
 * point (so it owns the ordering), then rb_link_node + rb_insert_color.
 * epoll keeps its epitems in one (eventpoll.rbr).
 */
#ifndef KP_LIB_RBTREE_H
#define KP_LIB_RBTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/list.h" /* container_of */

#define RB_RED 0
#define RB_BLACK 1

struct rb_node {
	struct rb_node *parent;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
	int color;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->parent = parent;
	node->color = RB_RED;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

static inline bool RB_EMPTY_ROOT(const struct rb_root *root)
{
	return root->rb_node == NULL;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
/* Black height if @root is a valid red-black tree, -1 otherwise (tests). */
int rb_check(const struct rb_root *root);

#endif
