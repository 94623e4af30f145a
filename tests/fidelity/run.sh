#!/bin/sh
# run.sh - `make fidelity`: the fidelity harness (run-fidelity.sh, which
# `make test` also runs as tests/fidelity/run-fidelity.sh).
exec sh "$(dirname "$0")/run-fidelity.sh" "$@"
