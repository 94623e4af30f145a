/*
 * console_out.c - the new console lines of the world, printed after each
 * command (see console_out.h).
 */
#include "console_out.h"

#include "engine/console.h"
#include "sched/host.h"
#include "session.h"

int kp_console_flush(struct kp_session *s, struct kp_out *out)
{
	struct kp_world *w = s->world;
	int n = 0;
	if (!w)
		return 0;
	struct kp_console *c = &w->console;
	for (; c->shown < c->len; c->shown++, n++) {
		const struct kp_console_line *l = &c->lines[c->shown];
		const char *host = "?";
		for (int i = 0; i < w->nr_hosts; i++)
			if (w->hosts[i]->id == l->host)
				host = w->hosts[i]->name;
		kp_printf(out, "[%s %s/%u] %s\n", host,
			  l->comm[0] ? l->comm : "?", l->pid, l->text);
	}
	return n;
}
