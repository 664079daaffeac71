# Thin wrapper around Meson. Two commands matter:
#   make run    install what is missing, build, run ikescope on a bundled sample
#   make check  the same, then an ASan/UBSan build and every test suite
BUILD   ?= build
SANBUILD ?= build-sanitize
WERROR  ?= 0
SAMPLE  ?= samples/asa/anyconnect-eap-success.log
DEPS = gcc meson ninja-build pkg-config python3 libpcre2-dev libxml2-dev \
       libjansson-dev libncurses-dev libcriterion-dev clang-format tmux

MESON_OPTS = -Dwerror=$(if $(filter 1,$(WERROR)),true,false)

.PHONY: all deps build run check test clean

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

check: build $(SANBUILD)/build.ninja
	meson configure $(SANBUILD) $(MESON_OPTS) >/dev/null
	ninja -C $(SANBUILD)
	@rc=0; UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	meson test -C $(SANBUILD) --print-errorlogs --num-processes 2 >$(SANBUILD)/test-output.txt 2>&1 || rc=$$?; \
	tail -n 25 $(SANBUILD)/test-output.txt; \
	python3 tools/test-summary.py $(SANBUILD)/meson-logs/testlog.json || rc=1; \
	exit $$rc

test: build
	meson test -C $(BUILD) --print-errorlogs

clean:
	rm -rf $(BUILD) $(SANBUILD)
