#!/usr/bin/env bash
# program.sh: the program's reads on a network-sized data set (issue 9: 50 tracks, 5,000 active
# patients, two years of sessions and attendance, ~20M attendance rows; budget: each read under
# 50 ms, p99, one client; the weekly figures read only the week's rows). Builds the data set into
# a fresh database in a temp dir (bench/program.sql through sqlite3, in bulk, not through HTTP),
# starts haven on it, signs in as a bench admin and times each read with N sequential requests
# on one keep-alive connection; then shows the query plans of the weekly figures. Prints figures;
# checks nothing; never part of make test.
#
#   make && bash bench/program.sh
#   SCALE=0.2 bash bench/program.sh        # 20 seats a track: 1,000 active patients, ~4M rows
#   N=50 KEEP=1 HAVEN_BIN=./haven bash bench/program.sh    # requests per read; keep the temp dir
#   DB=/tmp/x/haven.db bash bench/program.sh               # reuse a database built before
#   WEEKS=104 SLOTS=8 bash bench/program.sh                # history, sessions a day (the defaults)
#   ONLY='outcomes|chart' bash bench/program.sh            # only the reads whose names match
#
# Needs sqlite3, curl, python3 and cc (to read the SQL the store builds with macros).
set -euo pipefail

HAVEN_BIN=${HAVEN_BIN:-./haven}
N=${N:-50}
SCALE=${SCALE:-1}
WEEKS=${WEEKS:-104}
SLOTS=${SLOTS:-8}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
HAVEN_BIN=$(cd "$(dirname "$HAVEN_BIN")" && pwd)/$(basename "$HAVEN_BIN")
TMP=$(mktemp -d /tmp/haven-program-XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    [ -n "${KEEP:-}" ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# The clinic's zone is UTC here (haven's default), so today is the UTC date.
TODAY=$(date -u +%F)

start() { # start haven on $DB; sets PID, PORT, ORIGIN
    PORT=$(free_port)
    ORIGIN="http://127.0.0.1:$PORT"
    "$HAVEN_BIN" serve --db "$DB" --port "$PORT" --max-per-address 0 --timezone UTC \
        --log-level warn 2>"$TMP/stderr" &
    PID=$!
    for _ in $(seq 1 400); do
        curl -fs "$ORIGIN/healthz" >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "haven did not start"; cat "$TMP/stderr"; exit 1
}

q() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }

if [ -z "${DB:-}" ]; then
    DB=$TMP/haven.db
    "$HAVEN_BIN" migrate --db "$DB" >/dev/null 2>&1
    SEATS=$(python3 -c "print(max(1, min(100, round(100 * $SCALE))))")
    schema_before=$(q "select sql from sqlite_master where tbl_name = 'attendance' order by name")
    t0=$(date +%s.%N)
    { printf "CREATE TEMP TABLE params AS SELECT '%s' AS today, %d AS weeks, %d AS seats, %d AS slots;\n" \
          "$TODAY" "$WEEKS" "$SEATS" "$SLOTS"
      cat "$HERE/program.sql"; } | sqlite3 "$DB" >/dev/null
    t1=$(date +%s.%N)
    [ "$schema_before" = "$(q "select sql from sqlite_master where tbl_name = 'attendance' order by name")" ] ||
        { echo "program.sql changed the attendance table's schema: fix its index definitions"; exit 1; }
    printf 'data set built in %.1f s (SCALE=%s: %d seats a track, %d weeks, %d sessions a day)\n' \
        "$(echo "$t1 - $t0" | bc)" "$SCALE" "$SEATS" "$WEEKS" "$SLOTS"
fi
sqlite3 -separator ' ' "$DB" "select (select count(*) from tracks), (select count(*) from patients where status = 'active'),
    (select count(*) from patients), (select count(*) from enrolments),
    (select count(*) from program_sessions where track_id is not null),
    (select count(*) from program_sessions where track_id is null), (select count(*) from attendance)" |
    awk '{printf "%d tracks, %d active patients (%d in all, %d enrolments), %d track sessions, %d one-off sessions, %d attendance rows\n", $1, $2, $3, $4, $5, $6, $7}'
ls -l "$DB" | awk '{printf "database: %.0f MB\n", $5 / 1048576}'

start
# A bench admin made with the CLI, its password set through the one-time link, as a clinic would.
EMAIL=bench-admin@bench.example
PASS=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 24)
LINK=$("$HAVEN_BIN" user add "$EMAIL" --name "Bench Admin" --role admin --role clinician \
        --role billing --db "$DB" 2>/dev/null || "$HAVEN_BIN" user reset "$EMAIL" --db "$DB")
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

MONDAY=$(date -u -d "$TODAY -$(( $(date -u -d "$TODAY" +%u) - 1 )) days" +%F)
LAST_MONDAY=$(date -u -d "$MONDAY -7 days" +%F)
LAST_WEEK=$(date -u -d "$LAST_MONDAY" +%G-W%V)
TRACK=$(q "select public_id from tracks where code = 'bench-25'")
TRACK_ID=$(q "select id from tracks where code = 'bench-25'")
# An active patient with the most history: in since the first weeks, with last week's rows.
PAT_ROW=$(q "select p.id from patients p join enrolments e on e.patient_id = p.id
             where p.status = 'active' and e.start_date <= '$LAST_MONDAY' order by e.start_date, p.id limit 1")
PAT=$(q "select public_id from patients where id = $PAT_ROW")
MONTH_FROM=$(date -u -d "$TODAY -31 days" +%F)
MONTH_TO=$(date -u -d "$TODAY -1 days" +%F)

# Issue 10's chart read: the bench patient gets two years of record (once per database): a
# group note section for every track session they attended (the data set's notes cover the
# last 100 days only), a weekly individual DAP note with progress on their plan's objective,
# PHQ-9 and GAD-7 every 14 days and PACS weekly.
if [ "$(q "select count(*) from measures where patient_id = $PAT_ROW and instrument = 'pacs'")" = 0 ]; then
    NOW=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
    q "BEGIN;
    INSERT INTO plan_problems (public_id, plan_id, position, asam_dimension, statement)
      SELECT lower(hex(randomblob(16))), id, 1, 5, 'Relapse risk under stress.' FROM plans WHERE patient_id = $PAT_ROW;
    INSERT INTO plan_goals (public_id, problem_id, position, text)
      SELECT lower(hex(randomblob(16))), pp.id, 1, 'Stay sober through the work week.' FROM plan_problems pp
      JOIN plans p ON p.id = pp.plan_id WHERE p.patient_id = $PAT_ROW;
    INSERT INTO plan_objectives (public_id, plan_id, goal_id, thread_id, position, text, target_date)
      SELECT lower(hex(randomblob(16))), pp.plan_id, g.id, lower(hex(randomblob(16))), 1,
             'Uses a coping skill at 3 of 4 trigger moments.', '$TODAY' FROM plan_goals g
      JOIN plan_problems pp ON pp.id = g.problem_id JOIN plans p ON p.id = pp.plan_id WHERE p.patient_id = $PAT_ROW;
    INSERT INTO notes (public_id, kind, form, session_id, service_date, author_id, a, b, c, due_at,
                       created_at, updated_at, signed_by, signed_at)
      SELECT lower(hex(randomblob(16))), 'group', 'group', s.id, s.date, (SELECT min(id) FROM users),
             'Managing triggers', 'Skills practice', 'The group practised urge surfing.', '$NOW', '$NOW', '$NOW',
             (SELECT min(id) FROM users), '$NOW'
      FROM attendance a JOIN program_sessions s ON s.id = a.session_id
      WHERE a.patient_id = $PAT_ROW AND a.minutes > 0 AND s.track_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.session_id = s.id AND n.kind = 'group');
    INSERT OR IGNORE INTO note_sections (note_id, patient_id, participation, response, updated_at, signed_by, signed_at)
      SELECT n.id, $PAT_ROW, 'engaged', 'Named two triggers and practised a skill.', '$NOW', n.author_id, '$NOW'
      FROM notes n JOIN attendance a ON a.session_id = n.session_id AND a.patient_id = $PAT_ROW AND a.minutes > 0
      WHERE n.kind = 'group';
    WITH RECURSIVE w(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM w WHERE i < 104)
    INSERT INTO notes (public_id, kind, form, patient_id, service_date, author_id, a, b, c, due_at,
                       created_at, updated_at, signed_by, signed_at)
      SELECT lower(hex(randomblob(16))), 'individual', 'dap', $PAT_ROW, date('$TODAY', '-' || (7 * i) || ' days'),
             (SELECT min(id) FROM users), 'Reports two cravings this week, both surfed.', 'Progressing.',
             'Continue the group; practise HALT.', '$NOW', '$NOW', '$NOW', (SELECT min(id) FROM users), '$NOW' FROM w;
    INSERT INTO note_progress (note_id, patient_id, objective_id, progress)
      SELECT n.id, $PAT_ROW, o.id, 'progressing' FROM notes n, plan_objectives o JOIN plans p ON p.id = o.plan_id
      WHERE n.patient_id = $PAT_ROW AND n.kind = 'individual' AND p.patient_id = $PAT_ROW;
    WITH RECURSIVE w(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM w WHERE i < 103)
    INSERT INTO measures (public_id, patient_id, instrument, taken_on, answers, total, created_at)
      SELECT lower(hex(randomblob(16))), $PAT_ROW, ins.v, date('$TODAY', '-' || (7 * i + 1) || ' days'), '[]',
             CASE ins.v WHEN 'pacs' THEN 4 + i % 9 ELSE 3 + i % 12 END, '$NOW'
      FROM w, (SELECT 'phq9' AS v UNION ALL SELECT 'gad7' UNION ALL SELECT 'pacs') AS ins
      WHERE ins.v = 'pacs' OR i % 2 = 0;
    COMMIT;" >/dev/null
fi

reads=(
    "Today: sessions today (API)|/api/v1/sessions?from=$TODAY&to=$TODAY"
    "Today: staff home /staff/|/staff/"
    "week calendar, one track|/api/v1/sessions?from=$MONDAY&to=$(date -u -d "$MONDAY +6 days" +%F)&track=$TRACK"
    "patient's week (last week)|/api/v1/patients/$PAT/weeks/$LAST_WEEK"
    "billable days, 31 days, CSV|/api/v1/billing/days?from=$MONTH_FROM&to=$MONTH_TO&format=csv"
    "billable days, 93 days, JSON|/api/v1/billing/days?from=$(date -u -d "$TODAY -93 days" +%F)&to=$MONTH_TO"
    "alerts|/api/v1/alerts"
    "outcomes report, 12 months|/api/v1/reports/outcomes"
    "chart, two years of record|/staff/patients/$PAT"
    "chart: notes, two years|/staff/patients/$PAT/notes"
    "chart: measures and trends|/staff/patients/$PAT/measures"
    "chart: treatment plan|/staff/patients/$PAT/plans"
)
printf '\n%-30s %8s %8s %8s %9s  %s\n' read p50_ms p99_ms max_ms bytes status
for r in "${reads[@]}"; do
    name=${r%%|*}; path=${r#*|}
    [ -z "${ONLY:-}" ] || printf '%s\n' "$name" | grep -Eq "$ONLY" || continue
    cfg=$TMP/curl.cfg
    : >"$cfg"
    for _ in $(seq 1 "$N"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$ORIGIN$path" >>"$cfg"; done
    curl -s -b "$JAR" -K "$cfg" -w '%{http_code} %{time_total} %{size_download}\n' >"$TMP/times"
    status=$(awk '{print $1}' "$TMP/times" | sort | uniq -c | awk '{printf "%s%sx%s", s, $1, $2; s=","}')
    bytes=$(tail -1 "$TMP/times" | awk '{print $3}')
    awk '{print $2 * 1000}' "$TMP/times" | sort -n | awk -v n="$N" -v name="$name" -v b="$bytes" -v st="$status" '
        { v[NR] = $1 }
        END { i = int(n * 0.99 + 0.5); if (i < 1) i = 1; if (i > n) i = n
              p50 = v[int(n * 0.50 + 0.5) < 1 ? 1 : int(n * 0.50 + 0.5)]; p99 = v[i];
              printf "%-30s %8.2f %8.2f %8.2f %9d  %s%s\n", name, p50, p99, v[n], b, st,
                     (p99 > 50 ? "  OVER BUDGET" : "") }'
done
echo
echo "budget: each read under 50 ms at p99 (issue 9); N=$N sequential requests per read, one connection"
echo "(the staff home is the Today screen once it is built; until then the sessions API is its read)"

# The weekly figures' queries as the store runs them (their text read from src/store/hours.c),
# planned on this data set: each must SEARCH an index range of one patient's week.
sql_of() { # the C string constant $2 of file $1, its literals joined (macros expanded first)
    cc -E -P -I"$ROOT/src" -I"$ROOT/build/gen" -D_GNU_SOURCE "$1" >"$TMP/sql_of.c"
    python3 - "$TMP/sql_of.c" "$2" <<'EOF'
import re, sys
src = open(sys.argv[1]).read()
m = re.search(r'static const char ' + sys.argv[2] + r'\[\] =(.*?);\n', src, re.S)
print(''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
EOF
}
plan() { # name, sql, parameters...
    local name=$1 sql=$2; shift 2
    local params=() i=1
    for v in "$@"; do params+=(-cmd ".parameter set ?$i \"$v\""); i=$((i + 1)); done
    printf '\n%s\n' "$name"
    sqlite3 "${params[@]}" "$DB" "EXPLAIN QUERY PLAN $sql" | sed 's/^/    /'
}
SUNDAY=$(date -u -d "$LAST_MONDAY +6 days" +%F)
echo
echo "query plans of the weekly figures (patient row $PAT_ROW, week $LAST_WEEK):"
plan "R1 scheduled minutes (sql_scheduled)" "$(sql_of "$ROOT/src/store/hours.c" sql_scheduled)" \
    "$PAT_ROW" "'$LAST_MONDAY'" "'$SUNDAY'"
plan "R2/R5 attended minutes by day (sql_attended)" "$(sql_of "$ROOT/src/store/hours.c" sql_attended)" \
    "$PAT_ROW" "'$LAST_MONDAY'" "'$SUNDAY'"
plan "the week's enrolments (sql_enrolments)" "$(sql_of "$ROOT/src/store/hours.c" sql_enrolments)" \
    "$PAT_ROW" "'$LAST_MONDAY'" "'$SUNDAY'"
plan "a track's roster on a date (sql_enrolled, program_common.c)" \
    "$(sql_of "$ROOT/src/store/program_common.c" sql_enrolled)" "$TRACK_ID" "'$TODAY'"

# Rows the weekly figures touch: the attendance rows of the patient's week against all theirs,
# and the VM steps of the week's query (sqlite3 .stats: a full scan would show here).
echo
week_rows=$(q "select count(*) from attendance where patient_id = $PAT_ROW and date between '$LAST_MONDAY' and '$SUNDAY'")
all_rows=$(q "select count(*) from attendance where patient_id = $PAT_ROW")
printf 'patient %s: %d attendance rows in the week, %d in all; ' "$PAT_ROW" "$week_rows" "$all_rows"
sqlite3 -cmd ".parameter set ?1 $PAT_ROW" -cmd ".parameter set ?2 \"'$LAST_MONDAY'\"" \
    -cmd ".parameter set ?3 \"'$SUNDAY'\"" -cmd '.stats on' "$DB" \
    "$(sql_of "$ROOT/src/store/hours.c" sql_attended)" 2>&1 |
    awk '/Fullscan Steps|Virtual Machine Steps/ {printf "%s ", $0} END {print ""}'
