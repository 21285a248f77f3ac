# The commands a new user runs. `make test` is also what CI runs (.ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := test

NATIVE_LINK := $(CURDIR)/.native
export PKG_CONFIG_PATH := $(NATIVE_LINK)/lib/pkgconfig
# SwiftPM drops -rpath from pkg-config, so pass it here: binaries then find libllama/libonnxruntime by themselves.
RPATH = -Xlinker -rpath -Xlinker $(shell readlink -f $(NATIVE_LINK))/lib
SWIFT_FLAGS = $(RPATH) -Xswiftc -warnings-as-errors
# Swift Testing starts every test at once by default, so on a 2-core machine a test's time limit also counts the
# hundreds of tests it shares the CPU with. Four at a time keeps each limit about its own test (the limit starts
# when the test gets its slot) and is faster in all (less contention, notably under the thread sanitizer).
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH ?= 4
# A pass that hangs (a wait that ignores cancellation outlives its time limit) fails after this instead of
# holding CI until its own deadline.
TEST_PASS_LIMIT = timeout --kill-after=30s 25m

.PHONY: setup build test test-tsan demo examples bench bench-quick clean-native

## Install the native libraries and fixtures (cached in ~/.cache/modelregistry-native; seconds when cached).
setup:
	bash Scripts/install-native-deps.sh >/dev/null

## Build everything with warnings as errors.
build: setup
	swift build $(SWIFT_FLAGS)

## Set up, then run every test, then every test again under the thread sanitizer.
test: setup
	swift build --build-tests $(SWIFT_FLAGS)
	$(TEST_PASS_LIMIT) swift test --skip-build $(RPATH)
	$(MAKE) test-tsan

## Every test under the thread sanitizer (native libraries are not instrumented; their pthread calls are).
## TSan slows everything several times over, and a few timing-dependent tests (preflight cancellation, download
## ordering) can lose their race under it: a failed pass is run once more, and says so, before it counts as red.
test-tsan: setup
	$(TEST_PASS_LIMIT) swift test --sanitize=thread $(RPATH) || { \
	  echo "[test-tsan] a test failed under the thread sanitizer; running the TSan pass once more"; \
	  $(TEST_PASS_LIMIT) swift test --sanitize=thread $(RPATH); }

## Set up, then run the main example: classify iris flowers through the registry.
demo: setup
	swift run $(SWIFT_FLAGS) iris 5.1,3.5 6.7,3.0

## Run every example once.
examples: setup
	swift run $(SWIFT_FLAGS) iris 5.1,3.5 6.7,3.0
	swift run $(SWIFT_FLAGS) generate --max-tokens 16
	swift run $(SWIFT_FLAGS) registry-tour

## Benchmarks (release build): prints a table and writes bench-results.json (about 30 s after the build).
bench: setup
	swift run -c release $(RPATH) Benchmarks

## The benchmarks on the tiny fixtures only (seconds).
bench-quick: setup
	swift run -c release $(RPATH) Benchmarks --quick

## Remove the clone's link to the native cache (the cache itself stays).
clean-native:
	rm -f .native
