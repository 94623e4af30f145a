build/release/src/sched/timer.o: src/sched/timer.c src/sched/timer.h \
 src/engine/list.h src/engine/probe.h src/engine/coro.h src/engine/ids.h \
 src/engine/trace.h src/engine/world.h src/engine/eventq.h \
 src/engine/prng.h src/engine/probes.def src/sched/host.h \
 src/sched/sched.h src/engine/coro.h src/engine/world.h \
 src/sched/softirq.h src/sched/irq.h
src/sched/timer.h:
src/engine/list.h:
src/engine/probe.h:
src/engine/coro.h:
src/engine/ids.h:
src/engine/trace.h:
src/engine/world.h:
src/engine/eventq.h:
src/engine/prng.h:
src/engine/probes.def:
src/sched/host.h:
src/sched/sched.h:
src/engine/coro.h:
src/engine/world.h:
src/sched/softirq.h:
src/sched/irq.h:
