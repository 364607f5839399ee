# Haven: `make` builds ./haven, `make run` installs what is missing and starts it with demo
# data, `make test` runs every suite (unit plain + ASan/UBSan, fuzz seeds, integration, browser).
CC       ?= cc
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
VERSION  := 0.1.0

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-qual
CPPFLAGS += -D_GNU_SOURCE -DHAVEN_VERSION='"$(VERSION)"' -Isrc -Ibuild/gen -MMD -MP
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 $(WARN) -fstack-protector-strong -D_FORTIFY_SOURCE=2 -pthread
LIBS     := -lmicrohttpd -ljansson -lsqlite3 -lsodium -loath -lqrencode -lz -lcurl -pthread
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC      := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
EMBED    := $(sort $(wildcard templates/*/*.html) $(wildcard static/*) $(wildcard migrations/*.sql) \
              $(wildcard demo/*.sql) $(wildcard demo/*.json))
UNIT     := $(shell find tests/unit -name 'test_*.c' 2>/dev/null | sort)
FUZZ     := $(wildcard tests/fuzz/fuzz_*.c)

OBJ      := $(SRC:%.c=build/obj/%.o) build/obj/gen/embedded.o
SOBJ     := $(SRC:%.c=build/asan/%.o) build/asan/gen/embedded.o
FOBJ     := $(SRC:%.c=build/fuzzobj/%.o) build/fuzzobj/gen/embedded.o
UNIT_BIN := $(UNIT:tests/unit/%.c=build/test/%)
UNIT_SAN := $(UNIT:tests/unit/%.c=build/test-asan/%)
FUZZ_BIN := $(FUZZ:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all run deps deps-test test unit unit-asan fuzz fuzz-check fuzz-long integ e2e lint install \
        clean bench load-test
all: haven

haven: build/obj/src/main.o build/libhaven.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/libhaven.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

build/obj/%.o: %.c | build/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/obj/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/gen/embedded.c: build/embed $(EMBED)
	@mkdir -p $(dir $@)
	build/embed $@ $(EMBED)

build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O1 -o $@ $<

# Sanitizer build of the same sources, for the unit tests' second run.
build/asan/%.o: %.c | build/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c17 $(WARN) $(SANFLAGS) -pthread -c -o $@ $<

build/asan/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c17 $(SANFLAGS) -c -o $@ $<

build/libhaven-asan.a: $(SOBJ)
	@rm -f $@
	ar rcs $@ $^

build/test/%: tests/unit/%.c build/libhaven.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< build/libhaven.a $(LIBS) -lcmocka

build/test-asan/%: tests/unit/%.c build/libhaven-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c17 $(WARN) $(SANFLAGS) -pthread -o $@ $< build/libhaven-asan.a $(LIBS) -lcmocka

# The fuzz drivers share one instrumented build of the sources (compiled once, in parallel);
# every sanitizer report is fatal (-fno-sanitize-recover), so a replay or a run fails on it.
build/fuzzobj/%.o: %.c | build/gen/embedded.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -std=c17 $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzzobj/gen/embedded.o: build/gen/embedded.c
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -std=c17 $(FUZZFLAGS) -c -o $@ $<

build/libhaven-fuzz.a: $(FOBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) build/libhaven-fuzz.a
	@mkdir -p $(dir $@)
	clang $(filter-out -MMD -MP,$(CPPFLAGS)) -std=c17 $(FUZZFLAGS) -fsanitize=fuzzer \
	    -o $@ $< build/libhaven-fuzz.a $(LIBS)

deps:
	@tools/deps.sh

deps-test:
	@tools/deps.sh --test

run: deps haven
	HAVEN_DEMO_REFERRALS=1 ./haven serve --demo

unit: $(UNIT_BIN)
	@tools/run-unit.sh $(UNIT_BIN)

unit-asan: $(UNIT_SAN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tools/run-unit.sh $(UNIT_SAN)

fuzz: $(FUZZ_BIN)

# Replays every seed corpus (no new fuzzing) so a crash found once stays fixed.
fuzz-check: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$${f##*/fuzz_}; \
	    $$f -runs=0 -artifact_prefix=build/fuzz/$$n- tests/fuzz/corpus/$$n \
	        >build/fuzz/$$n.log 2>&1 || { \
	        tail -n 40 build/fuzz/$$n.log; echo "fuzz seed replay failed: $$f"; exit 1; }; \
	    echo "fuzz $$n: seeds replayed"; done

# Fuzzes each driver for FUZZ_SECONDS from its seeds; new inputs go to build/fuzz/corpus/<name>
# (copy the interesting ones to tests/fuzz/corpus/ by hand), a crash to build/fuzz/<name>-crash-*
# and the target fails.
FUZZ_SECONDS ?= 60
fuzz-long: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$${f##*/fuzz_}; mkdir -p build/fuzz/corpus/$$n; \
	    echo "fuzz $$n: $(FUZZ_SECONDS) s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/$$n- \
	        build/fuzz/corpus/$$n tests/fuzz/corpus/$$n 2>build/fuzz/$$n.log || { \
	        tail -n 60 build/fuzz/$$n.log; echo "fuzz $$n: FAILED (build/fuzz/$$n.log)"; exit 1; }; \
	    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' build/fuzz/$$n.log; done

integ: haven
	npm run --silent test:integ

e2e: haven
	npm run --silent test:e2e

test: deps-test lint haven unit unit-asan fuzz-check integ e2e

# The house rules a machine can check (tools/checksrc.py): banned calls, 100 columns, purpose
# lines, export prefixes, layers, no loops of files or folders (it reads the objects' symbols).
lint: haven
	@python3 tools/checksrc.py && echo "lint: ok"

bench: haven
	tools/deps.sh --bench
	bench/assessment.sh

# 60 s of mixed public and staff traffic at 64 connections (bench/load.sh): fails on any error
# or when the server's memory grows; prints the figures, asserts no speed. Run by .ci/run.
load-test: haven
	bench/load.sh

MANDIR   ?= $(PREFIX)/share/man
UNITDIR  ?= $(PREFIX)/lib/systemd/system

install: haven
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR)
	install -m 0755 haven $(DESTDIR)$(BINDIR)/haven
	install -m 0644 packaging/haven.8 $(DESTDIR)$(MANDIR)/man8/haven.8
	sed 's#/usr/bin/haven#$(BINDIR)/haven#' packaging/haven.service > $(DESTDIR)$(UNITDIR)/haven.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/haven.service

clean:
	rm -rf build haven

-include $(shell find build -name '*.d' 2>/dev/null)
