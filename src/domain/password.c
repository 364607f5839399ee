/* password: see password.h. The common-password list is a table: trivially guessable choices,
 * including the long ones that pass the length rule. Matching ignores ASCII case. */
#include "domain/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/rand.h"
#include "core/utf8.h"

static const char *const common_passwords[] = {
    "password", "password1", "password12", "password123", "password1234", "password12345",
    "passw0rd", "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910",
    "123456789012", "1234567890123", "qwerty", "qwerty123", "qwertyuiop", "qwertyuiop123",
    "qwertyuiopasdf", "1q2w3e4r", "1q2w3e4r5t6y", "1qaz2wsx3edc", "abc123", "abcdef123456",
    "abcdefghijkl", "iloveyou", "iloveyou123", "iloveyou1234", "letmein", "letmein123",
    "letmeinletmein", "welcome", "welcome1", "welcome123", "welcome12345", "welcometohaven",
    "admin", "admin123", "administrator", "administrator1", "changeme", "changeme123",
    "changemenow", "trustno1", "trustno1trustno1", "monkey", "dragon", "football", "baseball",
    "basketball", "superman", "batman", "sunshine", "princess", "shadow", "master", "michael",
    "jennifer", "jordan23", "whatever", "starwars", "computer", "internet", "111111", "000000",
    "666666", "888888", "111111111111", "000000000000", "123123123123", "121212121212",
    "aaaaaaaaaaaa", "passwordpassword", "mypassword123", "secretpassword", "mysecretpassword",
    "correcthorsebatterystaple", "thequickbrownfox", "qazwsxedcrfv", "zaq12wsxcde3", "asdfghjkl",
    "asdfghjkl123", "zxcvbnm", "zxcvbnm123", "summer2024", "winter2024", "spring2024", "autumn2024",
    "summer2025", "winter2025", "spring2025", "autumn2025", "haven", "haven123", "havenhaven123",
    "pecanhaven", "pecanhaven123", "recovery", "recovery123", "sobriety", "sobriety123",
    "onedayatatime", "serenity", "serenityprayer", "clinic123", "clinicpassword", "hospital123",
    "nurse123", "doctor123", "healthcare1", "hipaapassword",
};

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

static bool is_common(const char *s)
{
    for (size_t i = 0; i < sizeof(common_passwords) / sizeof(common_passwords[0]); i++)
        if (strcasecmp(common_passwords[i], s) == 0)
            return true;
    return false;
}

enum password_problem password_check(const char *password, const char *email)
{
    long chars;

    if (!password || !*password)
        return PASSWORD_EMPTY;
    if (strlen(password) > PASSWORD_MAX_BYTES)
        return PASSWORD_TOO_LONG;
    if ((chars = utf8_count(password)) < 0 || has_control(password))
        return PASSWORD_BAD_TEXT;
    if (chars < PASSWORD_MIN_CHARS)
        return PASSWORD_TOO_SHORT;
    if (email && *email && strcasecmp(password, email) == 0)
        return PASSWORD_IS_EMAIL;
    if (is_common(password))
        return PASSWORD_COMMON;
    return PASSWORD_OK;
}

static const char *const messages[] = {
    [PASSWORD_OK] = "",
    [PASSWORD_EMPTY] = "Enter a password.",
    [PASSWORD_TOO_SHORT] = "Use at least 12 characters. A few unrelated words make a strong one.",
    [PASSWORD_TOO_LONG] = "Use at most 128 bytes (about 128 letters, fewer with accents or emoji).",
    [PASSWORD_BAD_TEXT] = "Use letters, digits, spaces and punctuation only.",
    [PASSWORD_IS_EMAIL] = "Do not use your e-mail address as your password.",
    [PASSWORD_COMMON] = "This password is too common and easy to guess. Choose another one.",
};

const char *password_message(enum password_problem p)
{
    return (size_t)p < sizeof(messages) / sizeof(messages[0]) ? messages[p] : "";
}

/* 1, 2, 4 ... minutes (at most an hour) from the after-th failure on. */
static long back_off(int failures, int after)
{
    long wait = 60;

    if (failures < after)
        return 0;
    for (int i = after; i < failures && wait < PASSWORD_LOCK_MAX_SECONDS; i++)
        wait *= 2;
    return wait < PASSWORD_LOCK_MAX_SECONDS ? wait : PASSWORD_LOCK_MAX_SECONDS;
}

long password_lockout_seconds(int failures)
{
    return back_off(failures, PASSWORD_LOCK_AFTER);
}

long password_address_lockout_seconds(int failures)
{
    return back_off(failures, PASSWORD_ADDRESS_LOCK_AFTER);
}

enum session_state password_session_state(long now, long created, long last_seen, long *left)
{
    long idle_end = last_seen + SESSION_IDLE_SECONDS, hard_end = created + SESSION_MAX_SECONDS;
    long end = idle_end < hard_end ? idle_end : hard_end;

    if (left)
        *left = now < end ? end - now : 0;
    if (now >= hard_end)
        return SESSION_TOO_OLD;
    if (now >= idle_end)
        return SESSION_IDLE_EXPIRED;
    if (idle_end - now <= SESSION_WARN_SECONDS)
        return SESSION_WARN;
    return SESSION_ACTIVE;
}

/* Hashing lives with the rules: argon2id (libsodium) with its interactive limits. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

static char dummy_hash[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
    char pw[33];

    rand_hex(pw, 16); /* a password nobody knows */
    if (password_hash(pw, dummy_hash) < 0)
        dummy_hash[0] = '\0';
}

bool password_verify(const char *hash, const char *password)
{
    if (!password)
        password = "";
    if (!hash || !*hash) {
        pthread_once(&dummy_once, dummy_init);
        if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
            return false;
        return false;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
