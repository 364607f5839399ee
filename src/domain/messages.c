/* messages: the English message table. Keys are stable ids the web layer and tests use; the
 * texts speak to the person (plain words, short sentences, no blame). Reasons are formats whose
 * values (scores, answers) are filled in by the domain. Sorted once at first use for lookup. */
#include "domain/messages.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/idhash.h"

struct message {
    const char *key;
    const char *text;
};

static struct message table[] = {
    /* instruments */
    {"instrument.audit.name", "Alcohol use (AUDIT)"},
    {"instrument.audit_c.name", "Alcohol use, first three questions (AUDIT-C)"},
    {"instrument.assist.name", "Drug use (ASSIST)"},
    {"instrument.phq9.name", "Mood (PHQ-9)"},
    {"instrument.gad7.name", "Worry and anxiety (GAD-7)"},
    {"instrument.asq.name", "Suicide risk screening (ASQ)"},

    /* bands: a label to show on its own, and a short form used inside a sentence */
    {"band.audit.low-risk", "Zone 1: lower risk"},
    {"band.audit.hazardous", "Zone 2: hazardous drinking"},
    {"band.audit.harmful", "Zone 3: harmful drinking"},
    {"band.audit.dependence", "Zone 4: possible dependence"},
    {"band-short.audit.low-risk", "lower risk"},
    {"band-short.audit.hazardous", "hazardous drinking"},
    {"band-short.audit.harmful", "harmful drinking"},
    {"band-short.audit.dependence", "possible dependence"},
    {"band.assist.low", "Lower risk"},
    {"band.assist.moderate", "Moderate risk"},
    {"band.assist.high", "High risk"},
    {"band-short.assist.low", "lower risk"},
    {"band-short.assist.moderate", "moderate risk"},
    {"band-short.assist.high", "high risk"},
    {"band.phq9.minimal", "Minimal or no depression symptoms"},
    {"band.phq9.mild", "Mild depression symptoms"},
    {"band.phq9.moderate", "Moderate depression symptoms"},
    {"band.phq9.moderately-severe", "Moderately severe depression symptoms"},
    {"band.phq9.severe", "Severe depression symptoms"},
    {"band-short.phq9.minimal", "minimal or no depression symptoms"},
    {"band-short.phq9.mild", "mild depression symptoms"},
    {"band-short.phq9.moderate", "moderate depression symptoms"},
    {"band-short.phq9.moderately-severe", "moderately severe depression symptoms"},
    {"band-short.phq9.severe", "severe depression symptoms"},
    {"band.gad7.minimal", "Minimal or no anxiety symptoms"},
    {"band.gad7.mild", "Mild anxiety symptoms"},
    {"band.gad7.moderate", "Moderate anxiety symptoms"},
    {"band.gad7.severe", "Severe anxiety symptoms"},
    {"band-short.gad7.minimal", "minimal or no anxiety symptoms"},
    {"band-short.gad7.mild", "mild anxiety symptoms"},
    {"band-short.gad7.moderate", "moderate anxiety symptoms"},
    {"band-short.gad7.severe", "severe anxiety symptoms"},
    {"band.asq.none", "No suicide risk found"},
    {"band.asq.non-acute", "Possible suicide risk: a clinician will follow up"},
    {"band.asq.acute", "Urgent: thoughts of suicide right now"},
    {"note.audit-c-cutoff",
     "Sex was not given as female or male, so the more sensitive cut-off of 3 was used."},

    /* substances (ASSIST) and daily use (wd-daily) */
    {"substance.cannabis", "Cannabis"},
    {"substance.cocaine", "Cocaine"},
    {"substance.stimulants", "Amphetamine-type stimulants"},
    {"substance.inhalants", "Inhalants"},
    {"substance.sedatives", "Sedatives or sleeping pills"},
    {"substance.hallucinogens", "Hallucinogens"},
    {"substance.opioids", "Opioids"},
    {"substance.other", "Other drugs"},
    {"daily.alcohol", "alcohol"},
    {"daily.sedatives", "sedatives or sleeping pills"},
    {"daily.opioids", "opioids"},

    /* use severity */
    {"severity.none", "No alcohol or drug use reported"},
    {"severity.low", "Lower-risk use"},
    {"severity.moderate", "Moderate-risk use"},
    {"severity.high", "High-risk use"},

    /* ASAM dimensions */
    {"dimension.1.name", "Acute intoxication and/or withdrawal potential"},
    {"dimension.2.name", "Biomedical conditions"},
    {"dimension.3.name", "Emotional, behavioral or cognitive conditions"},
    {"dimension.4.name", "Readiness to change"},
    {"dimension.5.name", "Relapse, continued use or continued problem potential"},
    {"dimension.6.name", "Recovery/living environment"},

    /* levels of care */
    {"level.emergency.title", "Emergency care now"},
    {"level.emergency.summary",
     "Some of your answers show that you may be in danger right now. The safest next step is "
     "emergency help today, before any program. A clinician will look at everything with you "
     "once you are safe."},
    {"level.emergency.next",
     "Call 911 or go to the nearest emergency room now. If you are thinking about ending your "
     "life, call or text 988 (press 1 for the Veterans Crisis Line). When you are safe, we are "
     "here to help with what comes next."},
    {"level.medically-managed.title",
     "Medically managed care, including withdrawal management"},
    {"level.medically-managed.summary",
     "Your answers suggest that stopping or cutting down could make you physically unwell, or "
     "that a health problem needs care first. Care with doctors and nurses around the clock, "
     "such as medically managed withdrawal (detox), is the safest place to start."},
    {"level.medically-managed.next",
     "Please do not stop suddenly on your own. Talk to a doctor today, or go to an emergency "
     "room if you feel very unwell. Ask us to call you and we will help you find a withdrawal "
     "management program; our IOP can be the next step after it."},
    {"level.residential.title", "Residential treatment"},
    {"level.residential.summary",
     "Your answers suggest that your home situation makes recovery very hard right now, and "
     "your use is at a level where living in a safe, structured place while you get treatment "
     "would help most."},
    {"level.residential.next",
     "Ask us to call you. We will talk it through with you and help you find a residential "
     "program. Many people join an IOP like ours after residential care."},
    {"level.php.title", "Partial Hospitalization Program (PHP)"},
    {"level.php.summary",
     "Your answers show high-risk use together with strong craving, a recent return to use or "
     "heavy emotional distress. A day program of about 20 hours a week, while you sleep at "
     "home, gives you more support than an IOP."},
    {"level.php.next",
     "Ask us to call you. We will go over your answers with you and help you find a partial "
     "hospitalization program; our IOP is often the step after it."},
    {"level.iop.title", "Intensive Outpatient Program (IOP)"},
    {"level.iop.summary",
     "Your answers suggest that an Intensive Outpatient Program fits you: group and one-to-one "
     "sessions about 9 to 12 hours a week, while you live at home and keep up with work, school "
     "or family. That is the program we run here."},
    {"level.iop.next",
     "Ask us to call you at a time that suits you. An admissions counselor will answer your "
     "questions and set up an intake appointment, usually within a few days."},
    {"level.outpatient.title", "Outpatient counseling"},
    {"level.outpatient.summary",
     "Your answers suggest that regular outpatient counseling, usually an hour or two a week, "
     "is the right amount of support for you now."},
    {"level.outpatient.next",
     "Ask us to call you and we will help you find outpatient counseling near you. If it is "
     "not enough, our IOP is here."},
    {"level.early-intervention.title", "Early intervention"},
    {"level.early-intervention.summary",
     "Your answers show some risk from drinking or drug use, but not at a level that usually "
     "needs a treatment program. A short talk with a counselor or your doctor about your use "
     "can help you stay on track."},
    {"level.early-intervention.next",
     "Talk with your doctor or a counselor about these results; you can print or save them. "
     "If things change, take this check-up again or ask us to call you."},
    {"level.none.title", "No treatment program needed right now"},
    {"level.none.summary",
     "Your answers do not show alcohol or drug use that needs treatment at this time. If you "
     "are still worried, a clinician can talk it through with you."},
    {"level.none.next",
     "If anything changes, or you are worried about someone close to you, you can take this "
     "check-up again or ask us to call you."},

    /* flags (spec §6) */
    {"flag.suicide-acute.title", "If you are thinking about ending your life, reach out now"},
    {"flag.suicide-acute.body",
     "Call or text 988, the Suicide & Crisis Lifeline, any time, day or night (press 1 for "
     "the Veterans Crisis Line). If you are in immediate danger, call 911. You do not have to "
     "go through this alone. The rest of your results are below."},
    {"flag.suicide-risk.title", "Support is there, day or night"},
    {"flag.suicide-risk.body",
     "Some of your answers mention thoughts of death or of hurting yourself. You can call or "
     "text 988, the Suicide & Crisis Lifeline, at any time (press 1 for the Veterans Crisis "
     "Line), or call 911 if you are in immediate danger. A clinician will talk with you about "
     "this."},
    {"flag.withdrawal-danger.title", "Stopping suddenly can be dangerous"},
    {"flag.withdrawal-danger.body",
     "With the way you have been drinking or using, stopping all at once can cause seizures "
     "or other serious problems. Please get medical supervision first instead of stopping "
     "suddenly on your own. If you feel very unwell, call 911 or go to an emergency room."},
    {"flag.overdose-risk.title", "Lower your risk of overdose"},
    {"flag.overdose-risk.body",
     "Carry naloxone (Narcan) and make sure the people around you know how to use it; in the "
     "US you can get it at a pharmacy without a prescription. Never use alone. After a break, "
     "even a few days, your tolerance drops, so an amount you used to take can kill you."},
    {"flag.injection.title", "Testing and harm-reduction services"},
    {"flag.injection.body",
     "If you inject, get tested for HIV and hepatitis B and C; treatment works, and hepatitis "
     "C can be cured. Harm-reduction services (syringe services programs) offer sterile "
     "supplies, fentanyl test strips, naloxone and testing, free and without judgment. We can "
     "help you find one."},
    {"flag.pregnancy.title", "Care during pregnancy"},
    {"flag.pregnancy.body",
     "Because you are pregnant, your care will be planned with your safety and your baby's in "
     "mind, together with prenatal care. Please do not stop opioids, alcohol or sedatives "
     "suddenly without medical advice. Treatment during pregnancy is safe and it helps."},
    {"flag.adolescent.title", "Help made for people under 18"},
    {"flag.adolescent.body",
     "Our program is for adults, so it is not the right fit for you, but help made for young "
     "people exists and it works. Talk to a parent, a school counselor or your doctor, or "
     "call the SAMHSA National Helpline at 1-800-662-4357 (free, confidential, any time) to "
     "find a program for teens."},
    {"flag.mental-health-followup.title", "Your mood matters too"},
    {"flag.mental-health-followup.body",
     "Your answers show signs of depression or anxiety. They are common alongside drinking or "
     "drug use, and they can be treated. A clinician will talk with you about mental health "
     "care as part of your plan."},
    {"flag.low-readiness.title", "Not sure yet? That is okay"},
    {"flag.low-readiness.body",
     "You said you are not very ready to make a change right now. Many people feel that way "
     "at first. A talk with a counselor, with no pressure to commit, can help you think it "
     "through."},

    /* reasons: each names the answer or score behind it */
    {"reason.audit-zone", "AUDIT score %d: zone %d, %s"},
    {"reason.assist-substance", "%s: ASSIST score %d, %s"},
    {"reason.no-use", "No alcohol or drug use in your answers"},
    {"reason.wd-now", "You have withdrawal symptoms right now"},
    {"reason.wd-complicated",
     "You have had a seizure, hallucinations or DTs when stopping alcohol or sedatives"},
    {"reason.wd-severe", "You get severe withdrawal symptoms when you cut down or stop"},
    {"reason.wd-mild", "You get mild withdrawal symptoms when you cut down or stop"},
    {"reason.wd-daily", "You used %s every day or nearly every day in the past month"},
    {"reason.wd-none", "No withdrawal symptoms reported"},
    {"reason.med-unstable", "A medical condition that is not under control or needs urgent care"},
    {"reason.med-pregnant", "You are pregnant"},
    {"reason.med-overdose", "An overdose in the past 12 months"},
    {"reason.med-none", "No urgent medical concerns reported"},
    {"reason.asq-acute", "ASQ: you are having thoughts of killing yourself right now"},
    {"reason.asq-non-acute",
     "ASQ: you answered yes to a question about thoughts of suicide or a past attempt"},
    {"reason.phq9-item9",
     "PHQ-9 question 9, thoughts that you would be better off dead or of hurting yourself: %s"},
    {"reason.phq9", "PHQ-9 score %d: %s"},
    {"reason.gad7", "GAD-7 score %d: %s"},
    {"reason.mood-none", "No strong signs of depression, anxiety or suicide risk reported"},
    {"reason.ready", "Readiness to change: %d out of 10"},
    {"reason.ready-missing", "Readiness to change not answered (counted as 10 out of 10)"},
    {"reason.relapse", "You started using again after a time of recovery in the past 12 months"},
    {"reason.craving", "Strongest craving in the past week: %d out of 10"},
    {"reason.relapse-none", "No recent return to use or strong craving reported"},
    {"reason.env-unsafe", "You do not feel safe where you live"},
    {"reason.env-no-housing", "You have no place to live right now"},
    {"reason.env-home-use", "Someone you live with drinks or uses drugs heavily"},
    {"reason.env-unstable", "Your housing is not stable"},
    {"reason.env-no-support", "No one in your life supports your recovery right now"},
    {"reason.env-some-support", "Some, but not much, support for your recovery"},
    {"reason.env-ok", "A stable, safe home with good support"},
    {"reason.tx-recent", "You finished hospital, residential or detox care in the past 30 days"},
    {"reason.tx-op-not-enough", "Weekly outpatient counseling was tried and was not enough"},

    /* reasons in the person's own voice (loc.h, LOC_VOICE_PERSON): "person." + the key whose
     * place they take, with the same values in the same order; the two below are theirs */
    {"reason.audit-plain", "Drinking: %s (a score of %d out of 40)"},
    {"reason.assist-plain", "%s: %s (a score of %d out of 39)"},
    {"person.reason.asq-acute", "You are having thoughts of killing yourself right now"},
    {"person.reason.asq-non-acute",
     "You said yes to a question about thoughts of suicide, or about an attempt in the past"},
    {"person.reason.phq9-item9",
     "Thoughts that you would be better off dead, or of hurting yourself, in the last 2 weeks: "
     "%s"},
    {"person.reason.phq9", "Mood: a score of %d out of 27, %s"},
    {"person.reason.gad7", "Worry: a score of %d out of 21, %s"},
    {"person.reason.ready", "How ready you feel to make a change: %d out of 10"},
    {"person.reason.mood-none", "No strong signs of depression, anxiety or suicide risk in your "
                                "answers"},

    /* what was not answered, said instead of a no-risk default (the person's voice only) */
    {"unanswered.all", "You did not answer the questions about %s"},
    {"unanswered.some", "You did not answer %s"},
    {"area.use", "alcohol or other drugs"},
    {"area.1", "withdrawal"},
    {"area.2", "your physical health"},
    {"area.3", "your mood, worry and safety"},
    {"area.4", "how ready you feel to make a change"},
    {"area.5", "cravings and going back to using"},
    {"area.6", "your home and the people around you"},
    {"unanswered.audit", "the questions about alcohol"},
    {"unanswered.assist", "the questions about other drugs"},
    {"unanswered.wd-symptoms", "whether you get withdrawal symptoms"},
    {"unanswered.wd-complicated", "whether you have had a seizure or DTs when stopping"},
    {"unanswered.wd-now", "whether you have withdrawal symptoms right now"},
    {"unanswered.wd-daily", "what you have used every day"},
    {"unanswered.med-unstable", "whether a medical condition needs urgent care"},
    {"unanswered.med-pregnant", "whether you are pregnant"},
    {"unanswered.med-overdose", "whether you have had an overdose"},
    {"unanswered.phq9", "the questions about your mood"},
    {"unanswered.gad7", "the questions about worry"},
    {"unanswered.asq", "the questions about your safety"},
    {"unanswered.ready", "how ready you feel to make a change"},
    {"unanswered.relapse", "whether you started using again after a time of not using"},
    {"unanswered.craving", "how strong your cravings have been"},
    {"unanswered.env-housing", "where you are living"},
    {"unanswered.env-safe", "whether you feel safe where you live"},
    {"unanswered.env-home-use", "whether someone you live with drinks or uses drugs heavily"},
    {"unanswered.env-support", "who supports your recovery"},

    /* advice on the person's result page (web layer), beside the flags */
    {"advice.moud.title", "Medicine for opioid use works"},
    {"advice.moud.body",
     "Medication for opioid use disorder (buprenorphine, methadone or naltrexone) lowers the "
     "risk of overdose and of dying, and helps people stay in recovery. It is part of good "
     "care, not trading one drug for another. Ask about it when we talk, or ask your doctor."},
    {"advice.mixing.title", "Opioids and %s together"},
    {"advice.mixing.body",
     "You told us you use opioids and also %s. Together they slow your breathing far more than "
     "either one alone, and many overdose deaths come from such a mix. If you can, do not use "
     "them at the same time. Never use alone, and keep naloxone (Narcan) with you."},
    {"advice.mixing.alcohol", "alcohol"},
    {"advice.mixing.sedatives", "sedatives"},
    {"advice.mixing.both", "alcohol and sedatives"},

    /* validation details (API 422) */
    {"error.invalid", "Some answers need attention"},
    {"error.not-object", "must be a JSON object"},
    {"error.unknown-item", "unknown item"},
    {"error.required", "required"},
    {"error.one-of", "must be one of: %s"},
    {"error.bool", "must be true or false"},
    {"error.scale", "must be a whole number from %d to %d"},
    {"error.codes", "must be a list of distinct values from: %s"},
};

#define N_MESSAGES (sizeof(table) / sizeof(table[0]))
#define HASH_SLOTS 1024 /* power of two, over 2 x N_MESSAGES */

static short slots[HASH_SLOTS]; /* table index + 1; 0 = empty */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_message(const void *a, const void *b)
{
    return strcmp(((const struct message *)a)->key, ((const struct message *)b)->key);
}

/* Sorted for msg_key_at, then hashed for msg (scoring looks up ~40 texts a call). */
static void build(void)
{
    size_t i;

    if (N_MESSAGES * 2 > HASH_SLOTS)
        abort();
    qsort(table, N_MESSAGES, sizeof(table[0]), cmp_message);
    for (i = 0; i < N_MESSAGES; i++) {
        unsigned h = idhash(table[i].key, strlen(table[i].key));
        while (slots[h & (HASH_SLOTS - 1)])
            h++;
        slots[h & (HASH_SLOTS - 1)] = (short)(i + 1);
    }
}

const char *msg(const char *key)
{
    unsigned h;

    pthread_once(&once, build);
    for (h = idhash(key, strlen(key));; h++) {
        int slot = slots[h & (HASH_SLOTS - 1)];
        if (slot == 0)
            return NULL;
        if (strcmp(table[slot - 1].key, key) == 0)
            return table[slot - 1].text;
    }
}

const char *msg_join(const char *a, const char *b, const char *c)
{
    char key[128];
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);

    if (la + lb + lc >= sizeof(key))
        return NULL;
    memcpy(key, a, la);
    memcpy(key + la, b, lb);
    memcpy(key + la + lb, c, lc + 1);
    return msg(key);
}

const char *msg_format(char *out, size_t n, const char *key, ...)
{
    const char *fmt = msg(key);
    va_list ap;

    if (n == 0)
        return out;
    if (!fmt) {
        snprintf(out, n, "%s", key);
        return out;
    }
    va_start(ap, key);
    vsnprintf(out, n, fmt, ap);
    va_end(ap);
    return out;
}

size_t msg_count(void)
{
    return N_MESSAGES;
}

const char *msg_key_at(size_t i)
{
    pthread_once(&once, build);
    return i < N_MESSAGES ? table[i].key : NULL;
}
