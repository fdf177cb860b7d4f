# Pansible: `make demo` runs the main job on a fresh machine, `make test` runs the tests.
SHELL := /bin/bash
export AMQP_PORT ?= 5672
export PG_PORT ?= 5432
export PANSIBLE_AMQP_URL ?= amqp://guest:guest@127.0.0.1:$(AMQP_PORT)/
export PANSIBLE_DATABASE_URL ?= postgres://postgres@127.0.0.1:$(PG_PORT)/pansible
SWIFT_BUILD_FLAGS ?=

.PHONY: deps build release services-up services-down test test-unit bench lint format openapi demo up down

deps:
	scripts/deps.sh

build:
	swift build $(SWIFT_BUILD_FLAGS)

release:
	swift build -c release $(SWIFT_BUILD_FLAGS)

services-up:
	scripts/services.sh up

services-down:
	scripts/services.sh down

# Installs what is missing, starts the services (idempotently), runs every test.
# Suites named *OutageTests or *RestartTests stop and start the shared broker or database, so they run alone, afterwards.
test: deps services-up
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	PANSIBLE_TEST_SERVICES=1 SWIFT_BUILD_FLAGS='$(SWIFT_BUILD_FLAGS)' scripts/test-pass.sh 20m --skip 'OutageTests|RestartTests' $(TEST_FLAGS)
	PANSIBLE_TEST_SERVICES=1 SWIFT_BUILD_FLAGS='$(SWIFT_BUILD_FLAGS)' scripts/test-pass.sh 15m --filter 'OutageTests|RestartTests' --no-parallel $(TEST_FLAGS)

# Builds and runs every test that needs no server, with nothing started: the suites that need RabbitMQ or
# PostgreSQL skip without looking for them (PANSIBLE_TEST_SERVICES=0), and the URLs name a port where nothing
# listens, so that a test reaching for a server unannounced fails here rather than passing on a developer's machine.
test-unit:
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	PANSIBLE_TEST_SERVICES=0 PANSIBLE_AMQP_URL=amqp://guest:guest@127.0.0.1:1/ PANSIBLE_DATABASE_URL=postgres://postgres@127.0.0.1:1/pansible \
		timeout 20m "$$(swift build --show-bin-path $(SWIFT_BUILD_FLAGS))/pansiblePackageTests.xctest" --testing-library swift-testing $(TEST_FLAGS)

bench: services-up
	scripts/bench.sh

# Regenerates the gateway's server types and protocol (Sources/Gateway/Generated) after a change to its openapi.yaml.
openapi:
	scripts/openapi/generate.sh

lint:
	swift format lint --strict --recursive Sources Benchmarks Tests Package.swift

format:
	swift format --in-place --recursive Sources Benchmarks Tests Package.swift

# The main job on a fresh machine: installs, builds release binaries, starts everything, runs 200 hosts.
demo: deps release
	scripts/demo.sh

# Start / stop the whole stack (services, gateway, splitter, collector, two workers).
up: release
	scripts/stack.sh up

down:
	scripts/stack.sh down
