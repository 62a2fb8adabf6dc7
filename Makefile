# Fairway — build, run and test on a Debian machine with Swift installed.
#
#   make run      install missing system packages, build, start fairwayd in the
#                 foreground on config/local.conf (socket and state under ./run)
#   make test     the same set-up, then every test
#   make bench    the benchmark (release build; BENCH_ARGS=--quick for a short run)
#   make install  release build, then binaries, units, sysusers, example config
#                 and docs (PREFIX, DESTDIR, UNITDIR, SYSUSERSDIR, CONFDIR, BUILDDIR)
#   make install-files  the same without building (binaries from BINSRC)
#   make uninstall      removes what install put there; keeps config and state

SWIFT        ?= swift
PREFIX       ?= /usr/local
DESTDIR      ?=
BINDIR       := $(PREFIX)/bin
DOCDIR       := $(PREFIX)/share/doc/fairway
UNITDIR      ?= /etc/systemd/system
SYSUSERSDIR  ?= /usr/lib/sysusers.d
CONFDIR      ?= /etc/fairway
# SwiftPM scratch directory of `make install`'s release build, and where
# install-files takes fairwayd and fairwayctl from.
BUILDDIR     ?= .build
BINSRC       ?= $(BUILDDIR)/release
APT_PACKAGES := pkg-config libsqlite3-dev libsystemd-dev systemd sqlite3
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release run test bench install install-files uninstall clean

all: build

# Installs whichever of the system packages is missing (apt-get; sudo when not root).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	@mkdir -p run
	@echo "fairwayd on ./run/fairway.sock — try: .build/debug/fairwayctl --socket run/fairway.sock status"
	.build/debug/fairwayd --config config/local.conf

# The metrics tests scrape with a real Prometheus and check with promtool; the
# squatter tests hold connections as other users with nc.
test: APT_PACKAGES += prometheus netcat-openbsd
test: deps
	$(SWIFT) build --build-tests
	FAIRWAY_BIN_DIR=$$($(SWIFT) build --show-bin-path) $(SWIFT) test --skip-build

# Starts the release fairwayd (and beanstalkd) in /tmp and prints measured
# figures; see docs/performance.md. BENCH_ARGS=--quick for a short check.
bench: APT_PACKAGES += beanstalkd
bench: release
	$(SWIFT) run -c release fairway-bench $(BENCH_ARGS)

install: deps
	$(SWIFT) build -c release --scratch-path $(BUILDDIR)
	$(MAKE) --no-print-directory install-files BINSRC=$(BUILDDIR)/release

# Units go to UNITDIR (/etc/systemd/system: the local administrator's units),
# the sysusers snippet to SYSUSERSDIR, the config to CONFDIR unless one is
# there already (an upgrade keeps it); docs and a pristine copy of the example
# config to DOCDIR. fairway.service's ExecStart= is rewritten to BINDIR.
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(CONFDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BINSRC)/fairwayd $(BINSRC)/fairwayctl $(DESTDIR)$(BINDIR)/
	sed 's|/usr/local/bin/|$(BINDIR)/|g' systemd/fairway.service > $(DESTDIR)$(UNITDIR)/fairway.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fairway.service
	install -m 0644 systemd/fairway.socket $(DESTDIR)$(UNITDIR)/fairway.socket
	sed 's|/usr/local/bin/|$(BINDIR)/|g' systemd/fairway-metrics@.service > $(DESTDIR)$(UNITDIR)/fairway-metrics@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fairway-metrics@.service
	install -m 0644 systemd/fairway-metrics.socket $(DESTDIR)$(UNITDIR)/fairway-metrics.socket
	install -m 0644 systemd/fairway.sysusers $(DESTDIR)$(SYSUSERSDIR)/fairway.conf
	[ -e $(DESTDIR)$(CONFDIR)/fairway.conf ] || install -m 0644 config/fairway.conf $(DESTDIR)$(CONFDIR)/fairway.conf
	install -m 0644 config/fairway.conf $(DESTDIR)$(DOCDIR)/fairway.conf.example
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	@echo "Installed. Next (as root, without DESTDIR): systemd-sysusers $(SYSUSERSDIR)/fairway.conf;"
	@echo "  systemctl daemon-reload; systemctl enable --now fairway.socket fairway.service"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fairwayd $(DESTDIR)$(BINDIR)/fairwayctl
	rm -f $(DESTDIR)$(UNITDIR)/fairway.service $(DESTDIR)$(UNITDIR)/fairway.socket $(DESTDIR)$(SYSUSERSDIR)/fairway.conf
	rm -f $(DESTDIR)$(UNITDIR)/fairway-metrics.socket $(DESTDIR)$(UNITDIR)/fairway-metrics@.service
	rm -rf $(DESTDIR)$(DOCDIR)
	@echo "Kept $(CONFDIR) and /var/lib/fairway (configuration and state)."

clean:
	rm -rf .build run
