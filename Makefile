# troth's front door. The real build is meson (meson.build); these targets
# set up what is missing, build, and run.
#
#   make            build build/troth
#   make demo       set up, build and serve a demo on http://127.0.0.1:8080/
#   make test       set up, build and run every test
#   make check      every test again under AddressSanitizer + UBSan
#   make bench      benchmarks (figures, not tests)
#   make fuzz       fuzz each target for a bounded time (FUZZ_SECONDS)
#   make coverage   line coverage of the test suite (gcovr)
#   make deb        the Debian package, build-deb/troth_VERSION_ARCH.deb
#   make install    install into $(PREFIX) (default /usr/local); DESTDIR honoured

DEMO_LISTEN ?= 127.0.0.1:8080
DEMO_DB ?= var/troth.db
FUZZ_SECONDS ?= 60
PREFIX ?= /usr/local

.PHONY: all demo test check bench fuzz coverage clean deps deb install

all: build/build.ninja
	ninja -C build

deps:
	@scripts/install-deps

build/build.ninja:
	@scripts/install-deps
	meson setup build --buildtype=debugoptimized

demo: build/build.ninja
	ninja -C build
	@mkdir -p var
	@scripts/demo "$(DEMO_DB)" "$(DEMO_LISTEN)"

test:
	@scripts/install-deps test
	@scripts/run-tests build-test

check:
	@scripts/install-deps test
	@SANITIZE=1 scripts/run-tests build-asan

bench:
	@scripts/install-deps bench
	@bench/run

fuzz:
	@scripts/install-deps fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

coverage:
	@scripts/install-deps test coverage
	@COVERAGE=1 scripts/run-tests build-coverage
	gcovr -r . --filter src/ build-coverage --txt --html-details build-coverage/coverage.html
	@echo "coverage report: build-coverage/coverage.html"

# the package is built from a copy of the tracked (and new, not ignored)
# files in build-deb/, so dpkg-buildpackage leaves the tree as it was
deb:
	@scripts/install-deps package
	@scripts/build-deb

# a release build of its own, so PREFIX is never mixed with build/'s
install:
	@scripts/install-deps
	@if [ -f build-install/build.ninja ]; then \
		meson configure build-install --prefix="$(PREFIX)"; \
	else \
		meson setup build-install --prefix="$(PREFIX)" --buildtype=release; \
	fi
	meson install -C build-install $(if $(DESTDIR),--destdir "$(DESTDIR)")

clean:
	rm -rf build build-test build-asan build-coverage build-fuzz build-install build-deb
