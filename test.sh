#!/usr/bin/env bash
# Builds and runs every test project (Release). Data-dependent tests read ../shared/data (or $FRESCO_DATA)
# and report themselves skipped, with the reason, when it is absent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
set +e
dotnet test --solution Fresco.slnx -c Release "$@" 2>&1 | tee .test-output.log
status=${PIPESTATUS[0]}
set -e
# One plain closing line with the totals, read from the runner's summary.
total_failed=$(grep -E '^\s+failed: [0-9]+' .test-output.log | tail -1 | grep -oE '[0-9]+' || echo 0)
total_passed=$(grep -E '^\s+succeeded: [0-9]+' .test-output.log | tail -1 | grep -oE '[0-9]+' || echo 0)
total_skipped=$(grep -E '^\s+skipped: [0-9]+' .test-output.log | tail -1 | grep -oE '[0-9]+' || echo 0)
echo "tests: ${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
exit "$status"
