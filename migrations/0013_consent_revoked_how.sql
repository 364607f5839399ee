-- 0013: how a patient revoked a consent to disclose (42 CFR 2.31: in writing or orally), recorded
-- with the revocation (codes of domain/patient_flow.c). Revocations recorded before this have
-- none ("not recorded" on the chart). The timeline's "consent-revoked" event carries the same
-- code in patient_events.to_value.
ALTER TABLE consents ADD COLUMN revoked_how TEXT
    CHECK (revoked_how IS NULL OR revoked_how IN ('in-writing', 'verbally'));
