# Kooperator: `make run` serves on http://127.0.0.1:8080 with the embedded PostgreSQL,
# `make test` lints, builds with the explicit import check and runs the tests, then the journeys
# in a real browser (`make browser-test`: headless Chromium, axe for WCAG 2.1 AA), then several
# hosts on a pg_auto_failover formation through faults under load (`make ha-test`),
# `make bench` measures throughput, start-up time and memory.
# Each target installs the system packages it needs (apt-get) when they are missing.

SWIFT ?= swift
APT_PACKAGES := libpq-dev postgresql wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TEST_CLUSTER := .kooperator/test-postgres

.PHONY: deps build run test browser-test ha-test check-logs lint format bench stop-test-postgres clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --product kooperator

# A debug build runs scrypt unoptimised (seconds a hash at the product's cost 17), so `make run`
# hashes at 14; production needs at least 15 (README, security.passwordHashCost).
run: build
	KOOPERATOR_PASSWORD_HASH_COST=$${KOOPERATOR_PASSWORD_HASH_COST:-14} $(SWIFT) run --skip-build kooperator serve --migrate --demo

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Plugins Tests Benchmarks

format:
	$(SWIFT) format format --in-place --recursive --parallel Package.swift Sources Plugins Tests Benchmarks

# The tests' host logs go to $(TEST_LOG), the browser journeys' host's log is added to it;
# afterwards no line may hold a full identity number
# (YYMMDD or YYYYMMDD, optional - or +, four digits; masked ones end in ****).
TEST_LOG := .build/test-host.log
BROWSER_HOST_LOG := Tests/Browser/results/host.log
IDENTITY_NUMBER := (19|20)?[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])[-+]?[0-9]{4}

test: deps lint
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	rm -f $(TEST_LOG)
	KOOPERATOR_TEST_LOG_FILE=$(CURDIR)/$(TEST_LOG) $(SWIFT) test --skip-build; status=$$?; \
		$(MAKE) --no-print-directory stop-test-postgres; exit $$status
	$(MAKE) --no-print-directory browser-test
	cat $(BROWSER_HOST_LOG) >>$(TEST_LOG)
	bash Tests/HA/run.sh
	cat Tests/HA/results/host-*.log >>$(TEST_LOG)
	$(MAKE) --no-print-directory check-logs

# Starts .build/debug/kooperator (BINARY=… for another) on a free port with its own embedded
# cluster and the demo story, runs Tests/Browser/journeys.py in headless Chromium, stops the host;
# installs Chromium, its driver and the pinned Python packages (.build/browser-venv) when missing.
# Screenshots, the axe report and the host's log: Tests/Browser/results/.
browser-test: deps
	bash Tests/Browser/run.sh

# Several hosts on one highly available PostgreSQL, with faults under load (issue 24): a
# pg_auto_failover formation (monitor, primary, synchronous standby), two hosts behind HAProxy,
# Tests/HA/load.py writing with an Idempotency-Key per write; a switch-over, a killed postmaster,
# a lost primary machine, a killed host; then one plain PostgreSQL stopped -m immediate. Fails on
# an acknowledged write missing or stored twice, a 500, a host that died; prints the longest
# unavailability per fault. Installs postgresql-15-auto-failover, pg-auto-failover-cli and
# haproxy when missing; 2 to 5 minutes; logs in Tests/HA/results/ (README: Running on several
# machines).
ha-test: build
	bash Tests/HA/run.sh

# A number counts only as a whole word: a hash (the embedded cluster's folder under /var/tmp,
# 5703914921d25123) may hold ten digits that read as one.
check-logs:
	@test -s $(TEST_LOG) || { echo "check-logs: $(TEST_LOG) is missing or empty"; exit 1; }
	@if grep -anE '(^|[^[:alnum:]])$(IDENTITY_NUMBER)([^[:alnum:]]|$$)' $(TEST_LOG); then \
		echo "check-logs: full identity numbers in the host's logs (above)"; exit 1; \
	else echo "check-logs: $$(wc -l < $(TEST_LOG)) log lines, no full identity number"; fi

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
	rm -rf .build .kooperator Tests/Browser/results
