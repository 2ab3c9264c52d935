#!/usr/bin/env bash
# Runs a libFuzzer target from Tests/Fuzz for a while (default: LexerFuzz, 20 s).
#
#   scripts/fuzz.sh [SECONDS] [TARGET|all] [extra libFuzzer flags…]
#
# TARGET is the name of any file in Tests/Fuzz (LexerFuzz, RenderFuzz, …; with or without .swift).
# The target is compiled with every Sources/TemplateCompiler/**/*.swift (and the files its
# `// fuzz-sources:` lines name, pure Swift from other modules) into one module, with
# -sanitize=fuzzer,address, into .fuzz/<target>; the corpus (.fuzz/corpus-<target>) is seeded from
# Fixtures/. Exits non-zero when the fuzzer finds a crash, a broken invariant, a leak or a slow
# input (the input is saved in .fuzz/ as crash-*, timeout-*, …). See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
target="${2:-LexerFuzz}"
shift $(( $# > 2 ? 2 : $# ))

if [[ "$target" == all ]]; then
    # Each target's build (swiftc -O over the whole core) and run use one core: run
    # TEMPLATEC_FUZZ_JOBS of them at once (default: the machine's cores), each into its own
    # file, printed in order when all are done.
    jobs="${TEMPLATEC_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
    mkdir -p .fuzz
    targets=()
    for f in Tests/Fuzz/*.swift; do targets+=("$(basename "$f" .swift)"); done
    printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} sh -c '"$0" "$1" "$2" $3 > ".fuzz/$2.smoke.out" 2>&1; echo $? > ".fuzz/$2.smoke.status"' \
        "$0" "$seconds" {} "${*:-}" || true
    status=0
    for t in "${targets[@]}"; do
        cat ".fuzz/$t.smoke.out"
        [[ "$(cat ".fuzz/$t.smoke.status" 2>/dev/null || echo 1)" == 0 ]] || status=1
    done
    exit $status
fi

target="${target%.swift}"
source_file="Tests/Fuzz/$target.swift"
if [[ ! -f "$source_file" ]]; then
    echo "fuzz.sh: no $source_file; targets: $(cd Tests/Fuzz && ls *.swift | sed 's/\.swift$//' | tr '\n' ' ')" >&2
    exit 2
fi

mkdir -p .fuzz
binary=".fuzz/$target"
mapfile -t sources < <(find Sources/TemplateCompiler -name '*.swift' | sort)
# Pure files of other modules the target needs: `// fuzz-sources: path…` lines in the target.
mapfile -t extra < <(sed -n 's|^// fuzz-sources: ||p' "$source_file" | tr ' ' '\n' | sed '/^$/d')
sources+=("${extra[@]}")
# Rebuild only when a source is newer than the binary.
if [[ ! -x "$binary" ]] || [[ -n "$(find Sources/TemplateCompiler "$source_file" "${extra[@]}" -name '*.swift' -newer "$binary" | head -1)" ]]; then
    echo "fuzz.sh: building $binary" >&2
    swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzTarget \
        "${sources[@]}" "$source_file" -o "$binary" 2> ".fuzz/$target.build.log" || {
        cat ".fuzz/$target.build.log" >&2
        exit 2
    }
fi

corpus=".fuzz/corpus-$target"
mkdir -p "$corpus"
if [[ -d Fixtures ]]; then
    find Fixtures -type f \( -name '*.sql' -o -name '*.json' \) -size -64k -exec cp -n {} "$corpus/" \; 2>/dev/null || true
fi

echo "fuzz.sh: running $target for ${seconds}s (corpus $corpus)" >&2
# -timeout: one input taking longer than 10 s is a failure (templatec must stay linear).
status=0
# The Swift runtime's own backtracer would race ASan's report.
export SWIFT_BACKTRACE=enable=no
# Dialects and compiled patterns are built once and kept for the process's life (a deliberate
# cache): LeakSanitizer would report them at exit. Leaks per input would still show as RSS growth.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
"$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix=".fuzz/$target-" -print_final_stats=1 "$@" > ".fuzz/$target.log" 2>&1 || status=$?
grep -E "^(#[0-9]+ +(DONE|INITED)|==[0-9]+==ERROR|SUMMARY|Fatal error|.*invariant broken|artifact_prefix|Test unit written|stat::number_of_executed_units)" ".fuzz/$target.log" || true
if [[ $status -ne 0 ]]; then
    echo "fuzz.sh: $target FAILED (exit $status); full log: .fuzz/$target.log" >&2
    exit 1
fi
echo "fuzz.sh: $target ok" >&2
