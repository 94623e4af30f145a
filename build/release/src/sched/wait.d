build/release/src/sched/wait.o: src/sched/wait.c src/sched/wait.h \
 src/engine/ids.h src/engine/list.h src/sched/spinlock.h \
 src/engine/probe.h src/engine/coro.h src/engine/ids.h src/engine/trace.h \
 src/engine/world.h src/engine/eventq.h src/engine/prng.h \
 src/engine/probes.def src/sched/sched.h src/engine/coro.h \
 src/engine/world.h
src/sched/wait.h:
src/engine/ids.h:
src/engine/list.h:
src/sched/spinlock.h:
src/engine/probe.h:
src/engine/coro.h:
src/engine/ids.h:
src/engine/trace.h:
src/engine/world.h:
src/engine/eventq.h:
src/engine/prng.h:
src/engine/probes.def:
src/sched/sched.h:
src/engine/coro.h:
src/engine/world.h:
