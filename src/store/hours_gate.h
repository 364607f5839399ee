/* hours_gate: R6's fourth condition (spec program.md, haven-program-2) as SQL fragments, so that
 * a patient's week, the billable days and the report of missing notes (hours.c,
 * program_reports.c) decide it with the same text, set-based, inside their own queries (a day
 * is never looked up on its own). Nothing outside store/ includes this.
 * The rule (migration 0020's comments): a signed plan current on the day (status current or
 * superseded, effective_date <= D, superseded_date NULL or > D), and for each session the
 * patient attended that day (minutes > 0) a complete note: for a group or workshop session the
 * group note's shared part signed and that patient's section signed; for any other session a
 * signed note of that patient and session; a note needing a co-signature completes once
 * co-signed. Whether each day's notes are complete is kept by migration 0031's triggers
 * (attendance_days.undocumented); HOURS_GATE_NOTE names a session's state for the report of
 * missing notes. */
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
 * without its complete note, as migration 0031 keeps it (attendance_days.undocumented, the
 * same rule as HOURS_GATE_NOTE's 'signed', counted again by triggers on every change). */
#define HOURS_GATE_DAY(P, D)                                                                   \
    "(" HOURS_GATE_PLAN(P, D) " AND coalesce((SELECT dd.undocumented FROM attendance_days dd"   \
    " WHERE dd.patient_id = " P " AND dd.date = " D "), 0) = 0)"

#endif
