#!/usr/bin/env bash
# Transom's developer entry point. On a fresh Debian 12 machine:
#   ./dev.sh run     install what is needed, build, and run the main job: the studio on the demo project
#                    (with a display), or headless (no display, or --headless) the demo sync
#   ./dev.sh test    install what is needed, build, and pass every test (plain and ASan+UBSan builds)
#   ./dev.sh bench   build and run the benchmarks in tests/bench (prints figures)
#   ./dev.sh fuzz [SECONDS]  build the libFuzzer targets in tests/fuzz with clang and run each SECONDS (60)
# Every command is idempotent: packages already installed are skipped, builds are incremental.
set -euo pipefail
cd "$(dirname "$0")"

# Everything a fresh Debian 12 (debootstrap --variant=minbase) needs for `run` and `test`; .ci/run proves
# it in such a root. Each line says what needs it.
PACKAGES=(
    cmake ninja-build g++ ccache pkg-config tzdata                                 # the build
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev                            # Qt6 config files
    qt6-charts-dev libqt6opengl6-dev                                              # Qt6Charts needs Qt6OpenGL's
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6sql6-sqlite
    libspdlog-dev libphonenumber-dev libcurl4-openssl-dev libsimdjson-dev libsqlite3-dev
    libpcre2-dev libssl-dev
    qtkeychain-qt6-dev libsecret-1-0                                              # keychain (libsecret is dlopened)
    dbus-daemon gnome-keyring                                                     # tests: a private Secret Service
    desktop-file-utils appstream                                                  # tests: the package's metadata
    libxkbcommon-dev libgl1-mesa-dev                                              # Qt6Gui's config (EGL, GL)
)
# Only `fuzz` installs these: clang with libFuzzer and its sanitizer runtimes (libclang_rt.fuzzer-x86_64.a
# and the ASan/UBSan ones are in libclang-rt-14-dev on Debian 12).
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)

install_packages() { # install_packages [PACKAGE...] (default: PACKAGES)
    local missing=() wanted=("$@")
    [ ${#wanted[@]} -eq 0 ] && wanted=("${PACKAGES[@]}")
    for p in "${wanted[@]}"; do
        if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != "installed" ]; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ccache hits whatever folder the checkout is in (a CI clone, a fresh root's /src, a worktree).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

build() { # build DIR [cmake options...]
    local dir=$1
    shift
    cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
    cmake --build "$dir"
}

run_tests() { # run_tests DIR
    QT_QPA_PLATFORM=offscreen ctest --test-dir "$1" --output-on-failure --timeout 600
}

case "${1:-}" in
run)
    install_packages
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    demo=build/demo
    rm -rf "$demo" && mkdir -p "$demo"
    build/app/transom-sandbox --port 0 > "$demo/sandbox.out" 2>&1 &
    sandbox_pid=$!
    trap 'kill $sandbox_pid 2>/dev/null' EXIT
    for _ in $(seq 50); do grep -q listening "$demo/sandbox.out" && break; sleep 0.1; done
    base=$(grep -o 'http://[0-9.:]*' "$demo/sandbox.out")
    sed "s|@RESOURCES@|$PWD/resources|; s|http://127.0.0.1:8765|$base|g" resources/demo/project.json > "$demo/project.json"
    install -m 600 resources/demo/credentials.json "$demo/credentials.json"
    echo "sandbox vendors at $base; project $demo/project.json"
    if [ "${2:-}" != "--headless" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
        echo "Opening the studio on the demo project (close the window to stop the sandbox vendors)."
        build/app/transom-studio "$demo/project.json"
        exit 0
    fi
    echo
    echo "== 1. Preview: the demo mapping on the demo leads (one NDJSON line per lead, summary at the end) =="
    status=0
    build/app/transom-run map --mapping resources/mappings/portal-leads-to-crm-event.json \
        --input resources/demo/samples/portal-leads.json || status=$?
    echo "(exit code $status: 0 all clean, 1 some leads carry field errors, 2 unusable input or mapping)"
    [ "$status" -le 1 ]
    echo
    echo "== 2. Sync: the demo project, portal leads into the CRM, against the sandbox vendors =="
    status=0
    build/app/transom-run run "$demo/project.json" || status=$?
    echo "(exit code $status: 0 all delivered, 1 some leads wait in dead letters, 2 a job failed)"
    echo
    echo "== 3. Dead letters, and one lead's path through the engine =="
    build/app/transom-run deadletters "$demo/project.json" list
    first=$(build/app/transom-run deadletters "$demo/project.json" list 2>/dev/null | awk -F'\t' 'NR == 1 { print $3 }')
    [ -n "$first" ] && build/app/transom-run trace "$demo/project.json" "$first"
    build/app/transom-run trace "$demo/project.json" ZL-100005
    echo
    echo "Again, with nothing new to send:"
    build/app/transom-run run "$demo/project.json" || true
    ;;
test)
    # Both suites run and are reported even when the first fails; the exit code is non-zero if either did.
    # `./dev.sh test plain` or `./dev.sh test asan` runs one of them.
    install_packages
    which=${2:-both}
    plain=skipped asan=skipped
    if [ "$which" != asan ]; then
        plain=passed
        { build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRANSOM_WERROR=ON && run_tests build; } || plain=FAILED
    fi
    if [ "$which" != plain ]; then
        asan=passed
        { build build-asan -DCMAKE_BUILD_TYPE=Debug -DTRANSOM_SANITIZE=ON -DTRANSOM_BUILD_BENCH=OFF &&
            ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                LSAN_OPTIONS=suppressions=$PWD/.ci/lsan.supp run_tests build-asan; } || asan=FAILED
    fi
    echo "== plain build and tests: $plain; ASan + UBSan build and tests: $asan =="
    [ "$plain" != FAILED ] && [ "$asan" != FAILED ]
    ;;
bench)
    install_packages
    build build-release -DCMAKE_BUILD_TYPE=Release -DTRANSOM_BUILD_TESTS=ON -DTRANSOM_BUILD_BENCH=ON
    for b in build-release/tests/bench/bench_*; do
        [ -x "$b" ] && "$b" "${@:2}"
    done
    ;;
fuzz)
    # Each target in tests/fuzz runs SECONDS on its own corpus, build-fuzz/corpus/<target> (kept between
    # runs, seeded from tests/data and tests/fuzz/corpus/<target>). A crash, a hang (over 10 s on one
    # input) or an out-of-memory is written to build-fuzz/findings/<target>/ and fails the command.
    install_packages
    install_packages "${FUZZ_PACKAGES[@]}"
    seconds=${2:-60}
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DTRANSOM_FUZZ=ON -DTRANSOM_BUILD_TESTS=OFF -DTRANSOM_BUILD_BENCH=OFF \
        -DTRANSOM_BUILD_STUDIO=OFF >/dev/null
    cmake --build build-fuzz --target fuzz_targets
    declare -A seeds=(
        [recordreader]="tests/data/fixtures tests/data/mappings/*/source.*"
        [mappingcompiler]="tests/data/mappings/*/mapping.json resources/mappings"
        [rules]=""
        [webhookverifier]=""
        [jsonlocator]="tests/data/fixtures tests/data/mappings/*/mapping.json"
    )
    failed=()
    for target in recordreader mappingcompiler rules webhookverifier jsonlocator; do
        corpus=build-fuzz/corpus/$target findings=build-fuzz/findings/$target
        mkdir -p "$corpus" "$findings"
        # shellcheck disable=SC2086 # the seed globs expand here
        for seed in $(find tests/fuzz/corpus/$target ${seeds[$target]} -type f); do
            cp -n "$seed" "$corpus/$(sha1sum <"$seed" | cut -c1-40)" # libFuzzer's own naming: no duplicates
        done
        echo "== fuzz_$target: ${seconds} s on $(find "$corpus" -type f | wc -l) corpus inputs =="
        status=0
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 build-fuzz/tests/fuzz/fuzz_"$target" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$findings"/ "$corpus" >"$findings.log" 2>&1 || status=$?
        grep -E '^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ +DONE)' "$findings.log" || true
        if [ "$status" -ne 0 ]; then
            grep -E '^(==[0-9]+==ERROR|SUMMARY|.*FUZZ_CHECK failed|ALARM|==[0-9]+== ERROR: libFuzzer)' "$findings.log" || true
            for f in $(grep -o "Test unit written to .*" "$findings.log" | sed 's/Test unit written to //'); do
                echo "fuzz_$target found a problem; the input is $f (rerun: build-fuzz/tests/fuzz/fuzz_$target $f)"
            done
            echo "(the whole log: $findings.log)"
            failed+=("fuzz_$target")
        fi
    done
    if [ ${#failed[@]} -ne 0 ]; then
        echo "== findings from: ${failed[*]} =="
        exit 1
    fi
    echo "== no findings from any fuzz target =="
    ;;
*)
    sed -n '2,7p' "$0"
    exit 64
    ;;
esac
