#include <stdio.h>
#include "kernel/kernel.h"
#include "engine/probe.h"
#include "sched/host.h"
int main(void)
{
	struct kp_world_config cfg;
	kp_world_config_default(&cfg);
	struct kp_world *w = kp_world_new(&cfg);
	kp_world_set_mode(w, KP_RUN_CONTINUE, 0);
	enum kp_stop_reason r = kp_world_run(w);
	printf("stop %d seq %lu now %lu\n", r, (unsigned long)w->trace.seq, (unsigned long)w->now);
	for (uint64_t s = 0; s < w->trace.seq; s++) {
		const struct kp_trace_rec *t = kp_trace_get(&w->trace, s);
		printf("%lu %lu h%d c%d ctx%d pid%u %*s%s\n", (unsigned long)t->seq, (unsigned long)t->time, t->host, t->cpu, t->ctx, t->pid, t->depth*2, "", kp_probes[t->probe].name);
	}
	kp_world_free(w);
	return 0;
}
