# kpath - build, test, run, check, bench, install.
#
#   make            build ./kpath
#   make run        the TUI (or, without a terminal, batch) on the default scenario
#   make test       every test; last line "N passed, N failed"
#   make check      the same tests under ASan+UBSan
#   make bench      benchmarks (-O2), one "NAME VALUE UNIT" line each
#   make fuzz       libFuzzer harnesses (clang), FUZZ_TIME seconds each
#   make install    PREFIX=/usr/local DESTDIR=
#
# CC=clang works as well as gcc.  KP_CORO_UCONTEXT=1 selects the ucontext
# coroutine switch instead of the hand-written one.

CC ?= cc
PREFIX ?= /usr/local
BUILD ?= build/release
OPT ?= -O2 -g
SAN ?=
PKG_CONFIG ?= pkg-config

NCURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
NCURSES_LIBS := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw)
PCAP_LIBS := $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || echo -lpcap)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
CFLAGS_ALL := -std=gnu11 $(OPT) $(SAN) $(WARN) -Isrc -D_GNU_SOURCE \
	-fno-strict-aliasing $(NCURSES_CFLAGS) $(CFLAGS)
ifeq ($(KP_CORO_UCONTEXT),1)
CFLAGS_ALL += -DKP_CORO_UCONTEXT
endif
ifneq ($(KP_DEBUG),)
CFLAGS_ALL += -DKP_DEBUG
endif
LDLIBS_ALL := -lreadline $(NCURSES_LIBS) $(PCAP_LIBS) -lm $(LDLIBS)

LIB_SRCS := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
DEPS := $(LIB_OBJS:.o=.d) $(BUILD)/src/main.d

.PHONY: all deps run test check bench install clean unit fidelity format fuzz
all: kpath

kpath: $(BUILD)/kpath
	cp $< $@

$(BUILD)/kpath: $(BUILD)/src/main.o $(BUILD)/libkpath.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/libkpath.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/kp_test.h $(BUILD)/libkpath.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libkpath.a $(LDLIBS_ALL)

$(BUILD)/bench: $(BENCH_SRCS) $(BUILD)/libkpath.a
	$(CC) $(CFLAGS_ALL) -Itests/bench -o $@ $(BENCH_SRCS) $(BUILD)/libkpath.a $(LDLIBS_ALL)

unit: $(UNIT_BINS)

# The Debian packages the build and the tests need (apt-get when missing).
deps:
	@sh scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory kpath
	@if [ -t 0 ] && [ -t 1 ]; then ./kpath scripts/tui-start.kp; else ./kpath --batch scripts/default.kp; fi

# The tests run $(BUILD)/kpath itself (not a copy in ./), so that two
# runs with different BUILDs (make test, make check) never collide.
test: deps
	@$(MAKE) --no-print-directory $(BUILD)/kpath unit
	@KPATH=$(BUILD)/kpath BUILD=$(BUILD) tests/run.sh

# check: the libFuzzer harnesses for CHECK_FUZZ_TIME seconds each first
# (skipped, with a message, without clang), then every test under
# ASan+UBSan, so the last line is still "N passed, N failed".
CHECK_FUZZ_TIME ?= 60

check:
	@if command -v clang >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(CHECK_FUZZ_TIME) || exit 1; \
	else \
		echo "make check: clang not found, fuzz harnesses skipped"; \
	fi
	$(MAKE) BUILD=build/san OPT='-O1 -g -fno-omit-frame-pointer' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' \
		KP_DEBUG=1 test

bench:
	$(MAKE) BUILD=build/bench OPT='-O2 -DNDEBUG' build/bench/bench build/bench/kpath
	@build/bench/bench build/bench/kpath

# Fuzzing (clang's libFuzzer): tests/fuzz/fuzz_*.c, each linked with the
# library built with -fsanitize=fuzzer-no-link,address,undefined; each
# runs FUZZ_TIME seconds on a corpus in $(FUZZ_BUILD)/corpus/NAME seeded
# from ../shared/captures (whole files for fuzz_pcap, their frames for
# fuzz_decode, the scenario scripts' lines for fuzz_command, the .pkt
# scripts of tests/packetdrill for fuzz_packetdrill).
FUZZ_TIME ?= 60
FUZZ_BUILD := build/fuzz
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libkpath.a
	clang $(CFLAGS_ALL) -fsanitize=fuzzer,address,undefined -o $@ $< \
		$(FUZZ_BUILD)/libkpath.a $(LDLIBS_ALL)

fuzz:
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) OPT='-O1 -g' \
		SAN='-fsanitize=fuzzer-no-link,address,undefined' \
		$(FUZZ_BUILD)/libkpath.a $(FUZZ_BINS)
	@tests/fuzz/fuzz.sh $(FUZZ_BUILD) $(FUZZ_TIME)

fidelity: $(BUILD)/kpath
	@KPATH=$(BUILD)/kpath tests/fidelity/run.sh

install: $(BUILD)/kpath
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7 \
		$(DESTDIR)$(PREFIX)/share/kpath
	install -m 755 $(BUILD)/kpath $(DESTDIR)$(PREFIX)/bin/kpath
	for f in man/*.1; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man1/; done; true
	for f in man/*.5; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man5/; done; true
	for f in man/*.7; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man7/; done; true
	cp -r scripts $(DESTDIR)$(PREFIX)/share/kpath/

format:
	clang-format -i $(LIB_SRCS) src/main.c

clean:
	rm -rf build kpath

-include $(DEPS)
