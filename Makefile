# Baton: `make run` starts the demo at http://localhost:8080, `make test` runs every test.
# Both install what they need on a fresh machine (Node packages for the embedded database,
# Debian chromium for the browser tests).

GO      ?= go
NPM     ?= npm
BIN     := bin/baton
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
GOFILES := $(shell find . -name '*.go' -not -path './node_modules/*')

.PHONY: all build run test test-native test-go test-e2e test-eval test-retrieval eval-baseline retrieval-baseline lint deps browser clean

all: build

## build: compile ./bin/baton and install the embedded database's npm packages
build: $(BIN) deps

$(BIN): $(GOFILES) go.mod go.sum $(shell find . -path ./node_modules -prune -o \( -name '*.sql' -o -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.jsonl' -o -name '*.yaml' \) -print)
	$(GO) build -o $(BIN) ./cmd/baton

## deps: npm ci (PGlite, its pgvector extension, playwright-core), only when the lockfile changed
deps: node_modules/.baton-installed

node_modules/.baton-installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

## browser: Debian chromium for the browser tests
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium (Debian package) for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## run: start Baton with the embedded database and the demo content
run: build
	BATON_DEMO=$${BATON_DEMO:-1} ./$(BIN) serve

## test: formatting, vet, Go tests against the embedded database, the browser tests, the shipped
## conversation suites and the answer/refuse decision on the FAQ sets, each against its baseline
test: lint test-go test-e2e test-eval test-retrieval

lint:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test-go: deps
	$(GO) test -count=1 -timeout 15m ./...

test-e2e: build browser
	node --test --test-concurrency=1 e2e/

## test-eval: play the shipped conversation suites and fail on a regression against evals/baseline.json
test-eval: build
	./$(BIN) eval run evals/suites --baseline evals/baseline.json --fail-on-regression \
		--junit bin/eval-junit.xml --html bin/eval-report.html

## test-retrieval: the answer/refuse decision on the test halves of the FAQ sets (evals/data/faq) and
## of the demo set, against evals/baselines/retrieval-*.json (reports in bin/retrieval-*.txt)
RETRIEVAL_SETS := banking77 hint3-sofmattress cmrc2018-trial demo
# retrieval_args SET: the knowledge base and questions of a set, shell words for the loops below
retrieval_args = $$(case $$s in demo) echo --kb internal/demo/articles.jsonl --queries evals/data/retrieval_demo.jsonl \
	--queries evals/data/retrieval_offtopic.jsonl;; *) echo --kb evals/data/faq/$$s/kb.jsonl --queries evals/data/faq/$$s/queries.jsonl;; esac) --split test

test-retrieval: build
	@mkdir -p bin
	@set -e; for s in $(RETRIEVAL_SETS); do \
		echo "retrieval: $$s (test half)"; \
		./$(BIN) eval retrieval $(retrieval_args) --baseline evals/baselines/retrieval-$$s.json --fail-on-regression > bin/retrieval-$$s.txt; \
	done

## test-native: the Go tests and both eval gates again on native PostgreSQL 15 with pgvector, in a
## throwaway cluster (scripts/native-pg.sh installs PostgreSQL and builds pgvector when missing)
# (the cluster lives under /tmp: the postgres user must reach it, whoever owns the checkout)
NATIVE_PORT ?= 55439
test-native: build
	@set -e; dir=$$(mktemp -d /tmp/baton-native-pg.XXXXXX); \
	trap 'scripts/native-pg.sh stop '$$dir EXIT; \
	url=$$(scripts/native-pg.sh start $$dir $(NATIVE_PORT)); \
	echo "native-pg: $$url"; \
	TEST_DATABASE_URL=$$url $(GO) test -count=1 -timeout 15m ./...; \
	DATABASE_URL=$$url ./$(BIN) eval run evals/suites --baseline evals/baseline.json --fail-on-regression \
		--junit bin/eval-junit-native.xml --html bin/eval-report-native.html; \
	for s in $(RETRIEVAL_SETS); do \
		echo "retrieval: $$s (test half, native)"; \
		DATABASE_URL=$$url ./$(BIN) eval retrieval $(retrieval_args) --baseline evals/baselines/retrieval-$$s.json \
			--fail-on-regression > bin/retrieval-native-$$s.txt; \
	done

## retrieval-baseline: measure the FAQ sets again and make the results the new baselines (commit them deliberately)
retrieval-baseline: build
	@mkdir -p evals/baselines
	@set -e; for s in $(RETRIEVAL_SETS); do \
		./$(BIN) eval retrieval $(retrieval_args) --save-baseline evals/baselines/retrieval-$$s.json > bin/retrieval-$$s.txt; \
	done

## eval-baseline: run the shipped suites and make the result the new baseline (commit it deliberately)
eval-baseline: build
	./$(BIN) eval run evals/suites --save-baseline evals/baseline.json --html bin/eval-report.html

clean:
	rm -rf bin
