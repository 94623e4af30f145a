build/release/src/engine/probe.o: src/engine/probe.c src/engine/probe.h \
 src/engine/coro.h src/engine/ids.h src/engine/trace.h src/engine/world.h \
 src/engine/eventq.h src/engine/prng.h src/engine/probes.def
src/engine/probe.h:
src/engine/coro.h:
src/engine/ids.h:
src/engine/trace.h:
src/engine/world.h:
src/engine/eventq.h:
src/engine/prng.h:
src/engine/probes.def:
