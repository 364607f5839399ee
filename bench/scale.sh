#!/usr/bin/env bash
# scale.sh: the staff screens on a 10-year, 50-site data set (DESIGN.md §8: every screen under
# 50 ms). Builds the data set into a temp database (bench/scale.sql, one transaction), starts
# haven on it, signs in as a bench admin (made with `haven user add`) and times each screen with curl over one keep-alive
# connection: p50 / p99 / max per screen. Prints figures; checks nothing; never part of make test.
#
#   make && bash bench/scale.sh
#   N=300 HAVEN_BIN=./haven KEEP=1 bash bench/scale.sh     # requests per screen; keep the temp dir
#   DB=/tmp/x/haven.db bash bench/scale.sh                 # reuse a database built before
#
# Needs sqlite3, curl and node (one real referral is created through the public form first, so
# that the copied answers and result are what the app itself writes).
set -euo pipefail

HAVEN_BIN=${HAVEN_BIN:-./haven}
N=${N:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
HAVEN_BIN=$(cd "$(dirname "$HAVEN_BIN")" && pwd)/$(basename "$HAVEN_BIN")
TMP=$(mktemp -d /tmp/haven-scale-XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    [ -n "${KEEP:-}" ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() { # start haven --demo on $DB; sets PID, PORT, ORIGIN
    PORT=$(free_port)
    ORIGIN="http://127.0.0.1:$PORT"
    "$HAVEN_BIN" serve --demo --db "$DB" --port "$PORT" --max-per-address 0 --log-level warn 2>"$TMP/stderr" &
    PID=$!
    for _ in $(seq 1 200); do
        curl -fs "$ORIGIN/healthz" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "haven did not start"; cat "$TMP/stderr"; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

if [ -z "${DB:-}" ]; then
    DB=$TMP/haven.db
    "$HAVEN_BIN" migrate --db "$DB" >/dev/null
    start
    # One real referral through the public form: the template the generator copies.
    ORIGIN=$ORIGIN node --input-type=module -e "
        import { postForm, extractCall } from '$ROOT/tests/helpers/server.mjs';
        import { PROFILES } from '$ROOT/tests/helpers/profiles.mjs';
        const o = process.env.ORIGIN;
        const res = await postForm(o, '/assessment/result', PROFILES.php.answers);
        const c = extractCall(res);
        const sent = await postForm(o, '/assessment/call', { csrf: c.csrf, answers: c.answers,
            name: 'Template Person', phone: '555-010-0100', 'best-time': 'any', voicemail: 'yes',
            consent: 'yes' }, { headers: { cookie: c.cookie } });
        if (sent.status !== 303) { console.error('template referral:', sent.status); process.exit(1); }"
    stop
    t0=$(date +%s.%N)
    sqlite3 "$DB" <"$HERE/scale.sql" >/dev/null
    # Search keys (migration 0006 and later): the names are plain ASCII, so lower() is the key.
    if sqlite3 "$DB" "select 1 from pragma_table_info('patients') where name = 'name_key'" | grep -q 1; then
        sqlite3 "$DB" "UPDATE patients SET name_key = lower(first_name || ' ' || last_name),
                       name_key_rl = lower(last_name || ' ' || first_name); ANALYZE;"
    fi
    t1=$(date +%s.%N)
    printf 'data set built in %.1f s: ' "$(echo "$t1 - $t0" | bc)"
fi
sqlite3 -separator ' ' "$DB" "select (select count(*) from patients), (select count(*) from referrals),
    (select count(*) from referral_calls), (select count(*) from consents),
    (select count(*) from audit_log)" |
    awk '{printf "%d patients, %d referrals, %d calls, %d consents, %d audit entries (no attendance table yet)\n", $1, $2, $3, $4, $5}'
ls -l "$DB" | awk '{printf "database: %.0f MB\n", $5 / 1048576}'

start
# The data set has real-looking staff, so --demo creates no accounts: make a bench admin with the
# CLI and set its password through the one-time link, as a clinic would.
EMAIL=bench-admin@bench.example
PASS=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 24)
LINK=$("$HAVEN_BIN" user add "$EMAIL" --name "Bench Admin" --role admin --role admissions \
        --role clinician --db "$DB" 2>/dev/null || "$HAVEN_BIN" user reset "$EMAIL" --db "$DB")
TOKEN=$(printf '%s\n' "$LINK" | sed -n 's/.*set-password?token=\([A-Za-z0-9_-]*\).*/\1/p' | head -1)
[ -n "$TOKEN" ] || { echo "no set-password link from haven user: $LINK"; exit 1; }
JAR=$TMP/jar
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$ORIGIN/staff/set-password?token=$TOKEN" |
    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "token=$TOKEN" \
    --data-urlencode "password=$PASS" --data-urlencode "confirm=$PASS" --data-urlencode "csrf=$CSRF" \
    "$ORIGIN/staff/set-password")
case $code in 200|303) ;; *) echo "set-password failed: $code"; exit 1 ;; esac
CSRF=$(curl -fs -c "$JAR" -b "$JAR" "$ORIGIN/staff/sign-in" |
    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "email=$EMAIL" \
    --data-urlencode "password=$PASS" --data-urlencode "csrf=$CSRF" "$ORIGIN/staff/sign-in")
[ "$code" = 303 ] || { echo "sign-in failed: $code"; exit 1; }

q() { sqlite3 "$DB" "$1"; }
REF_OPEN=$(q "select public_id from referrals where status = 'new' order by id limit 1")
REF_OLD=$(q "select public_id from referrals where status = 'admitted' order by id limit 1")
PAT=$(q "select public_id from patients order by id desc limit 1 offset 5000")
LAST=$(q "select last_name from patients where public_id = '$PAT'")
FIRST=$(q "select first_name from patients where public_id = '$PAT'")
DIGITS=$(q "select phone_digits from patients where public_id = '$PAT'")
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

screens=(
    "queue (all open)|/staff/queue"
    "queue (closed)|/staff/queue?status=closed"
    "referral (open)|/staff/referrals/$REF_OPEN"
    "referral (admitted)|/staff/referrals/$REF_OLD"
    "patients (recent)|/staff/patients"
    "search: last-name prefix|/staff/patients?q=$(enc "${LAST:0:3}")"
    "search: one letter|/staff/patients?q=s"
    "search: first last|/staff/patients?q=$(enc "$FIRST ${LAST:0:2}")"
    "search: phone (10 digits)|/staff/patients?q=$DIGITS"
    "search: phone (last 7)|/staff/patients?q=${DIGITS: -7}"
    "search: patient id|/staff/patients?q=$PAT"
    "patient chart|/staff/patients/$PAT"
    "audit (first page)|/staff/audit"
    "audit (filter: user)|/staff/audit?user=clinician7%40site7.example"
)
printf '\n%-28s %8s %8s %8s %8s  %s\n' screen p50_ms p99_ms max_ms bytes status
for s in "${screens[@]}"; do
    name=${s%%|*}; path=${s#*|}
    cfg=$TMP/curl.cfg
    : >"$cfg"
    for _ in $(seq 1 "$N"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$ORIGIN$path" >>"$cfg"; done
    curl -s -b "$JAR" -K "$cfg" -w '%{http_code} %{time_total} %{size_download}\n' >"$TMP/times"
    status=$(awk '{print $1}' "$TMP/times" | sort | uniq -c | awk '{printf "%s%sx%s", s, $1, $2; s=","}')
    bytes=$(tail -1 "$TMP/times" | awk '{print $3}')
    awk '{print $2 * 1000}' "$TMP/times" | sort -n | awk -v n="$N" -v name="$name" -v b="$bytes" -v st="$status" '
        { v[NR] = $1 }
        END { p50 = v[int(n * 0.50 + 0.5)]; p99 = v[int(n * 0.99 + 0.5)];
              printf "%-28s %8.2f %8.2f %8.2f %8d  %s%s\n", name, p50, p99, v[n], b, st,
                     (p99 > 50 ? "  OVER BUDGET" : "") }'
done
echo
echo "budget: every screen under 50 ms (DESIGN.md §8); N=$N sequential requests per screen, one connection"
