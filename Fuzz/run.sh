#!/usr/bin/env bash
# Fuzz with libFuzzer. Usage: Fuzz/run.sh [frames|terminal] [SECONDS]   (default: frames, 60 s;
# a first argument that is a number is SECONDS for frames).
# - frames: the frame decoder, message parsing and the agent's session machine (FrameFuzzer).
#   Builds into Fuzz/.build-fuzz (first build: several minutes).
# - terminal: the terminal shim over libvterm (Fuzz/terminal/shim_fuzzer.c), built with the
#   toolchain's clang into Fuzz/.build-fuzz/terminal, linked to the system's libvterm. With
#   LIBVTERM_SRC=<libvterm 0.1.4 source folder> (`apt-get source libvterm` with deb-src lines)
#   libvterm is built from it with the sanitizers too, and its parser state is checked.
# Needs only the Swift toolchain (it ships the fuzzer runtime) and libvterm-dev. Runs on a copy of
# Fuzz/corpus/<target> so new inputs stay out of the repository, and prints one summary line.
# A crash: libFuzzer's report, the input saved as Fuzz/corpus/<target>/crash-<sha1>, exit 1.
set -euo pipefail
target=frames
if [[ "${1:-}" == frames || "${1:-}" == terminal ]]; then target=$1; shift; fi
seconds=${1:-60}
fuzz_dir=$(cd "$(dirname "$0")" && pwd)
cd "$fuzz_dir/.."

build_frames() {
    local build=(swift build --package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address --disable-dead-strip
        --scratch-path Fuzz/.build-fuzz)
    # The linker warns about every ASan helper symbol ("Cannot export local symbol"): drop those lines.
    set +e
    "${build[@]}" --product FrameFuzzer 2>&1 | grep -v "Cannot export local symbol"
    local built=${PIPESTATUS[0]}
    set -e
    [ "$built" -eq 0 ] || { echo "fuzz: build failed" >&2; exit 2; }
    binary=$("${build[@]}" --show-bin-path)/FrameFuzzer
    dictionary=Fuzz/frames.dict
    max_len=4096
}

build_terminal() {
    local clang out=Fuzz/.build-fuzz/terminal flags=(-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined)
    clang=$(dirname "$(readlink -f "$(command -v swift)")")/clang
    mkdir -p "$out"
    local libvterm=(-lvterm)
    if [ -n "${LIBVTERM_SRC:-}" ]; then
        # libvterm's CSI argument parsing overflows a long on long digit runs: not what is looked for.
        local source objects=()
        for source in "$LIBVTERM_SRC"/src/*.c; do
            objects+=("$out/$(basename "$source" .c).o")
            "$clang" "${flags[@]}" -fsanitize=fuzzer-no-link -fno-sanitize=signed-integer-overflow -std=c99 \
                -I "$LIBVTERM_SRC/include" -c "$source" -o "${objects[-1]}"
        done
        libvterm=("${objects[@]}" -I "$LIBVTERM_SRC/include" -I "$LIBVTERM_SRC/src" -DDRS_FUZZ_LIBVTERM_INTERNALS)
    fi
    "$clang" "${flags[@]}" -fsanitize=fuzzer -I Sources/CDistRunTerminal/include Fuzz/terminal/shim_fuzzer.c \
        "${libvterm[@]}" -o "$out/shim_fuzzer" 2>&1 | grep -v "Cannot export local symbol" || true
    [ -x "$out/shim_fuzzer" ] || { echo "fuzz: build failed" >&2; exit 2; }
    binary=$out/shim_fuzzer
    dictionary=Fuzz/terminal.dict
    max_len=2048
}

"build_$target"
corpus=Fuzz/corpus/$target
work=$(mktemp -d "${TMPDIR:-/tmp}/distrun-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"

set +e
# SWIFT_BACKTRACE=enable=no: Swift's backtracer otherwise makes ASan report a false error.
# check_printf=0: libvterm 0.1.4 answers an unknown DECRQSS with "%.s" given an int, which glibc
# never reads (precision 0) but ASan's printf check does.
export ASAN_OPTIONS=${ASAN_OPTIONS:-check_printf=0}
# -timeout: a hang (libvterm once looped for ever on some input) is a failure too.
SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" -dict="$dictionary" -max_total_time="$seconds" \
    -max_len="$max_len" -timeout=10 -print_final_stats=1 -artifact_prefix="$work/artifacts/" 2>&1 | tee "$work/log"
status=${PIPESTATUS[0]}
set -e

crashes=("$work"/artifacts/*)
if [ "$status" -ne 0 ] || [ -e "${crashes[0]}" ]; then
    for file in "${crashes[@]}"; do  # libFuzzer names them crash-<sha1> (or timeout-, oom-, leak-)
        [ -e "$file" ] || continue
        cp "$file" "$corpus/" && echo "fuzz: input kept as $corpus/$(basename "$file")"
    done
    echo "fuzz: CRASH (libFuzzer exit status $status)"
    exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/log" | tail -1)
secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$work/log" | tail -1)
[ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/log" | tail -1)
echo "fuzz: $runs runs in $secs s ($((runs / (secs > 0 ? secs : 1))) exec/s), no crash"
