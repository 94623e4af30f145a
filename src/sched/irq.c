/*
 * irq.c - interrupt lines, do_IRQ, irq_enter/irq_exit and the CPU's
 * interrupt flag (arch/x86/kernel/irq.c, kernel/softirq.c,
 * kernel/irq/handle.c).
 */
#include "irq.h"

#include <stdio.h>
#include <string.h>

#include "engine/probe.h"
#include "host.h"
#include "smp.h"
#include "softirq.h"
#include "timer.h"

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev)
{
	(void)flags;
	struct kp_host *h = current_host();
	if (irq >= KP_NR_IRQS || h->irq_desc[irq].handler)
		return -16; /* -EBUSY */
	struct irq_desc *desc = &h->irq_desc[irq];
	desc->handler = handler;
	desc->dev_id = dev;
	snprintf(desc->name, sizeof(desc->name), "%s", name);
	return 0;
}

void free_irq(unsigned int irq, void *dev)
{
	struct kp_host *h = current_host();
	if (irq >= KP_NR_IRQS || h->irq_desc[irq].dev_id != dev)
		return;
	h->irq_desc[irq].handler = NULL;
	h->irq_desc[irq].dev_id = NULL;
}

int kp_irq_alloc_line(struct kp_host *h)
{
	/* Line 0 is the local timer, 1 the function-call IPI; device
	 * lines come after them, and a line is taken once it has a name. */
	for (int i = 1; i < KP_NR_IRQS; i++)
		if (!h->irq_desc[i].name[0])
			return i;
	return -1;
}

int irq_set_affinity(struct kp_host *h, unsigned int irq, int cpu)
{
	if (irq >= KP_NR_IRQS || cpu < 0 || cpu >= h->nr_cpus)
		return -22; /* -EINVAL */
	h->irq_desc[irq].affinity = cpu;
	return 0;
}

void kp_irq_raise(struct kp_host *h, unsigned int irq)
{
	int target = irq == LOCAL_TIMER_IRQ ? 0 : h->irq_desc[irq].affinity;
	struct kp_cpu *cpu = h->cpus[target];
	cpu->irq_lines |= 1ull << irq;
	cpu->v.irq_pending = true;
	kp_vcpu_kick(&cpu->v, h->world->now);
}

void irq_enter(void)
{
	KP_FUNC0(irq_enter);
	struct kp_cpu *cpu = this_cpu();
	if (!(cpu->preempt_count & HARDIRQ_MASK))
		cpu->irq_enter_time = cpu->v.clock;
	cpu->preempt_count += HARDIRQ_OFFSET;
	kp_cpu_update_ctx(cpu);
}

void irq_exit(void)
{
	KP_FUNC0(irq_exit);
	struct kp_cpu *cpu = this_cpu();
	cpu->preempt_count -= HARDIRQ_OFFSET;
	if (!(cpu->preempt_count & HARDIRQ_MASK))
		cpu->hardirq_ns += cpu->v.clock - cpu->irq_enter_time;
	kp_cpu_update_ctx(cpu);
	if (!in_interrupt() && local_softirq_pending())
		invoke_softirq();
}

static irqreturn_t handle_irq_event(struct irq_desc *desc, unsigned int irq)
{
	KP_FUNC_ARG(handle_irq_event, KP_NOOBJ, irq);
	if (!desc->handler)
		return IRQ_NONE;
	return desc->handler((int)irq, desc->dev_id);
}

void do_IRQ(unsigned int irq)
{
	KP_FUNC_ARG(do_IRQ, KP_NOOBJ, irq);
	struct kp_cpu *cpu = this_cpu();
	struct kp_host *h = cpu->host;
	irq_enter();
	h->irq_desc[irq].count[cpu->id]++;
	if (irq == LOCAL_TIMER_IRQ)
		local_apic_timer_interrupt();
	else if (irq == CALL_FUNCTION_IRQ)
		generic_smp_call_function_single_interrupt();
	else
		handle_irq_event(&h->irq_desc[irq], irq);
	irq_exit();
}

/* The hardware's part: interrupts off on entry, back on at iret. */
static void sched_take_irq(struct kp_vcpu *v)
{
	struct kp_cpu *cpu = kp_cpu_of(v);
	while (cpu->irq_lines && !v->irqs_disabled) {
		unsigned int irq = (unsigned int)__builtin_ctzll(cpu->irq_lines);
		cpu->irq_lines &= ~(1ull << irq);
		v->irq_pending = cpu->irq_lines != 0;
		v->irqs_disabled = true;
		do_IRQ(irq);
		/* do_IRQ may have run softirqs that moved us nowhere: an
		 * interrupt never changes CPU. */
		v->irqs_disabled = false;
	}
	v->irq_pending = cpu->irq_lines != 0;
}

const struct kp_vcpu_ops kp_sched_vcpu_ops = {
	.take_irq = sched_take_irq,
};

void local_irq_disable(void)
{
	kp_current_thread_info()->cpu->irqs_disabled = true;
}

void local_irq_enable(void)
{
	struct kp_vcpu *v = kp_current_thread_info()->cpu;
	v->irqs_disabled = false;
	if (v->irq_pending)
		v->ops->take_irq(v);
}

unsigned long arch_local_irq_save(void)
{
	struct kp_vcpu *v = kp_current_thread_info()->cpu;
	unsigned long flags = v->irqs_disabled;
	v->irqs_disabled = true;
	return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
	if (!flags)
		local_irq_enable();
}
