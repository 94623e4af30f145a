build/release/src/engine/coro.o: src/engine/coro.c src/engine/coro.h
src/engine/coro.h:
