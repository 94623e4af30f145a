build/release/src/sched/spinlock.o: src/sched/spinlock.c \
 src/sched/spinlock.h src/sched/irq.h src/sched/sched.h src/engine/coro.h \
 src/engine/list.h src/engine/world.h src/engine/coro.h \
 src/engine/eventq.h src/engine/ids.h src/engine/prng.h \
 src/engine/trace.h src/sched/softirq.h
src/sched/spinlock.h:
src/sched/irq.h:
src/sched/sched.h:
src/engine/coro.h:
src/engine/list.h:
src/engine/world.h:
src/engine/coro.h:
src/engine/eventq.h:
src/engine/ids.h:
src/engine/prng.h:
src/engine/trace.h:
src/sched/softirq.h:
