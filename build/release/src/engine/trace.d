build/release/src/engine/trace.o: src/engine/trace.c src/engine/trace.h
src/engine/trace.h:
