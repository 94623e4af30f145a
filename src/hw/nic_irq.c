/*
 * nic_irq.c - the device's interrupt logic for MSI-X: per vector a cause
 * bit (EICR), a mask bit (EIMS, auto-cleared on firing as igb sets EIAM),
 * and the EITR throttle: a vector fires at most once per interval, and a
 * cause that comes sooner waits for the interval timer.
 *
 * Mirrors the 82576 datasheet's interrupt moderation (7.3.4).  Left out:
 * the low-latency-interrupt (LLI) filters and the EITR counter-ignore
 * subtleties.  When it fires, the device raises the host IRQ line held
 * in the vector's MSI-X table entry (kp_irq_raise).
 */
#include "nic.h"

#include "engine/probe.h"
#include "sched/irq.h"
#include "sched/host.h"

uint64_t kp_nic_itr_interval_ns(uint32_t eitr)
{
	/* bits 14:2 in 1 us units (igb: IGB_20K_ITR = 196 -> 49 us) */
	return (uint64_t)((eitr & 0x7ffc) >> 2) * 1000;
}

static uint16_t host_id(const struct kp_nic *nic)
{
	return nic->host ? nic->host->id : 0;
}

/* irq_fire and irq_defer are out of line, so that irq_try, which most
 * causes leave early (the EITR timer of their vector already pending, or
 * the vector masked), needs no stack frame and inlines into
 * kp_nic_irq_cause. */
static __attribute__((noinline)) void irq_fire(struct kp_nic *nic, int i)
{
	struct kp_nic_vector *v = &nic->vec[i];
	struct kp_world *w = nic->world;
	v->cause = false;
	v->fired_once = true;
	v->last_fire = w->now;
	v->fired++;
	if (nic->eiam & (1u << i))
		nic->eims &= ~(1u << i);
	kp_probe_hw(w, KP_P_e1000_raise_msix, host_id(nic), NULL,
		    (uint64_t)i);
	if (v->irq && v->irq < KP_NR_IRQS && nic->host)
		kp_irq_raise(nic->host, v->irq);
}

static void irq_try(struct kp_nic *nic, int i);

/* The EITR interval is over: a held-back cause may fire now. */
static void itr_timer_fn(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	irq_try(arg, (int)data);
}

/* A register write (EIMS, EICS) asks the device to look again. */
static void irq_check_fn(struct kp_world *w, void *arg, uint64_t data)
{
	(void)w;
	irq_try(arg, (int)data);
}

/* Hold the cause back until the EITR interval that began at the last
 * interrupt is over (@at). */
static __attribute__((noinline)) void irq_defer(struct kp_nic *nic, int i,
						uint64_t at)
{
	nic->vec[i].deferred++;
	kp_world_at(nic->world, at, itr_timer_fn, nic, (uint64_t)i,
		    &nic->vec[i].timer);
}

static inline void irq_try(struct kp_nic *nic, int i)
{
	struct kp_nic_vector *v = &nic->vec[i];
	struct kp_world *w = nic->world;
	if (!v->cause || !(nic->eims & (1u << i)))
		return;
	uint64_t interval = kp_nic_itr_interval_ns(v->eitr);
	if (v->fired_once && w->now < v->last_fire + interval) {
		if (!v->timer)
			irq_defer(nic, i, v->last_fire + interval);
		return;
	}
	irq_fire(nic, i);
}

void kp_nic_irq_cause(struct kp_nic *nic, int vector)
{
	if (vector < 0 || vector >= KP_NIC_MAX_VECTORS)
		return;
	nic->vec[vector].cause = true;
	if (nic->world->running)
		kp_nic_irq_check_later(nic, vector); /* an MMIO write (EICS) */
	else if (nic->eims & (1u << vector))
		irq_try(nic, vector);
	/* else masked: irq_try would return at once, and the EIMS write
	 * that unmasks the vector looks again */
}

void kp_nic_irq_check_later(struct kp_nic *nic, int vector)
{
	struct kp_nic_vector *v = &nic->vec[vector];
	if (v->check)
		return;
	kp_world_at(nic->world, kp_nic_now(nic), irq_check_fn, nic,
		    (uint64_t)vector, &v->check);
}

void kp_nic_irq_cancel(struct kp_nic *nic)
{
	for (int i = 0; i < KP_NIC_MAX_VECTORS; i++) {
		kp_eventq_cancel(&nic->world->events, &nic->vec[i].timer);
		kp_eventq_cancel(&nic->world->events, &nic->vec[i].check);
	}
}

void kp_nic_irq_reset(struct kp_nic *nic)
{
	kp_nic_irq_cancel(nic);
	nic->eims = nic->eiac = nic->eiam = 0;
	for (int i = 0; i < KP_NIC_MAX_VECTORS; i++) {
		struct kp_nic_vector *v = &nic->vec[i];
		v->eitr = 0;
		v->cause = false;
		v->fired_once = false;
		v->last_fire = 0;
	}
}
