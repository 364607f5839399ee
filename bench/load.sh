#!/usr/bin/env bash
# bench/load.sh: the load test (issue 8, "Reliability as tests"; `make load-test`, run by .ci/run
# after `make test`). 60 s of mixed public and staff traffic at 64 connections (bench/load.lua:
# the assessment page, scored results, call requests, a signed-in member's queue and a
# patient's chart) against ./haven on a fresh demo database. It prints figures; it fails only
# when a request got an error (a status other than 2xx/3xx, a redirect other than the call
# request's, e.g. a staff page sent to sign-in, or a socket error) or when the
# server's own memory grew: its anonymous resident memory (RssAnon: heap and stacks, where a
# leak shows) at the end may exceed that at 20 s by at most RSS_MARGIN_PCT percent (default 10)
# plus RSS_MARGIN_KB (default 4096: allocator noise). File-backed memory (RssFile) is printed,
# not asserted: the database file is memory-mapped for reads and grows with the load's writes. No
# latency or throughput is asserted: they depend on the machine (bench/assessment.sh measures).
#
# Needs: ./haven (make), wrk, node and sqlite3 (tools/deps.sh --test installs them).
# Knobs: HAVEN_BIN (./haven), THREADS (2), CONNS (64), DURATION (60, seconds), SAMPLE_AT (20),
# TIMEOUT (30, seconds: an answer slower than that counts as an error), RSS_MARGIN_PCT,
# RSS_MARGIN_KB.

set -euo pipefail
cd "$(dirname "$0")/.."

HAVEN_BIN=${HAVEN_BIN:-./haven}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DURATION=${DURATION:-60}
SAMPLE_AT=${SAMPLE_AT:-20}
TIMEOUT=${TIMEOUT:-30}
RSS_MARGIN_PCT=${RSS_MARGIN_PCT:-10}
RSS_MARGIN_KB=${RSS_MARGIN_KB:-4096}

die() { echo "load-test: $*" >&2; exit 1; }
for tool in wrk node sqlite3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (tools/deps.sh --test)"
done
[ -x "$HAVEN_BIN" ] || die "$HAVEN_BIN not found or not executable (run make first)"

tmp=$(mktemp -d /tmp/haven-load.XXXXXX)
haven_pid=
cleanup() {
    if [ -n "$haven_pid" ]; then
        kill -TERM "$haven_pid" 2>/dev/null || true
        wait "$haven_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss_kb() { awk '/^RssAnon:/ { print $2 }' "/proc/$haven_pid/status"; }
file_kb() { awk '/^RssFile:/ { print $2 }' "/proc/$haven_pid/status"; }

# ---------------------------------------------------------------- haven on a free port
# Port 0: the kernel picks one; haven names it in its "listening on" line. No call limit and no
# per-address connection limit: the load's 64 connections and call requests come from one
# address.
: >"$tmp/haven.err"
HAVEN_CALL_LIMIT=100000 "$HAVEN_BIN" serve --bind 127.0.0.1 --port 0 --db "$tmp/haven.db" --demo \
    --max-per-address 0 2>"$tmp/haven.err" &
haven_pid=$!
origin=
for _ in $(seq 1 100); do
    origin=$(sed -n 's/.*listening on \(http:\/\/[0-9.]*:[0-9]*\).*/\1/p' "$tmp/haven.err")
    [ -n "$origin" ] && break
    kill -0 "$haven_pid" 2>/dev/null || { cat "$tmp/haven.err" >&2; die "haven exited"; }
    sleep 0.1
done
[ -n "$origin" ] || { cat "$tmp/haven.err" >&2; die "haven did not start within 10 s"; }

# ---------------------------------------------------------------- records and credentials
# Through the test helpers, the way people make them: a member of admissions signed in, a
# patient admitted, a result page's call form (its CSRF cookie and token, its answers).
LOAD_DIR=$tmp ORIGIN=$origin DB=$tmp/haven.db ERR=$tmp/haven.err node --input-type=module -e '
import fs from "node:fs";
const h = (f) => import(`${process.cwd()}/tests/helpers/${f}`);
const { postForm, extractCall, formEncode } = await h("server.mjs");
const { signIn } = await h("staff.mjs");
const { makePatient } = await h("records.mjs");
const { PROFILES } = await h("profiles.mjs");
const env = process.env;
const srv = { origin: env.ORIGIN, db: env.DB, stderr: () => fs.readFileSync(env.ERR, "utf8") };
const staff = { admissions: await signIn(srv, "admissions"), clinician: await signIn(srv, "clinician") };
const patient = await makePatient(srv, staff, "Lee Load");
const result = formEncode(PROFILES.php.answers);
const page = await postForm(srv.origin, "/assessment/result", result);
const c = extractCall(page);
const call = new URLSearchParams({ csrf: c.csrf, answers: c.answers, name: "Lee Load",
    phone: "555-010-0199", "best-time": "any", voicemail: "yes", consent: "yes" }).toString();
const out = (name, text) => fs.writeFileSync(`${env.LOAD_DIR}/${name}`, text);
out("result.body", result);
out("call.body", call);
out("call.cookie", c.cookie);
out("staff.cookie", staff.admissions.jar.header());
out("patient.id", patient);
' || die "setting up the records failed"

# ---------------------------------------------------------------- the load
echo "load-test: wrk -t$THREADS -c$CONNS -d${DURATION}s on $(nproc) cores against $origin" >&2
rss_start=$(rss_kb)
# wrk's own timeout (2 s) would make a slow answer an error, a latency assert in disguise: an
# answer may take up to TIMEOUT; one that never comes is an error.
LOAD_DIR=$tmp wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout "${TIMEOUT}s" --latency \
    -s bench/load.lua "$origin" >"$tmp/wrk.txt" 2>&1 &
wrk_pid=$!
sleep "$SAMPLE_AT"
rss_at=$(rss_kb)
wait "$wrk_pid" || { cat "$tmp/wrk.txt" >&2; die "wrk failed"; }
rss_end=$(rss_kb)
file_end=$(file_kb)
kill -0 "$haven_pid" 2>/dev/null || { tail -20 "$tmp/haven.err" >&2; die "haven died under load"; }

# ---------------------------------------------------------------- report and verdict
cat "$tmp/wrk.txt"
result=$(grep '^RESULT ' "$tmp/wrk.txt" | tail -1)
[ -n "$result" ] || die "no RESULT line from bench/load.lua"
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$result"; }
errors=$(( $(field non2xx) + $(field sockerr) + $(field redirects) ))
allowed=$(( rss_at + rss_at * RSS_MARGIN_PCT / 100 + RSS_MARGIN_KB ))
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
echo
echo "requests:           $(field requests) ($(field rps)/s, p50 $(field p50_ms) ms, p99 $(field p99_ms) ms)"
echo "errors:             $errors ($(field non2xx) not 2xx/3xx, $(field sockerr) socket errors," \
     "$(field redirects) pages not served: redirected)"
echo "RSS (anonymous):    $(mib "$rss_start") before, $(mib "$rss_at") at ${SAMPLE_AT} s," \
     "$(mib "$rss_end") at ${DURATION} s (allowed up to $(mib "$allowed"))"
echo "RSS (file-backed):  $(mib "$file_end") at ${DURATION} s (the mapped database; not asserted)"
fail=0
[ "$errors" -eq 0 ] || { echo "load-test: FAILED: $errors errors" >&2; fail=1; }
[ "$rss_end" -le "$allowed" ] || { echo "load-test: FAILED: memory grew" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "load-test: ok"
exit "$fail"
