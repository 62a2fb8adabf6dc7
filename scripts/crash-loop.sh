#!/usr/bin/env bash
# Release check: the crash loop of the end-to-end tests with more kills.
#   scripts/crash-loop.sh [KILLS]   (default 50)
# kill -9 at random instants while 4 clients submit batches; after the last
# restart every acknowledged order must be present exactly once with its
# content, every promise where it was, no slot over capacity.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-50}"
make deps >/dev/null
swift build --build-tests
FAIRWAY_CRASH_KILLS="$kills" FAIRWAY_BIN_DIR="$(swift build --show-bin-path)" \
  swift test --skip-build --filter killNineDuringBatchedIngestLosesNoAcknowledgedOrder 2>&1 | tee /tmp/fairway-crash-loop.log | grep -E "crash loop:|✔|✘"
