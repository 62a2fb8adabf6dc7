#!/usr/bin/env bash
# The soak: an honest client submits orders and looks them up, alone and then
# while about 250 connections run a hostile mix (hoarders, pullers, squatters,
# half lines, garbage, connect/disconnect storms, watch streams); the daemon's
# RSS is sampled, the honest client's latencies and rate compared, and every
# acknowledged order checked at the end (docs/reliability.md, "The soak").
#   scripts/soak.sh [MINUTES]   (default 10; make test runs 1)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
make deps >/dev/null
swift build --build-tests
FAIRWAY_SOAK_MINUTES="$minutes" FAIRWAY_BIN_DIR="$(swift build --show-bin-path)" \
  swift test --skip-build --filter anHonestClientBesideAHostileMixIsServedAndLosesNothing 2>&1 | tee /tmp/fairway-soak.log | grep -E "soak:|✔|✘"
