#!/usr/bin/env bash
# Fuzz the frame decoder, message parsing and the agent's session machine with libFuzzer.
# Usage: Fuzz/run.sh [SECONDS]   (default 60). Needs only the Swift toolchain (it ships the
# fuzzer runtime). Builds into Fuzz/.build-fuzz (first build: several minutes), runs on a copy of
# Fuzz/corpus/frames so new inputs stay out of the repository, and prints one summary line.
# A crash: libFuzzer's report, the input saved as Fuzz/corpus/frames/crash-<sha1>, exit 1.
set -euo pipefail
seconds=${1:-60}
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
cd "$fuzz_dir/.."

build=(swift build --package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address --disable-dead-strip
    --scratch-path Fuzz/.build-fuzz)
# The linker warns about every ASan helper symbol ("Cannot export local symbol"): drop those lines.
set +e
"${build[@]}" --product FrameFuzzer 2>&1 | grep -v "Cannot export local symbol"
built=${PIPESTATUS[0]}
set -e
[ "$built" -eq 0 ] || { echo "fuzz: build failed" >&2; exit 2; }
binary=$("${build[@]}" --show-bin-path)/FrameFuzzer

work=$(mktemp -d "${TMPDIR:-/tmp}/distrun-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp Fuzz/corpus/frames/* "$work/corpus/"

set +e
# SWIFT_BACKTRACE=enable=no: Swift's backtracer otherwise makes ASan report a false error.
SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" -dict=Fuzz/frames.dict -max_total_time="$seconds" \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$work/artifacts/" 2>&1 | tee "$work/log"
status=${PIPESTATUS[0]}
set -e

crashes=("$work"/artifacts/*)
if [ "$status" -ne 0 ] || [ -e "${crashes[0]}" ]; then
    for file in "${crashes[@]}"; do  # libFuzzer names them crash-<sha1> (or timeout-, oom-, leak-)
        [ -e "$file" ] || continue
        cp "$file" Fuzz/corpus/frames/ && echo "fuzz: input kept as Fuzz/corpus/frames/$(basename "$file")"
    done
    echo "fuzz: CRASH (libFuzzer exit status $status)"
    exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/log" | tail -1)
secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$work/log" | tail -1)
[ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/log" | tail -1)
echo "fuzz: $runs runs in $secs s ($((runs / (secs > 0 ? secs : 1))) exec/s), no crash"
