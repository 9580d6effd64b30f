# GSI — the commands a person types. The build itself is Meson + Ninja (meson.build).
#   make run     build, then run GSI on the shipped data
#   make test    every test, under gcc and under clang with ASan+UBSan; ends "N passed, N failed"
#   make bench   the benchmarks in bench/, each against its peer
#   make fuzz    fuzz every parser for FUZZ_SECONDS each (clang, libFuzzer)
#   make format  clang-format every C file
#   make lint    clang-tidy (the repo's .clang-tidy) over every C file under src/, through
#                $(BUILD)/compile_commands.json, 2 jobs; fails on any diagnostic
#   make clean   remove the build folders

BUILD        ?= build
FUZZ_BUILD   ?= build-asan
FUZZ_SECONDS ?= 60
GSI          := $(BUILD)/src/cli/gsi

.PHONY: all deps build run test bench fuzz format lint clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) >/dev/null
	@ninja -C $(BUILD) >/dev/null

run: build
	@scripts/run.sh $(BUILD)

test: deps
	@scripts/test.sh

bench: build
	@scripts/deps.sh bench
	@bench/run.sh $(BUILD)

fuzz: deps
	@[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true \
	    -Db_sanitize=address,undefined -Dc_args=-fno-sanitize-recover=all -Db_lundef=false >/dev/null
	@ninja -C $(FUZZ_BUILD) >/dev/null
	@for f in $(FUZZ_BUILD)/tests/fuzz/fuzz_*; do \
	    name=$${f##*/fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus/$$name; \
	    echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(FUZZ_BUILD)/corpus/$$name \
	        tests/fuzz/corpus/$$name || exit 1; \
	done

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

# Needs only a configured build folder: the compile database, and gsi_config.h (the generated
# sources lie outside src/). `ninja build.ninja` re-runs meson if a meson.build changed, which
# refreshes the database. `make test` runs the same script as one of its tests.
lint: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) >/dev/null
	@ninja -C $(BUILD) build.ninja >/dev/null
	@scripts/lint.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
