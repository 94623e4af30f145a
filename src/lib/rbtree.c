/*
 * rbtree.c - red-black tree insert and erase rebalancing (lib/rbtree.c),
 * written from the textbook algorithm (CLRS) with Linux's interface.
 */
#include "rbtree.h"

static bool is_red(const struct rb_node *n)
{
	return n && n->color == RB_RED;
}

static void change_child(struct rb_node *old, struct rb_node *new,
			 struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
	if (new)
		new->parent = parent;
}

static void rotate_left(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_right;
	x->rb_right = y->rb_left;
	if (y->rb_left)
		y->rb_left->parent = x;
	change_child(x, y, x->parent, root);
	y->rb_left = x;
	x->parent = y;
}

static void rotate_right(struct rb_node *x, struct rb_root *root)
{
	struct rb_node *y = x->rb_left;
	x->rb_left = y->rb_right;
	if (y->rb_right)
		y->rb_right->parent = x;
	change_child(x, y, x->parent, root);
	y->rb_right = x;
	x->parent = y;
}

void rb_insert_color(struct rb_node *z, struct rb_root *root)
{
	while (is_red(z->parent)) {
		struct rb_node *p = z->parent, *g = p->parent;
		if (p == g->rb_left) {
			struct rb_node *u = g->rb_right;
			if (is_red(u)) {
				p->color = u->color = RB_BLACK;
				g->color = RB_RED;
				z = g;
				continue;
			}
			if (z == p->rb_right) {
				rotate_left(p, root);
				z = p;
				p = z->parent;
			}
			p->color = RB_BLACK;
			g->color = RB_RED;
			rotate_right(g, root);
		} else {
			struct rb_node *u = g->rb_left;
			if (is_red(u)) {
				p->color = u->color = RB_BLACK;
				g->color = RB_RED;
				z = g;
				continue;
			}
			if (z == p->rb_left) {
				rotate_right(p, root);
				z = p;
				p = z->parent;
			}
			p->color = RB_BLACK;
			g->color = RB_RED;
			rotate_left(g, root);
		}
	}
	root->rb_node->color = RB_BLACK;
}

static void erase_fixup(struct rb_node *x, struct rb_node *parent,
			struct rb_root *root)
{
	while (x != root->rb_node && !is_red(x)) {
		if (x == parent->rb_left) {
			struct rb_node *w = parent->rb_right;
			if (is_red(w)) {
				w->color = RB_BLACK;
				parent->color = RB_RED;
				rotate_left(parent, root);
				w = parent->rb_right;
			}
			if (!is_red(w->rb_left) && !is_red(w->rb_right)) {
				w->color = RB_RED;
				x = parent;
				parent = x->parent;
			} else {
				if (!is_red(w->rb_right)) {
					w->rb_left->color = RB_BLACK;
					w->color = RB_RED;
					rotate_right(w, root);
					w = parent->rb_right;
				}
				w->color = parent->color;
				parent->color = RB_BLACK;
				if (w->rb_right)
					w->rb_right->color = RB_BLACK;
				rotate_left(parent, root);
				x = root->rb_node;
				break;
			}
		} else {
			struct rb_node *w = parent->rb_left;
			if (is_red(w)) {
				w->color = RB_BLACK;
				parent->color = RB_RED;
				rotate_right(parent, root);
				w = parent->rb_left;
			}
			if (!is_red(w->rb_left) && !is_red(w->rb_right)) {
				w->color = RB_RED;
				x = parent;
				parent = x->parent;
			} else {
				if (!is_red(w->rb_left)) {
					w->rb_right->color = RB_BLACK;
					w->color = RB_RED;
					rotate_left(w, root);
					w = parent->rb_left;
				}
				w->color = parent->color;
				parent->color = RB_BLACK;
				if (w->rb_left)
					w->rb_left->color = RB_BLACK;
				rotate_right(parent, root);
				x = root->rb_node;
				break;
			}
		}
	}
	if (x)
		x->color = RB_BLACK;
}

void rb_erase(struct rb_node *z, struct rb_root *root)
{
	struct rb_node *x, *x_parent;
	int removed_color = z->color;

	if (!z->rb_left) {
		x = z->rb_right;
		x_parent = z->parent;
		change_child(z, x, z->parent, root);
	} else if (!z->rb_right) {
		x = z->rb_left;
		x_parent = z->parent;
		change_child(z, x, z->parent, root);
	} else {
		struct rb_node *y = z->rb_right;
		while (y->rb_left)
			y = y->rb_left;
		removed_color = y->color;
		x = y->rb_right;
		if (y->parent == z) {
			x_parent = y;
		} else {
			x_parent = y->parent;
			change_child(y, x, y->parent, root);
			y->rb_right = z->rb_right;
			y->rb_right->parent = y;
		}
		change_child(z, y, z->parent, root);
		y->rb_left = z->rb_left;
		y->rb_left->parent = y;
		y->color = z->color;
	}
	if (removed_color == RB_BLACK)
		erase_fixup(x, x_parent, root);
	z->parent = z->rb_left = z->rb_right = NULL;
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;
	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	const struct rb_node *parent;
	while ((parent = node->parent) && node == parent->rb_right)
		node = parent;
	return (struct rb_node *)parent;
}

static int check_subtree(const struct rb_node *n, const struct rb_node *parent)
{
	if (!n)
		return 1;
	if (n->parent != parent)
		return -1;
	if (is_red(n) && (is_red(n->rb_left) || is_red(n->rb_right)))
		return -1;
	int l = check_subtree(n->rb_left, n);
	int r = check_subtree(n->rb_right, n);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + (n->color == RB_BLACK);
}

int rb_check(const struct rb_root *root)
{
	if (is_red(root->rb_node))
		return -1;
	return check_subtree(root->rb_node, NULL);
}
