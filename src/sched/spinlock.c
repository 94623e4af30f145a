/*
 * spinlock.c - spinlocks that spin in virtual time.
 */
#include "spinlock.h"

#include <stdio.h>
#include <stdlib.h>

#include "irq.h"
#include "sched.h"
#include "softirq.h"

/* What one turn of the spin loop costs a CPU, in ns. */
#define SPIN_TURN_NS 20

/* The lock is held: report recursion, else spin until it is free.  Out
 * of line, so that the free-lock path of spin_lock needs no stack frame
 * (~20 instructions of register saves a call). */
static __attribute__((noinline)) void spin_lock_contended(spinlock_t *lock,
							   struct kp_cpu *cpu)
{
	if (lock->owner == cpu->id) {
		fprintf(stderr, "kpath: BUG: spinlock recursion on CPU %d "
				"(lockdep would report a self-deadlock)\n",
			cpu->id);
		abort();
	}
	lock->contended++;
	while (lock->owner >= 0) {
		cpu->v.clock += SPIN_TURN_NS;
		kp_vcpu_yield(&cpu->v);
	}
	lock->owner = cpu->id;
}

void spin_lock(spinlock_t *lock)
{
	struct kp_cpu *cpu = this_cpu();
	if (lock->owner >= 0) {
		spin_lock_contended(lock, cpu);
		return;
	}
	lock->owner = cpu->id;
}

void spin_unlock(spinlock_t *lock)
{
	lock->owner = -1;
}

void spin_lock_bh(spinlock_t *lock)
{
	local_bh_disable();
	spin_lock(lock);
}

void spin_unlock_bh(spinlock_t *lock)
{
	spin_unlock(lock);
	local_bh_enable();
}

void spin_lock_irqsave_(spinlock_t *lock, unsigned long *flags)
{
	*flags = arch_local_irq_save();
	spin_lock(lock);
}

void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	arch_local_irq_restore(flags);
}

void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	local_irq_enable();
}
