build/release/src/engine/ids.o: src/engine/ids.c src/engine/ids.h
src/engine/ids.h:
