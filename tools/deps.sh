#!/bin/sh
# deps: installs what a fresh Debian 12 machine lacks to build and run Haven, and with --test
# what the test suites need (sanitiser runtime, cmocka, clang for fuzzing, chromium, wrk for the
# load test, npm packages).
# Idempotent: it only calls apt-get/npm when something is missing.
set -eu

build_pkgs="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
    liboath-dev libqrencode-dev zlib1g-dev libcurl4-gnutls-dev tzdata"
test_pkgs="libcmocka-dev clang libclang-rt-14-dev sqlite3 chromium nodejs npm python3 binutils wrk"
bench_pkgs="wrk nginx-light curl sqlite3 nodejs"

pkgs=$build_pkgs
case "${1:-}" in
--test) pkgs="$pkgs $test_pkgs" ;;
--bench) pkgs="$pkgs $bench_pkgs" ;;
esac

missing=""
for p in $pkgs; do
    # Node may come from elsewhere than Debian (a newer build); then do not ask apt for it.
    case $p in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done

if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ "${1:-}" = "--test" ]; then
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "deps: npm ci"
        npm ci --no-audit --no-fund --loglevel=error
    fi
fi
