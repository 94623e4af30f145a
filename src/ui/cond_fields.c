/*
 * cond_fields.c - the condition fields every probe has: where it runs
 * (cpu, host, task, context) and what its trace record carries (object,
 * argument, depth).
 */
#include <string.h>

#include "cond.h"
#include "sched/host.h"
#include "format_sched.h"

bool cond_cpu(const struct kp_probe_ctx *p, struct kp_value *v)
{
	kp_value_int(v, p->v ? p->v->cpu_id : -1);
	return true;
}

bool cond_host(const struct kp_probe_ctx *p, struct kp_value *v)
{
	int host = p->rec->host;
	if (host >= p->w->nr_hosts)
		return false;
	kp_value_str(v, p->w->hosts[host]->name);
	return true;
}

bool cond_pid(const struct kp_probe_ctx *p, struct kp_value *v)
{
	if (!p->v)
		return false;
	kp_value_int(v, p->v->pid);
	return true;
}

bool cond_comm(const struct kp_probe_ctx *p, struct kp_value *v)
{
	if (!p->v)
		return false;
	kp_value_str(v, kp_task_comm(p->w, p->v->host_id, p->v->cpu_id,
				     p->v->pid));
	return true;
}

bool cond_ctx(const struct kp_probe_ctx *p, struct kp_value *v)
{
	kp_value_str(v, kp_ctx_name((enum kp_ctx_kind)p->rec->ctx));
	return true;
}

bool cond_obj(const struct kp_probe_ctx *p, struct kp_value *v)
{
	if (!p->obj || !p->obj->kind)
		return false;
	kp_value_obj(v, p->obj->kind, p->obj->id);
	return true;
}

bool cond_arg(const struct kp_probe_ctx *p, struct kp_value *v)
{
	kp_value_int(v, (int64_t)p->rec->arg);
	return true;
}

bool cond_depth(const struct kp_probe_ctx *p, struct kp_value *v)
{
	kp_value_int(v, p->rec->depth);
	return true;
}
