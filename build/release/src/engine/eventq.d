build/release/src/engine/eventq.o: src/engine/eventq.c \
 src/engine/eventq.h
src/engine/eventq.h:
