#!/usr/bin/env bash
# bench/assessment.sh: load figures for the public pages and the signed-in staff screens against
# the budgets of DESIGN.md §8. Prints figures; asserts nothing; never part of `make test`.
#
# Each haven page is loaded beside nginx serving the same bytes as a static file, in the same
# run (the yardstick: haven should reach >= 0.25x, goal 0.5x, with p99 < 10 ms at 64
# connections):
#   haven  GET  /assessment                    (the kept questionnaire page)
#   haven  GET  /                              (the home page, kept per worker)
#   haven  POST /assessment/result             (a complete answer set: scoring and rendering)
#   haven  GET  /staff/queue                   (signed in: session, audit entries, the queue)
#   haven  GET  /staff/patients/:id            (signed in: a patient's chart)
#   haven  GET  /me/                           (a patient signed in to the portal: Today)
#   haven  GET  /me/check-in                   (the portal's daily check-in form)
#   haven  GET  /me/plan                       (the portal's approved relapse-prevention plan)
# and, without a yardstick, the score API (bench/score.lua), haven's resident memory when idle
# and its start-up time to the first /healthz answer. Each pair runs ROUNDS times.
#
# Everything runs on 127.0.0.1 on free ports, in a temp dir that is removed at exit; nginx
# runs from its own config in that dir (daemon off, in the background) and is stopped at exit.
#
# Needs: ./haven (make), wrk, nginx, curl, node and sqlite3 (the staff records are made over
# HTTP by bench/staff_setup.mjs, with the test helpers).
# Knobs: HAVEN_BIN (./haven), THREADS (2), CONNS (64), DURATION (10s), ROUNDS (2), ONLY (a
# space-separated list of page names to load: assessment home result queue patient
# portal-today portal-checkin portal-plan).

set -euo pipefail
cd "$(dirname "$0")/.."

HAVEN_BIN=${HAVEN_BIN:-./haven}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-2}

die() { echo "bench: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (apt-get install $2)"; }
need wrk wrk
need nginx nginx
need curl curl
need node nodejs
need sqlite3 sqlite3
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

# A port nobody listens on (connect refused), below the kernel's ephemeral range (32768 and up), so
# that no outgoing connection holds it.
free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$((20000 + RANDOM % 12000))
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
    "$HAVEN_BIN" serve --bind 127.0.0.1 --port "$hport" --max-per-address 0 "$@" 2>"$tmp/haven.err" &
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
HAVEN_DEMO_REFERRALS=1 time_start --db "$tmp/haven.db" --demo --log-level warn
startup_demo_ms=$took_ms

sleep 0.5
rss_idle_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$haven_pid/status")


# ---------------------------------------------------------------- the pages and their bytes
mkdir -p "$tmp/www"
# Staff records made over HTTP: a signed-in admissions session, a patient, the result form;
# the same patient signed in to the portal, with an approved relapse-prevention plan.
setup=$(ORIGIN=$horigin DB=$tmp/haven.db STDERR=$tmp/haven.err RESULT_BODY=$tmp/result.form \
    node bench/staff_setup.mjs) || die "bench/staff_setup.mjs failed"
COOKIE=$(sed -n "s/^COOKIE='\(.*\)'$/\1/p" <<<"$setup")
PATIENT=$(sed -n 's/^PATIENT=\([A-Za-z0-9-]*\)$/\1/p' <<<"$setup")
PORTAL_COOKIE=$(sed -n "s/^PORTAL_COOKIE='\(.*\)'$/\1/p" <<<"$setup")
[ -n "$COOKIE" ] && [ -n "$PATIENT" ] || die "no staff session or patient: $setup"
[[ $PORTAL_COOKIE == *haven_me=* ]] || die "no portal session: $setup"

save() { # NAME PATH [CURL ARGS...]: haven's 200 answer kept as www/NAME.html for nginx
    local name=$1 path=$2 code
    shift 2
    code=$(curl -sS -o "$tmp/www/$name.html" -w '%{http_code}' "$@" "$horigin$path") ||
        die "$path failed"
    [ "$code" = 200 ] || die "$path answered $code"
    chmod 644 "$tmp/www/$name.html"
}
form=(-H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$tmp/result.form")
save assessment /assessment
save home /
save result /assessment/result "${form[@]}"
grep -q 'name="csrf"' "$tmp/www/result.html" || die "the result page has no call form"
save queue /staff/queue -H "Cookie: $COOKIE"
save patient "/staff/patients/$PATIENT" -H "Cookie: $COOKIE"
grep -q 'Bench' "$tmp/www/patient.html" || die "the patient page does not show the patient"
save portal-today /me/ -H "Cookie: $PORTAL_COOKIE"
grep -q 'Hello, Bench' "$tmp/www/portal-today.html" || die "the portal's Today is not the patient's"
save portal-checkin /me/check-in -H "Cookie: $PORTAL_COOKIE"
grep -q 'id="checkin-form"' "$tmp/www/portal-checkin.html" || die "no check-in form"
save portal-plan /me/plan -H "Cookie: $PORTAL_COOKIE"
grep -q 'Walk round the block' "$tmp/www/portal-plan.html" || die "the portal's plan is not shown"

score_body=$(sed -n 's/^wrk\.body = \[\[\(.*\)\]\]$/\1/p' bench/score.lua)
[ -n "$score_body" ] || die "cannot read the request body from bench/score.lua"
score_resp=$(curl -sS -H 'Content-Type: application/json' --data-binary "$score_body" \
    -w '\n%{http_code}' "$horigin/api/v1/assessments/score")
score_code=${score_resp##*$'\n'}
[ "$score_code" = 200 ] || die "score API answered $score_code: ${score_resp%$'\n'*}"
grep -q '"level": *"php"' <<<"$score_resp" || echo "bench: warning: score response is not level php" >&2

# ---------------------------------------------------------------- nginx with the same bytes
nport=$(free_port)
norigin="http://127.0.0.1:$nport"
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<NGINX
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
    }
}
NGINX
nginx -e "$tmp/nginx/error.log" -c "$tmp/nginx.conf" -p "$tmp/nginx" &
nginx_pid=$!
deadline=$(( $(now_ns) + 5000000000 ))
until curl -fsS -o /dev/null "$norigin/assessment.html" 2>/dev/null; do
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx/error.log" >&2; die "nginx exited"; }
    [ "$(now_ns)" -lt "$deadline" ] || die "nginx did not start"
    sleep 0.05
done
cmp -s "$tmp/www/assessment.html" <(curl -fsS "$norigin/assessment.html") ||
    die "nginx serves other bytes"

# ---------------------------------------------------------------- load
# wrk scripts: each prints one machine-readable RESULT line; the result page's carries its form.
cat >"$tmp/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d sockerr=%d\n",
        summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
LUA
{
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
    printf 'wrk.body = [[%s]]\n' "$(cat "$tmp/result.form")"
    cat "$tmp/report.lua"
} >"$tmp/result.lua"

run() { # NAME SCRIPT URL [WRK ARGS...] -> prints the RESULT line; wrk's output in $tmp/NAME.txt
    local name=$1 script=$2 url=$3
    shift 3
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$script" "$@" "$url" \
        >"$tmp/$name.txt" 2>&1 || { cat "$tmp/$name.txt" >&2; die "wrk failed for $name"; }
    grep '^RESULT ' "$tmp/$name.txt" | tail -1
}
# haven's CPU time (user + system, all threads) in clock ticks: per request, it is the figure
# that moves least when other work shares the machine.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$haven_pid/stat"; }
hz=$(getconf CLK_TCK)
run_haven() { # as run, with cpu_us= (haven's CPU microseconds per request) added
    local t0 res
    t0=$(cpu_ticks)
    res=$(run "$@")
    awk -v r="$res" -v t="$(( $(cpu_ticks) - t0 ))" -v hz="$hz" -v n="$(field requests "$res")" \
        'BEGIN { printf "%s cpu_us=%.0f\n", r, (n > 0 ? t * 1e6 / hz / n : 0) }'
}
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }
row() { # LABEL RESULT [RATIO]
    printf '%-40s %11s %9s %9s %7s %7s %8s\n' "$1" "$(field rps "$2")" "$(field p50_ms "$2")" \
        "$(field p99_ms "$2")" "$(( $(field non2xx "$2") + $(field sockerr "$2") ))" "${3:-}" \
        "$(field cpu_us "$2")"
}
ratio() { # HAVEN_RESULT NGINX_RESULT
    awk -v h="$(field rps "$1")" -v n="$(field rps "$2")" \
        'BEGIN { printf "%.2f", (n > 0 ? h / n : 0) }'
}

# NAME (nginx serves www/NAME.html)|label|haven path|wrk script|haven's extra wrk arguments...
targets=(
    "assessment|GET /assessment|/assessment|report.lua"
    "home|GET / (home)|/|report.lua"
    "result|POST /assessment/result|/assessment/result|result.lua"
    "queue|GET /staff/queue (signed in)|/staff/queue|report.lua|-H|Cookie: $COOKIE"
    "patient|GET /staff/patients/:id (signed in)|/staff/patients/$PATIENT|report.lua|-H|Cookie: $COOKIE"
    "portal-today|GET /me/ (patient, Today)|/me/|report.lua|-H|Cookie: $PORTAL_COOKIE"
    "portal-checkin|GET /me/check-in (patient)|/me/check-in|report.lua|-H|Cookie: $PORTAL_COOKIE"
    "portal-plan|GET /me/plan (patient)|/me/plan|report.lua|-H|Cookie: $PORTAL_COOKIE"
)
echo "bench: wrk -t$THREADS -c$CONNS -d$DURATION on $(nproc) cores, $ROUNDS rounds" >&2
summary=()
printf '\n%-40s %11s %9s %9s %7s %7s %8s\n' "target" "requests/s" "p50 ms" "p99 ms" "errors" \
    "ratio" "cpu us"
for t in "${targets[@]}"; do
    IFS='|' read -r -a f <<<"$t"
    name=${f[0]} label=${f[1]} path=${f[2]} script=$tmp/${f[3]}
    extra=("${f[@]:4}")
    [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $name "* ]] || continue
    bytes=$(wc -c <"$tmp/www/$name.html")
    worst_ratio=99 worst_p99=0
    for round in $(seq 1 "$ROUNDS"); do
        rh=$(run_haven "haven-$name-$round" "$script" "$horigin$path" "${extra[@]}")
        rn=$(run "nginx-$name-$round" "$tmp/report.lua" "$norigin/$name.html")
        r=$(ratio "$rh" "$rn")
        row "haven $label" "$rh" "${r}x"
        row "  nginx, the same $bytes bytes" "$rn"
        worst_ratio=$(awk -v a="$worst_ratio" -v b="$r" 'BEGIN { print (b < a ? b : a) }')
        worst_p99=$(awk -v a="$worst_p99" -v b="$(field p99_ms "$rh")" \
            'BEGIN { print (b > a ? b : a) }')
    done
    summary+=("$(printf '%-40s %6sx %9s ms' "$label" "$worst_ratio" "$worst_p99")")
done
r_score=$(run_haven haven-score bench/score.lua "$horigin/api/v1/assessments/score")
row "haven POST score API" "$r_score"
rss_after_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$haven_pid/status")
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$haven_pid/status")

# ---------------------------------------------------------------- report
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo
echo "worst of $ROUNDS rounds (budget: >= 0.25x nginx, goal 0.50x; p99 < 10 ms at $CONNS connections)"
printf '%-40s %7s %12s\n' "page" "ratio" "p99"
printf '%s\n' "${summary[@]}"
echo
echo "score API:                        $(field rps "$r_score") requests/s   (budget >= 20000)"
echo "haven RSS idle:                   $(mib "$rss_idle_kb") MiB   (budget < 30 MB)"
echo "haven RSS after load (peak):      $(mib "$rss_after_kb") MiB ($(mib "$hwm_kb") MiB)"
echo "haven start-up to first /healthz: $startup_ms ms   (budget < 100 ms; fresh database)"
echo "  the same with --demo:           $startup_demo_ms ms   (6 demo accounts, one argon2id hash each)"
