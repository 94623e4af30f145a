/*
 * complete_rl.c - completions as readline's match array (see
 * complete_rl.h).
 */
#include "complete_rl.h"

#include <stdlib.h>
#include <string.h>

static char *longest_common_prefix(char *const *v, int n)
{
	size_t len = strlen(v[0]);
	for (int i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && v[i][k] == v[0][k])
			k++;
		len = k;
	}
	return strndup(v[0], len);
}

char **kp_completions_to_readline(struct kp_completions *c)
{
	if (c->n == 0) {
		kp_completions_free(c);
		return NULL;
	}
	char **m = calloc((size_t)c->n + 2, sizeof(*m));
	if (!m) {
		kp_completions_free(c);
		return NULL;
	}
	if (c->n == 1) {
		m[0] = c->v[0];
	} else {
		m[0] = longest_common_prefix(c->v, c->n);
		memcpy(m + 1, c->v, (size_t)c->n * sizeof(*m));
	}
	free(c->v); /* the strings now belong to readline */
	c->v = NULL;
	c->n = c->cap = 0;
	return m;
}
