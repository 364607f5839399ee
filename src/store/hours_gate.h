/* hours_gate: R6's fourth condition (spec program.md, haven-program-2) as SQL fragments, so that
 * a patient's week, the billable days and the report of missing notes (hours.c,
 * program_reports.c) decide it with the same text, set-based, inside their own queries (a day
 * is never looked up on its own). Nothing outside store/ includes this.
 * The rule (migration 0020's comments): a signed plan current on the day (status current or
 * superseded, effective_date <= D, superseded_date NULL or > D), and for each session the
 * patient attended that day (minutes > 0) a complete note: for a group or workshop session the
 * group note's shared part signed and that patient's section signed; for any other session a
 * signed note of that patient and session; a note needing a co-signature completes once
 * co-signed. */
#ifndef HAVEN_STORE_HOURS_GATE_H
#define HAVEN_STORE_HOURS_GATE_H

/* 1 when patient P (a patients.id expression) had a signed plan current on date D. */
#define HOURS_GATE_PLAN(P, D)                                                                  \
    "EXISTS (SELECT 1 FROM plans pl WHERE pl.patient_id = " P " AND pl.effective_date <= " D  \
    " AND pl.status IN ('current', 'superseded')"                                              \
    " AND (pl.superseded_date IS NULL OR pl.superseded_date > " D "))"

/* The state of patient P's note for session S (a program_sessions alias): 'signed' when
 * complete, else 'no-note', 'unsigned', 'cosign-pending', 'section-missing' (a group note
 * without P's section) or 'section-unsigned'. Of several individual notes the most complete
 * counts. */
#define HOURS_GATE_STATE_OF(N)                                                                 \
    "CASE WHEN " N ".signed_at IS NULL THEN 'unsigned'"                                        \
    " WHEN " N ".cosign_needed = 1 AND " N ".cosigned_at IS NULL THEN 'cosign-pending'"
#define HOURS_GATE_NOTE(S, P)                                                                  \
    "(CASE WHEN " S ".kind IN ('group', 'workshop') THEN coalesce((SELECT "                    \
    HOURS_GATE_STATE_OF("gn") " WHEN gs.patient_id IS NULL THEN 'section-missing'"             \
    " WHEN gs.signed_at IS NULL THEN 'section-unsigned' ELSE 'signed' END"                     \
    " FROM notes gn LEFT JOIN note_sections gs ON gs.note_id = gn.id AND gs.patient_id = " P   \
    " WHERE gn.session_id = " S ".id AND gn.kind = 'group'), 'no-note')"                       \
    " ELSE coalesce((SELECT " HOURS_GATE_STATE_OF("inn") " ELSE 'signed' END"                  \
    " FROM notes inn WHERE inn.session_id = " S ".id AND inn.patient_id = " P                  \
    " AND inn.kind <> 'group' ORDER BY CASE WHEN inn.signed_at IS NULL THEN 2"                 \
    " WHEN inn.cosign_needed = 1 AND inn.cosigned_at IS NULL THEN 1 ELSE 0 END, inn.id"        \
    " LIMIT 1), 'no-note') END)"

/* 1 when day D of patient P is documented: the plan, and no attended session of the day
 * without its complete note (read from attendance's (patient_id, date) index). */
#define HOURS_GATE_DAY(P, D)                                                                   \
    "(" HOURS_GATE_PLAN(P, D) " AND NOT EXISTS (SELECT 1 FROM attendance ad"                   \
    " JOIN program_sessions sd ON sd.id = ad.session_id WHERE ad.patient_id = " P              \
    " AND ad.date = " D " AND ad.minutes > 0 AND " HOURS_GATE_NOTE("sd", "ad.patient_id")      \
    " <> 'signed'))"

/* A note complete: signed, and co-signed when it needs a co-signature. */
#define HOURS_GATE_SIGNED(N)                                                                   \
    "(" N ".signed_at IS NOT NULL AND (" N ".cosign_needed = 0 OR " N ".cosigned_at IS NOT NULL))"

/* The same rule for many days at once (billable days): a CTE `docs` of the (sid, pid) pairs of
 * sessions dated F..T whose note for that patient is complete, read from the sessions' dates
 * (program_sessions_date) and the notes of each session, once; a day is documented when none of
 * its attended sessions is missing from it. */
#define HOURS_GATE_DOCS(F, T)                                                                  \
    "WITH docs AS MATERIALIZED (SELECT gn.session_id AS sid, gs.patient_id AS pid"             \
    " FROM program_sessions ds JOIN notes gn ON gn.session_id = ds.id AND gn.kind = 'group'"   \
    " JOIN note_sections gs ON gs.note_id = gn.id WHERE ds.date >= " F " AND ds.date <= " T    \
    " AND ds.kind IN ('group', 'workshop') AND " HOURS_GATE_SIGNED("gn")                       \
    " AND gs.signed_at IS NOT NULL UNION SELECT inn.session_id, inn.patient_id"                \
    " FROM program_sessions ds JOIN notes inn ON inn.session_id = ds.id AND inn.kind <> 'group'" \
    " WHERE ds.date >= " F " AND ds.date <= " T " AND ds.kind NOT IN ('group', 'workshop')"   \
    " AND " HOURS_GATE_SIGNED("inn") ") "

#endif
