#!/usr/bin/env bash
# How often fzf's first hit for an abbreviation is among statusbrowse's first
# three: the abbreviations are generated from every reason phrase (consonant
# skeletons, word heads, squeezed forms; see tests/abbreviations.rs) and fed to
# `statusbrowse list | fzf --filter QUERY`. CI has no fzf, so its test runs an
# emulation with nucleo; this script runs the same comparison with the real one.
#
# Usage: scripts/compare-fzf.sh   (needs fzf on PATH; prints the rate and the misses)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v fzf >/dev/null || { echo "compare-fzf.sh: fzf is not on PATH" >&2; exit 2; }
fzf --version >&2
exec cargo test --test integration abbreviations::real_fzf -- --ignored --nocapture
