# Thin wrapper around Meson. Two commands matter:
#   make run    install what is missing, build, run ikescope on a bundled sample
#   make check  the same, then an ASan/UBSan build and every test suite, and
#               each libFuzzer harness for a short while (clang)
# make fuzz runs the harnesses for FUZZ_SECONDS each (default 600).
BUILD   ?= build
SANBUILD ?= build-sanitize
FUZZBUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
WERROR  ?= 0
SAMPLE  ?= samples/asa/anyconnect-eap-success.log
DEPS = gcc meson ninja-build pkg-config python3 libpcre2-dev libxml2-dev \
       libjansson-dev libncurses-dev libcriterion-dev clang-format tmux clang

MESON_OPTS = -Dwerror=$(if $(filter 1,$(WERROR)),true,false)

.PHONY: all deps build run check test fuzz clean

all: build

deps:
	@sh tools/install-deps.sh $(DEPS)

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	meson configure $(BUILD) $(MESON_OPTS) >/dev/null
	ninja -C $(BUILD)

run: build
	./$(BUILD)/src/cli/ikescope --stats $(SAMPLE)

$(SANBUILD)/build.ninja: | deps
	meson setup $(SANBUILD) $(MESON_OPTS) -Db_sanitize=address,undefined

$(FUZZBUILD)/build.ninja: | deps
	CC=clang meson setup $(FUZZBUILD) $(MESON_OPTS) -Dfuzz=true -Dtests=false -Dman=false \
		-Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all

check: build $(SANBUILD)/build.ninja $(FUZZBUILD)/build.ninja
	meson configure $(SANBUILD) $(MESON_OPTS) >/dev/null
	ninja -C $(SANBUILD)
	meson configure $(FUZZBUILD) $(MESON_OPTS) -Dfuzz_seconds=20 >/dev/null
	ninja -C $(FUZZBUILD)
	@rc=0; UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	meson test -C $(SANBUILD) --print-errorlogs --num-processes 2 >$(SANBUILD)/test-output.txt 2>&1 </dev/null || rc=$$?; \
	tail -n 25 $(SANBUILD)/test-output.txt; \
	meson test -C $(FUZZBUILD) --suite fuzz --print-errorlogs --num-processes 2 \
		>$(FUZZBUILD)/test-output.txt 2>&1 || rc=$$?; \
	grep -E '^ *[0-9]+/[0-9]+ ' $(FUZZBUILD)/test-output.txt || true; \
	python3 tools/test-summary.py $(SANBUILD)/meson-logs/testlog.json \
		$(FUZZBUILD)/meson-logs/testlog.json || rc=1; \
	exit $$rc

fuzz: $(FUZZBUILD)/build.ninja
	meson configure $(FUZZBUILD) $(MESON_OPTS) -Dfuzz_seconds=$(FUZZ_SECONDS) >/dev/null
	ninja -C $(FUZZBUILD)
	meson test -C $(FUZZBUILD) --suite fuzz --print-errorlogs --num-processes 2 \
		--timeout-multiplier 0 || { echo "crashers: $(FUZZBUILD)/fuzz/crashes"; exit 1; }

test: build
	meson test -C $(BUILD) --print-errorlogs </dev/null

clean:
	rm -rf $(BUILD) $(SANBUILD) $(FUZZBUILD)
