build/release/src/main.o: src/main.c src/kernel/kernel.h \
 src/engine/world.h src/engine/coro.h src/engine/eventq.h \
 src/engine/ids.h src/engine/prng.h src/engine/trace.h src/engine/probe.h \
 src/engine/world.h src/engine/probes.def src/sched/host.h \
 src/sched/sched.h src/engine/coro.h src/engine/list.h \
 src/sched/softirq.h src/sched/irq.h
src/kernel/kernel.h:
src/engine/world.h:
src/engine/coro.h:
src/engine/eventq.h:
src/engine/ids.h:
src/engine/prng.h:
src/engine/trace.h:
src/engine/probe.h:
src/engine/world.h:
src/engine/probes.def:
src/sched/host.h:
src/sched/sched.h:
src/engine/coro.h:
src/engine/list.h:
src/sched/softirq.h:
src/sched/irq.h:
