# Kooperator: `make run` serves on http://127.0.0.1:8080 with the embedded PostgreSQL,
# `make test` lints, builds with the explicit import check and runs the tests,
# `make bench` measures throughput, start-up time and memory.
# Each target installs the system packages it needs (apt-get) when they are missing.

SWIFT ?= swift
APT_PACKAGES := libpq-dev postgresql wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TEST_CLUSTER := .kooperator/test-postgres

.PHONY: deps build run test lint format bench stop-test-postgres clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --product kooperator

run: build
	$(SWIFT) run --skip-build kooperator serve --migrate

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Plugins Tests Benchmarks

format:
	$(SWIFT) format format --in-place --recursive --parallel Package.swift Sources Plugins Tests Benchmarks

test: deps lint
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	$(SWIFT) test --skip-build; status=$$?; $(MAKE) --no-print-directory stop-test-postgres; exit $$status

# The tests start a PostgreSQL cluster on first use and write where it lives to
# .kooperator/test-postgres.location; stop it afterwards.
stop-test-postgres:
	@dir="$$(cat .kooperator/test-postgres.location 2>/dev/null || echo $(TEST_CLUSTER))"; \
	if [ -f "$$dir/data/postmaster.pid" ]; then \
		pgctl="$$(pg_config --bindir)/pg_ctl"; \
		if [ "$$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- $$pgctl -D "$$dir/data" -m fast stop >/dev/null); \
		else $$pgctl -D "$$dir/data" -m fast stop >/dev/null; fi; \
	fi

bench: deps
	bash Benchmarks/run.sh

clean: stop-test-postgres
	rm -rf .build .kooperator
