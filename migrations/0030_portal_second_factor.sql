-- 0030: the patient portal's optional second factor (issue 11): a TOTP secret for an
-- authenticator app, sealed at rest under the server's key as the staff's are (migration 0005:
-- "s1:" and the hex of nonce, MAC and ciphertext), the last time step used (each code once),
-- recovery codes (SHA-256 hex, each once), and the sign-ins waiting for their code.
-- Writes and reads: store/portal_second_factor.c.

-- totp_sealed is written with totp_enabled = 1, when the patient confirms the secret with a
-- code (until then the page carries it, sealed), and cleared when the factor is turned off or
-- reset by staff.
ALTER TABLE portal_accounts ADD COLUMN totp_sealed TEXT
    CHECK (totp_sealed IS NULL OR (length(totp_sealed) = 123 AND substr(totp_sealed, 1, 3) = 's1:'));
ALTER TABLE portal_accounts ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0
    CHECK (totp_enabled IN (0, 1));
ALTER TABLE portal_accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE portal_recovery_codes (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES portal_accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL CHECK (length(code_hash) = 64),
    used_at    TEXT
) STRICT;
CREATE INDEX portal_recovery_codes_account ON portal_recovery_codes (account_id);

-- A sign-in whose passphrase was right and whose code is still due: not a session (it opens
-- no /me/ page), only the right to give the code, from the browser holding its token (a
-- cookie; only the SHA-256 is kept) and with the form's own token (csrf), for a few minutes.
-- shared is the "I'm on a shared device" choice, carried to the session the code makes.
CREATE TABLE portal_signin_pending (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    account_id INTEGER NOT NULL REFERENCES portal_accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    csrf       TEXT NOT NULL CHECK (length(csrf) = 64),
    shared     INTEGER NOT NULL CHECK (shared IN (0, 1)),
    client     TEXT NOT NULL
) STRICT;
CREATE INDEX portal_signin_pending_account ON portal_signin_pending (account_id);
