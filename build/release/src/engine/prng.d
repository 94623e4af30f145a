build/release/src/engine/prng.o: src/engine/prng.c src/engine/prng.h
src/engine/prng.h:
