/*
 * test_rbtree.c - the red-black tree stays valid and ordered through
 * random inserts and erases.
 */
#include "engine/prng.h"
#include "kp_test.h"
#include "lib/rbtree.h"

struct item {
	struct rb_node rb;
	int key;
	bool in;
};

static void insert(struct rb_root *root, struct item *it)
{
	struct rb_node **p = &root->rb_node, *parent = NULL;
	while (*p) {
		parent = *p;
		struct item *cur = rb_entry(parent, struct item, rb);
		p = it->key < cur->key ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&it->rb, parent, p);
	rb_insert_color(&it->rb, root);
	it->in = true;
}

KP_TEST(random_inserts_and_erases_keep_the_tree_valid)
{
	enum { N = 2000 };
	static struct item items[N];
	struct rb_root root = RB_ROOT;
	struct kp_prng p;
	kp_prng_seed(&p, 11);
	for (int i = 0; i < N; i++) {
		items[i].key = (int)kp_prng_below(&p, 100000);
		items[i].in = false;
	}
	for (int round = 0; round < 6 * N; round++) {
		struct item *it = &items[kp_prng_below(&p, N)];
		if (it->in) {
			rb_erase(&it->rb, &root);
			it->in = false;
		} else {
			insert(&root, it);
		}
		if (round % 97 == 0)
			KP_CHECK(st, rb_check(&root) >= 0);
	}
	KP_CHECK(st, rb_check(&root) >= 0);
	int count = 0, last = -1;
	for (struct rb_node *n = rb_first(&root); n; n = rb_next(n)) {
		struct item *it = rb_entry(n, struct item, rb);
		KP_CHECK(st, it->key >= last);
		last = it->key;
		count++;
	}
	int want = 0;
	for (int i = 0; i < N; i++)
		want += items[i].in;
	KP_CHECK_EQ(st, count, want);
	for (int i = 0; i < N; i++)
		if (items[i].in)
			rb_erase(&items[i].rb, &root);
	KP_CHECK(st, RB_EMPTY_ROOT(&root));
}

KP_TEST_MAIN(random_inserts_and_erases_keep_the_tree_valid)
