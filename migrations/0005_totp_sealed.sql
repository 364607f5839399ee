-- 0005: second-factor secrets at rest are sealed (libsodium crypto_secretbox) under a key kept
-- outside the database (HAVEN_SECRET_KEY_FILE). totp_sealed holds "s1:" and the hex of nonce,
-- MAC and ciphertext. The first release kept the secret in the clear in totp_secret: start-up
-- (web/staff_auth.c, staff_secrets_init) seals such rows and clears that column, which stays
-- only so that old rows can be read once.
ALTER TABLE users ADD COLUMN totp_sealed TEXT
    CHECK (totp_sealed IS NULL OR (length(totp_sealed) = 123 AND substr(totp_sealed, 1, 3) = 's1:'));
