/*
 * complete.c - completion candidates.
 */
#include "complete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine/probe.h"
#include "sched/host.h"
#include "session.h"
#include "settings.h"
#include "tokenize.h"

void kp_completions_init(struct kp_completions *c, const char *text)
{
	memset(c, 0, sizeof(*c));
	c->text = text;
	c->text_len = strlen(text);
}

void kp_completions_free(struct kp_completions *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

void kp_complete_add(struct kp_completions *c, const char *word)
{
	if (strncmp(word, c->text, c->text_len) != 0)
		return;
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 32;
		char **nv = realloc(c->v, (size_t)cap * sizeof(*nv));
		if (!nv)
			return;
		c->v = nv;
		c->cap = cap;
	}
	char *copy = strdup(word);
	if (copy)
		c->v[c->n++] = copy;
}

void kp_complete_functions(struct kp_completions *c)
{
	for (int i = 0; i < KP_NR_PROBES; i++)
		kp_complete_add(c, kp_probes[i].name);
}

void kp_complete_hosts(struct kp_session *s, struct kp_completions *c)
{
	for (int i = 0; i < s->world->nr_hosts; i++)
		kp_complete_add(c, s->world->hosts[i]->name);
}

void kp_complete_settings(struct kp_completions *c)
{
	for (size_t i = 0; i < kp_nr_settings; i++)
		kp_complete_add(c, kp_settings[i].name);
}

void kp_complete_breakpoints(struct kp_session *s, struct kp_completions *c)
{
	char num[16];
	for (int i = 0; i < s->world->nr_bps; i++) {
		snprintf(num, sizeof(num), "%d", s->world->bps[i].number);
		kp_complete_add(c, num);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void finish(struct kp_completions *c)
{
	int out = 0;
	if (c->n == 0)
		return;
	qsort(c->v, (size_t)c->n, sizeof(*c->v), cmp_str);
	for (int i = 0; i < c->n; i++) {
		if (out && strcmp(c->v[out - 1], c->v[i]) == 0) {
			free(c->v[i]);
			continue;
		}
		c->v[out++] = c->v[i];
	}
	c->n = out;
}

/* Word @k of the command names whose first @k words are @words
 * ("info " -> breakpoints, cpus, functions).  Aliases are not offered:
 * they are shorthand for people who already know the name. */
static void complete_name_words(struct kp_completions *c, int k,
				char *const *words)
{
	char word[64];
	for (size_t i = 0; i < kp_cmd_count; i++) {
		const char *name = kp_cmd_table[i]->name;
		if (kp_cmd_name_words(name) <= k)
			continue;
		bool same = true;
		for (int w = 0; w < k && same; w++) {
			kp_cmd_name_word(name, w, word, sizeof(word));
			same = strcmp(word, words[w]) == 0;
		}
		if (same && kp_cmd_name_word(name, k, word, sizeof(word)))
			kp_complete_add(c, word);
	}
}

void kp_complete_line(struct kp_session *s, const char *line, size_t start,
		      struct kp_completions *c)
{
	struct kp_args args;
	char err[128];
	char *before = strndup(line, start);

	if (!before)
		return;
	if (kp_tokenize(before, &args, err, sizeof(err)) == 0) {
		complete_name_words(c, args.argc, args.argv);
		int used;
		const struct kp_cmd *cmd =
			args.argc ? kp_cmd_lookup(args.argc, args.argv, &used)
				  : NULL;
		if (cmd && cmd->complete)
			cmd->complete(s, args.argc - used, args.argv + used, c);
		kp_args_free(&args);
	}
	free(before);
	finish(c);
}
