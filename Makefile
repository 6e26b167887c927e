# gengxin — the two commands of README.md, and the builds CI adds.
# Pure Go (CGO_ENABLED=0) for the product; tests run with -race, which
# needs cgo. gmsm is always built with -tags purego (ECOSYSTEM.md).
GO      ?= go
TAGS    := purego
PKGS    := ./...

# The Go toolchain: go1.26.10, the patch release that fixes the standard
# library's net/http, html/template, crypto/tls, crypto/x509 and
# mime/multipart vulnerabilities found by `make vulncheck` in go1.26.8. The
# go command fetches it from the module proxy once (GOTOOLCHAIN overrides the
# machine's GOTOOLCHAIN=local).
export GOTOOLCHAIN := go1.26.10

# govulncheck runs offline against the Go vulnerability database as
# published in the golang.org/x/vulndb module (vuln.go.dev is not reachable
# here); bump VULNDB_VERSION to the newest served to refresh it.
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
GOVULNCHECK    := golang.org/x/vuln/cmd/govulncheck@v1.9.0

.PHONY: run test build cross bench vet fmt-check fuzz vulncheck crash

## run: start the system on embedded SQLite with demo data (http://127.0.0.1:8080)
run:
	CGO_ENABLED=0 $(GO) run -tags $(TAGS) ./cmd/gengxin serve --demo

## test: every test — formatting, vet, unit, store contract suite on SQLite
## and PostgreSQL (skipped with a message when it is absent, outside CI),
## API scenarios, and the headless-Chromium browser test.
test: fmt-check vet
	CGO_ENABLED=1 $(GO) test -tags $(TAGS) -race -count=1 $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -tags $(TAGS) $(PKGS)

## vulncheck: govulncheck against the offline database; fails when the code
## calls a vulnerable symbol not assessed in .ci/vuln-allow.txt
vulncheck:
	@dir=$$($(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	db=$${TMPDIR:-/tmp}/gengxin-vulndb-$(VULNDB_VERSION); \
	if [ ! -f $$db/index/db.json ]; then $(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) -vulns $$dir/data/osv -out $$db || exit 2; fi; \
	$(GO) run $(GOVULNCHECK) -db file://$$db -tags $(TAGS) -format json ./... | $(GO) run ./tools/vulngate -allow .ci/vuln-allow.txt

## crash: the crash harness (issue 3) — the real binary under write load,
## SIGKILLed at random CRASH_KILLS times (5 in `make test`, 20 in CI, 50 documented)
CRASH_KILLS ?= 20
crash:
	GENGXIN_CRASH_KILLS=$(CRASH_KILLS) $(GO) test -tags $(TAGS) -run Crash -count=1 ./cmd/gengxin/

## build: the static binary
build:
	CGO_ENABLED=0 $(GO) build -tags $(TAGS) -trimpath -o gengxin ./cmd/gengxin

## cross: linux/arm64 and linux/loong64 (domestic CPUs), pure Go
cross:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags $(TAGS) -trimpath -o /dev/null ./cmd/gengxin
	CGO_ENABLED=0 GOOS=linux GOARCH=loong64 $(GO) build -tags $(TAGS) -trimpath -o /dev/null ./cmd/gengxin

## bench: the benchmarks of docs/PERFORMANCE.md
bench:
	CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 1x ./...

## fuzz: each fuzz target for FUZZTIME (10s; CI uses 2000x: iteration counts avoid
## the "context deadline exceeded" flake of short time-based runs). Seeds also run
## as ordinary tests under `make test`; crashers land in testdata/fuzz/.
## Minimizing every new-coverage input (60s by default) would stall short
## runs, hence FUZZMINTIME.
FUZZTIME ?= 10s
FUZZMINTIME ?= 2s
FUZZ_TARGETS := FuzzValidate:./uscc FuzzComplete:./uscc FuzzFacts:./rules \
	FuzzParseYear:./calendar FuzzParseImport:./xlsx FuzzSniff:./app FuzzDecode:./http FuzzOpen:./crypt
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		name=$${t%%:*}; pkg=$${t#*:}; \
		echo "== fuzz $$name $$pkg ($(FUZZTIME))"; \
		CGO_ENABLED=0 $(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) $$pkg; \
	done
