/*
 * record.c - the input log and positions in a run (record.h).  No kernel
 * counterpart: this is kpath's re-execution machinery, the equivalent of
 * rr's recording of a process's inputs.
 */
#include "record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

void kp_input_log_init(struct kp_input_log *log)
{
	memset(log, 0, sizeof(*log));
}

void kp_input_log_truncate(struct kp_input_log *log, size_t n)
{
	while (log->n > n)
		free(log->v[--log->n].line);
	if (log->applied > log->n)
		log->applied = log->n;
}

void kp_input_log_free(struct kp_input_log *log)
{
	kp_input_log_truncate(log, 0);
	free(log->v);
	kp_input_log_init(log);
}

int kp_input_log_append(struct kp_input_log *log, const struct kp_pos *pos,
			uint64_t now, const char *line)
{
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 16;
		struct kp_input *v = realloc(log->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		log->v = v;
		log->cap = cap;
	}
	char *copy = strdup(line);
	if (!copy)
		return -ENOMEM;
	log->v[log->n].pos = *pos;
	log->v[log->n].now = now;
	log->v[log->n].line = copy;
	log->n++;
	return 0;
}

void kp_pos_of_world(const struct kp_world *w, bool started,
		     struct kp_pos *pos)
{
	const struct kp_stop_ctl *c = &w->stop_ctl;
	memset(pos, 0, sizeof(*pos));
	if (!started) {
		pos->kind = KP_POS_BOOT;
		return;
	}
	switch (c->reason) {
	case KP_STOP_IDLE:
		pos->kind = KP_POS_IDLE;
		pos->seq = w->trace.seq;
		return;
	case KP_STOP_UNTIL:
		pos->kind = KP_POS_UNTIL;
		pos->seq = w->trace.seq;
		pos->arg = w->now;
		return;
	case KP_STOP_REQUEST:
		/* the model asked (a network tool's call is done): the
		 * stop is after an event, not at a probe */
		if (c->message) {
			pos->kind = KP_POS_EVENT;
			pos->seq = w->trace.seq;
			return;
		}
		break;
	default:
		break;
	}
	if (c->at_exit) {
		pos->kind = KP_POS_EXIT;
		pos->seq = c->seq;
		pos->arg = c->depth;
		return;
	}
	pos->kind = KP_POS_PROBE;
	pos->seq = c->seq;
}

/* (records written, then probe < exit < the stops between events) */
uint64_t kp_pos_key(const struct kp_pos *pos)
{
	switch (pos->kind) {
	case KP_POS_BOOT:
		return 0;
	case KP_POS_PROBE:
		return (pos->seq + 1) * 4;
	case KP_POS_EXIT:
		return (pos->seq + 1) * 4 + 1;
	default:
		return pos->seq * 4 + 2;
	}
}

bool kp_pos_equal(const struct kp_pos *a, const struct kp_pos *b)
{
	return a->kind == b->kind && a->seq == b->seq && a->arg == b->arg;
}

void kp_pos_format(const struct kp_pos *pos, char *buf, size_t size)
{
	switch (pos->kind) {
	case KP_POS_BOOT:
		snprintf(buf, size, "@boot");
		break;
	case KP_POS_PROBE:
		snprintf(buf, size, "@%" PRIu64, pos->seq);
		break;
	case KP_POS_EXIT:
		snprintf(buf, size, "@%" PRIu64 ":exit:%" PRIu64, pos->seq,
			 pos->arg);
		break;
	case KP_POS_IDLE:
		snprintf(buf, size, "@%" PRIu64 ":idle", pos->seq);
		break;
	case KP_POS_UNTIL:
		snprintf(buf, size, "@%" PRIu64 ":until:%" PRIu64, pos->seq,
			 pos->arg);
		break;
	case KP_POS_EVENT:
		snprintf(buf, size, "@%" PRIu64 ":event", pos->seq);
		break;
	}
}

static int parse_u64(const char *s, const char **end, uint64_t *v)
{
	char *e;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	unsigned long long n = strtoull(s, &e, 10);
	if (errno)
		return -EINVAL;
	*v = n;
	*end = e;
	return 0;
}

int kp_pos_parse(const char *text, struct kp_pos *pos)
{
	const char *p = text;
	memset(pos, 0, sizeof(*pos));
	if (*p == '@')
		p++;
	if (strcmp(p, "boot") == 0) {
		pos->kind = KP_POS_BOOT;
		return 0;
	}
	if (parse_u64(p, &p, &pos->seq))
		return -EINVAL;
	if (*p == 0) {
		pos->kind = KP_POS_PROBE;
		return 0;
	}
	if (strcmp(p, ":idle") == 0) {
		pos->kind = KP_POS_IDLE;
		return 0;
	}
	if (strcmp(p, ":event") == 0) {
		pos->kind = KP_POS_EVENT;
		return 0;
	}
	if (strncmp(p, ":exit:", 6) == 0) {
		pos->kind = KP_POS_EXIT;
		p += 6;
	} else if (strncmp(p, ":until:", 7) == 0) {
		pos->kind = KP_POS_UNTIL;
		p += 7;
	} else {
		return -EINVAL;
	}
	if (parse_u64(p, &p, &pos->arg) || *p)
		return -EINVAL;
	return 0;
}

int kp_pos_parse_now(const char *text, struct kp_pos *pos, uint64_t *now)
{
	char word[64];
	const char *comma = strchr(text, ',');
	*now = 0;
	if (!comma)
		return kp_pos_parse(text, pos);
	size_t len = (size_t)(comma - text);
	if (len >= sizeof(word) || strncmp(comma, ",t=", 3) != 0)
		return -EINVAL;
	memcpy(word, text, len);
	word[len] = 0;
	const char *end;
	if (parse_u64(comma + 3, &end, now) || *end)
		return -EINVAL;
	return kp_pos_parse(word, pos);
}
