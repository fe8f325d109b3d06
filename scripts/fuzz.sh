#!/usr/bin/env sh
# Whole-pipeline fuzzing (tests/fuzz.rs): mutated copies of the bundled
# catalog through load, validate, resolve, check and every renderer.
#
#   scripts/fuzz.sh [CASES] [FIRST-SEED]
#
# CASES defaults to 10000, FIRST-SEED to 1. Seeds are deterministic: a
# failure names its seed; rerun it with `scripts/fuzz.sh 1 SEED`. Set
# KDL_FUZZ_PROFILE=release for an optimised build (faster per case, slower
# to build). The normal `cargo test` runs a small slice (24 cases).
set -eu
cases="${1:-10000}"
seed="${2:-1}"
profile="${KDL_FUZZ_PROFILE:-dev}"
cd "$(dirname "$0")/.."
if [ "$profile" = release ]; then
    set -- --release
else
    set --
fi
KDL_FUZZ_CASES="$cases" KDL_FUZZ_SEED="$seed" \
    cargo test "$@" --test fuzz -- --nocapture
