/*
 * spinlock.h - spinlocks as real state.  A CPU that finds a lock held by
 * another CPU spins in virtual time (yielding so the holder can run), as a
 * real CPU would; the spin is counted.  Taking a lock the same CPU already
 * holds is the self-deadlock lockdep reports: kpath stops with a message.
 */
#ifndef KP_SCHED_SPINLOCK_H
#define KP_SCHED_SPINLOCK_H

#include <stdint.h>

typedef struct spinlock {
	int owner;           /* host-local CPU number holding it, -1 if free */
	uint32_t contended;  /* times a CPU had to spin for it */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED { .owner = -1, .contended = 0 }

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->owner = -1;
	lock->contended = 0;
}

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void spin_lock_bh(spinlock_t *lock);
void spin_unlock_bh(spinlock_t *lock);
void spin_lock_irqsave_(spinlock_t *lock, unsigned long *flags);
void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);
#define spin_lock_irqsave(lock, flags) spin_lock_irqsave_(lock, &(flags))
void spin_lock_irq(spinlock_t *lock);
void spin_unlock_irq(spinlock_t *lock);

static inline int spin_is_locked(const spinlock_t *lock)
{
	return lock->owner >= 0;
}

#endif
