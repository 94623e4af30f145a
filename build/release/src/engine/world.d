build/release/src/engine/world.o: src/engine/world.c src/engine/world.h \
 src/engine/coro.h src/engine/eventq.h src/engine/ids.h src/engine/prng.h \
 src/engine/trace.h src/engine/probe.h src/engine/probes.def
src/engine/world.h:
src/engine/coro.h:
src/engine/eventq.h:
src/engine/ids.h:
src/engine/prng.h:
src/engine/trace.h:
src/engine/probe.h:
src/engine/probes.def:
