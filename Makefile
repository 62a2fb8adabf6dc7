# Fairway — build, run and test on a Debian machine with Swift installed.
#
#   make run      install missing system packages, build, start fairwayd in the
#                 foreground on config/local.conf (socket and state under ./run)
#   make test     the same set-up, then every test
#   make bench    the benchmark (release build)
#   make install  binaries, units, example config, docs (PREFIX, DESTDIR)

SWIFT        ?= swift
PREFIX       ?= /usr/local
DESTDIR      ?=
BINDIR       := $(PREFIX)/bin
DOCDIR       := $(PREFIX)/share/doc/fairway
UNITDIR      ?= /etc/systemd/system
SYSUSERSDIR  ?= /usr/lib/sysusers.d
CONFDIR      ?= /etc/fairway
APT_PACKAGES := pkg-config libsqlite3-dev libsystemd-dev systemd sqlite3
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release run test bench install uninstall clean

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

test: deps
	$(SWIFT) build --build-tests
	FAIRWAY_BIN_DIR=$$($(SWIFT) build --show-bin-path) $(SWIFT) test --skip-build

bench: release
	$(SWIFT) run -c release fairway-bench

install: release
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(CONFDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 .build/release/fairwayd .build/release/fairwayctl $(DESTDIR)$(BINDIR)/
	sed 's|/usr/local/bin/|$(BINDIR)/|g' systemd/fairway.service > $(DESTDIR)$(UNITDIR)/fairway.service
	install -m 0644 systemd/fairway.socket $(DESTDIR)$(UNITDIR)/fairway.socket
	install -m 0644 systemd/fairway.sysusers $(DESTDIR)$(SYSUSERSDIR)/fairway.conf
	[ -e $(DESTDIR)$(CONFDIR)/fairway.conf ] || install -m 0644 config/fairway.conf $(DESTDIR)$(CONFDIR)/fairway.conf
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fairwayd $(DESTDIR)$(BINDIR)/fairwayctl
	rm -f $(DESTDIR)$(UNITDIR)/fairway.service $(DESTDIR)$(UNITDIR)/fairway.socket $(DESTDIR)$(SYSUSERSDIR)/fairway.conf
	rm -rf $(DESTDIR)$(DOCDIR)
	@echo "Kept $(CONFDIR) and /var/lib/fairway (configuration and state)."

clean:
	rm -rf .build run
