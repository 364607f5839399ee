#!/usr/bin/env bash
# bench/assessment.sh: load figures for the public assessment against the budgets of
# DESIGN.md §8. Prints figures; asserts nothing; never part of `make test`.
#
#   haven  GET  /assessment                    (the dynamic form page)
#   nginx  GET  the same bytes as a static file (the yardstick: haven should reach >= 0.5x)
#   haven  POST /api/v1/assessments/score      (bench/score.lua, a complete profile)
# plus haven's resident memory when idle and its start-up time to the first /healthz answer.
#
# Everything runs on 127.0.0.1 on free ports, in a temp dir that is removed at exit; nginx
# runs from its own config in that dir (daemon off, in the background) and is stopped at exit.
#
# Needs: ./haven (make), wrk, nginx, curl (Debian: apt-get install wrk nginx curl).
# Knobs: HAVEN_BIN (./haven), THREADS (2), CONNS (64), DURATION (10s).

set -euo pipefail
cd "$(dirname "$0")/.."

HAVEN_BIN=${HAVEN_BIN:-./haven}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DURATION=${DURATION:-10s}

die() { echo "bench: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (apt-get install $2)"; }
need wrk wrk
need nginx nginx
need curl curl
[ -x "$HAVEN_BIN" ] || die "$HAVEN_BIN not found or not executable (run make first)"

tmp=$(mktemp -d /tmp/haven-bench.XXXXXX)
chmod 755 "$tmp" # nginx workers may run as another user and must read www/
haven_pid=
nginx_pid=

stop_pid() { # PID: TERM, wait up to 5 s, then KILL
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    [ -n "$haven_pid" ] && stop_pid "$haven_pid"
    [ -n "$nginx_pid" ] && stop_pid "$nginx_pid"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nobody listens on (connect refused); good enough on a quiet machine.
free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}

# One GET /healthz over bash's /dev/tcp (no process start-up in the measured loop).
healthz_ok() {
    local line
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
        IFS= read -r line <&3 || exit 1
        [[ $line == HTTP/1.?" 200"* ]]
    ) 2>/dev/null
}

now_ns() { date +%s%N; }

# ---------------------------------------------------------------- start haven, time it
# Start-up is timed on a plain server with a fresh database (migrations, key file); --demo adds
# one argon2id hash per demo account (~0.1 s each, by design), so it is timed apart.
time_start() { # ARGS... -> sets took_ms (ms to the first 200 from /healthz); haven_pid stays running
    local t0 t1 deadline
    hport=$(free_port)
    horigin="http://127.0.0.1:$hport"
    t0=$(now_ns)
    "$HAVEN_BIN" serve --bind 127.0.0.1 --port "$hport" "$@" 2>"$tmp/haven.err" &
    haven_pid=$!
    deadline=$(( $(now_ns) + 10000000000 ))
    until healthz_ok "$hport"; do
        kill -0 "$haven_pid" 2>/dev/null || { cat "$tmp/haven.err" >&2; die "haven exited during start-up"; }
        [ "$(now_ns)" -lt "$deadline" ] || { cat "$tmp/haven.err" >&2; die "haven did not answer /healthz within 10 s"; }
    done
    t1=$(now_ns)
    took_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
}
time_start --db "$tmp/plain.db" --log-level warn
startup_ms=$took_ms
stop_pid "$haven_pid"
haven_pid=
time_start --db "$tmp/haven.db" --demo --log-level warn
startup_demo_ms=$took_ms

sleep 0.5
rss_idle_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$haven_pid/status")

# ---------------------------------------------------------------- sanity checks
mkdir -p "$tmp/www"
curl -fsS -o "$tmp/www/assessment.html" "$horigin/assessment" || die "GET /assessment failed"
# The home page is rendered per request from the database (tracks and schedule).
curl -fsS -o "$tmp/www/home.html" "$horigin/" || die "GET / failed"
chmod 644 "$tmp/www/assessment.html" "$tmp/www/home.html"
page_bytes=$(wc -c <"$tmp/www/assessment.html")

score_body=$(sed -n 's/^wrk\.body = \[\[\(.*\)\]\]$/\1/p' bench/score.lua)
[ -n "$score_body" ] || die "cannot read the request body from bench/score.lua"
score_resp=$(curl -sS -H 'Content-Type: application/json' --data-binary "$score_body" \
    -w '\n%{http_code}' "$horigin/api/v1/assessments/score")
score_code=${score_resp##*$'\n'}
[ "$score_code" = 200 ] || die "score API answered $score_code: ${score_resp%$'\n'*}"
grep -q '"level": *"php"' <<<"$score_resp" || echo "bench: warning: score response is not level php" >&2

# ---------------------------------------------------------------- nginx with the same bytes
nport=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    default_type text/html;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000000;
    server {
        listen 127.0.0.1:$nport;
        root $tmp/www;
        location = /assessment { try_files /assessment.html =404; }
        location = / { try_files /home.html =404; }
    }
}
EOF
nginx -e "$tmp/nginx/error.log" -c "$tmp/nginx.conf" -p "$tmp/nginx" &
nginx_pid=$!
deadline=$(( $(now_ns) + 5000000000 ))
until curl -fsS -o /dev/null "http://127.0.0.1:$nport/assessment" 2>/dev/null; do
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx/error.log" >&2; die "nginx exited"; }
    [ "$(now_ns)" -lt "$deadline" ] || die "nginx did not start"
    sleep 0.05
done
cmp -s "$tmp/www/assessment.html" <(curl -fsS "http://127.0.0.1:$nport/assessment") || die "nginx serves other bytes"

# ---------------------------------------------------------------- load
cat >"$tmp/report.lua" <<'EOF'
done = function(summary, latency, requests)
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d sockerr=%d\n",
        summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
EOF

run() { # NAME SCRIPT URL -> prints the RESULT line, keeps wrk's full output in $tmp/NAME.txt
    local name=$1 script=$2 url=$3
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$script" "$url" >"$tmp/$name.txt" 2>&1 \
        || { cat "$tmp/$name.txt" >&2; die "wrk failed for $name"; }
    grep '^RESULT ' "$tmp/$name.txt" | tail -1
}
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

echo "bench: wrk -t$THREADS -c$CONNS -d$DURATION on $(nproc) cores; page $page_bytes bytes" >&2
r_haven=$(run haven-page "$tmp/report.lua" "$horigin/assessment")
r_nginx=$(run nginx-page "$tmp/report.lua" "http://127.0.0.1:$nport/assessment")
r_hhome=$(run haven-home "$tmp/report.lua" "$horigin/")
r_nhome=$(run nginx-home "$tmp/report.lua" "http://127.0.0.1:$nport/")
r_score=$(run haven-score bench/score.lua "$horigin/api/v1/assessments/score")
rss_after_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$haven_pid/status")
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$haven_pid/status")

# ---------------------------------------------------------------- report
printf '\n%-34s %12s %10s %10s %8s\n' "target" "requests/s" "p50 ms" "p99 ms" "errors"
for pair in "haven GET /assessment|$r_haven" "nginx static, same bytes|$r_nginx" "haven GET / (home, from the db)|$r_hhome" "nginx static, same bytes|$r_nhome" "haven POST score API|$r_score"; do
    label=${pair%%|*}
    r=${pair#*|}
    errs=$(( $(field non2xx "$r") + $(field sockerr "$r") ))
    printf '%-34s %12s %10s %10s %8s\n' "$label" "$(field rps "$r")" "$(field p50_ms "$r")" "$(field p99_ms "$r")" "$errs"
done
ratio=$(awk -v h="$(field rps "$r_haven")" -v n="$(field rps "$r_nginx")" 'BEGIN { printf "%.2f", (n > 0 ? h / n : 0) }')
echo
echo "assessment haven/nginx ratio:     $ratio   (budget >= 0.50)"
ratio_home=$(awk -v h="$(field rps "$r_hhome")" -v n="$(field rps "$r_nhome")" 'BEGIN { printf "%.2f", (n > 0 ? h / n : 0) }')
echo "home haven/nginx ratio:           $ratio_home   (budget >= 0.50)"
echo "home p99:                         $(field p99_ms "$r_hhome") ms   (budget < 10 ms at $CONNS connections)"
echo "haven page p99:                   $(field p99_ms "$r_haven") ms   (budget < 10 ms at $CONNS connections)"
echo "score API:                        $(field rps "$r_score") requests/s   (budget >= 20000)"
echo "haven RSS idle:                   $(awk -v k="$rss_idle_kb" 'BEGIN { printf "%.1f", k / 1024 }') MiB   (budget < 30 MB)"
echo "haven RSS after load (peak):      $(awk -v k="$rss_after_kb" 'BEGIN { printf "%.1f", k / 1024 }') MiB ($(awk -v k="$hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }') MiB)"
echo "haven start-up to first /healthz: $startup_ms ms   (budget < 100 ms; fresh database)"
echo "  the same with --demo:           $startup_demo_ms ms   (6 demo accounts, one argon2id hash each)"
