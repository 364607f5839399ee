/* instruments: the self-assessment as data (spec/assessment.md §1, §2). Sections run in the
 * order a person answers them on a phone; each item carries its exact wording, its allowed
 * values with their scores, and its skip logic (show_if). The scorer, the web form and the
 * FHIR Questionnaire all read these tables, so a change here changes all three. */
#include "domain/instruments.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "domain/idhash.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
/* Compound literals at file scope have static storage, so a section can list its items
 * in place without naming each one. */
#define ITEM(...) &(const struct item){__VA_ARGS__}
#define OPTS(a) .options = (a), .n_options = LEN(a)

/* ---- shared answer sets ---------------------------------------------------------------- */

static const struct item_option opt_bool[] = {
    {"true", 1, "Yes"},
    {"false", 0, "No"},
};

/* 0-10 rulers: the end labels say what the ends mean (shown under the row). */
#define SCALE_MIDDLE                                                                            \
    {"1", 1, "1"}, {"2", 2, "2"}, {"3", 3, "3"}, {"4", 4, "4"}, {"5", 5, "5"}, {"6", 6, "6"},   \
        {"7", 7, "7"}, {"8", 8, "8"}, {"9", 9, "9"}

static const struct item_option opt_craving[] = {
    {"0", 0, "0: no craving"}, SCALE_MIDDLE, {"10", 10, "10: the strongest craving"},
};

static const struct item_option opt_ready[] = {
    {"0", 0, "0: not ready"}, SCALE_MIDDLE, {"10", 10, "10: completely ready"},
};

#define BOOL_ITEM(id_, text_, hint_) \
    ITEM(.id = id_, .text = text_, .hint = hint_, .kind = ITEM_BOOL, OPTS(opt_bool))

/* ---- about you (Haven's own wording) --------------------------------------------------- */

static const struct item_option opt_age[] = {
    {"under-18", 0, "Under 18"}, {"18-25", 0, "18 to 25"}, {"26-34", 0, "26 to 34"},
    {"35-49", 0, "35 to 49"},    {"50-64", 0, "50 to 64"}, {"65-plus", 0, "65 or older"},
};

static const struct item_option opt_sex[] = {
    {"female", 0, "Female"},
    {"male", 0, "Male"},
    {"other", 0, "Another answer"},
    {"prefer-not", 0, "I prefer not to say"},
};

static const struct item *const about_items[] = {
    ITEM(.id = "about-age", .text = "How old are you?", .kind = ITEM_CODE, OPTS(opt_age)),
    ITEM(.id = "about-sex", .text = "What is your sex?",
         .hint = "We ask only because one of the alcohol scores is read a little differently "
                 "for women and for men.",
         .kind = ITEM_CODE, OPTS(opt_sex)),
};

/* ---- alcohol: AUDIT ---------------------------------------------------------------------
 * Items and answer labels quoted from Babor TF, Higgins-Biddle JC, Saunders JB, Monteiro MG.
 * AUDIT: The Alcohol Use Disorders Identification Test. Guidelines for Use in Primary Care,
 * 2nd ed. WHO/MSD/MSB/01.6a, World Health Organization, 2001 (Box 4, the questionnaire).
 * Skip logic as in the guidelines: Q1 "Never" skips to Q9-10; Q2 + Q3 = 0 skips to Q9-10. */

static const struct item_option opt_audit1[] = {
    {"0", 0, "Never"},
    {"1", 1, "Monthly or less"},
    {"2", 2, "2 to 4 times a month"},
    {"3", 3, "2 to 3 times a week"},
    {"4", 4, "4 or more times a week"},
};

static const struct item_option opt_audit2[] = {
    {"0", 0, "1 or 2"}, {"1", 1, "3 or 4"}, {"2", 2, "5 or 6"},
    {"3", 3, "7, 8, or 9"}, {"4", 4, "10 or more"},
};

static const struct item_option opt_audit_freq[] = {
    {"0", 0, "Never"},
    {"1", 1, "Less than monthly"},
    {"2", 2, "Monthly"},
    {"3", 3, "Weekly"},
    {"4", 4, "Daily or almost daily"},
};

static const struct item_option opt_audit_injury[] = {
    {"0", 0, "No"},
    {"2", 2, "Yes, but not in the last year"},
    {"4", 4, "Yes, during the last year"},
};

#define AUDIT_SKIP1 "audit-1!=0"
#define AUDIT_SKIP23 "audit-2!=0|audit-3!=0"
#define AUDIT_ITEM(n, text_, opts, show)                                                     \
    ITEM(.id = "audit-" #n, .instrument = "audit", .text = text_, .kind = ITEM_SCORED,       \
         OPTS(opts), .show_if = show)

static const struct item *const audit_items[] = {
    AUDIT_ITEM(1, "How often do you have a drink containing alcohol?", opt_audit1, NULL),
    AUDIT_ITEM(2, "How many drinks containing alcohol do you have on a typical day when you "
                  "are drinking?", opt_audit2, AUDIT_SKIP1),
    AUDIT_ITEM(3, "How often do you have six or more drinks on one occasion?", opt_audit_freq,
               AUDIT_SKIP1),
    AUDIT_ITEM(4, "How often during the last year have you found that you were not able to "
                  "stop drinking once you had started?", opt_audit_freq, AUDIT_SKIP23),
    AUDIT_ITEM(5, "How often during the last year have you failed to do what was normally "
                  "expected from you because of drinking?", opt_audit_freq, AUDIT_SKIP23),
    AUDIT_ITEM(6, "How often during the last year have you needed a first drink in the "
                  "morning to get yourself going after a heavy drinking session?",
               opt_audit_freq, AUDIT_SKIP23),
    AUDIT_ITEM(7, "How often during the last year have you had a feeling of guilt or remorse "
                  "after drinking?", opt_audit_freq, AUDIT_SKIP23),
    AUDIT_ITEM(8, "How often during the last year have you been unable to remember what "
                  "happened the night before because you had been drinking?",
               opt_audit_freq, AUDIT_SKIP23),
    AUDIT_ITEM(9, "Have you or someone else been injured as a result of your drinking?",
               opt_audit_injury, NULL),
    AUDIT_ITEM(10, "Has a relative or friend or a doctor or another health worker been "
                   "concerned about your drinking or suggested you cut down?",
               opt_audit_injury, NULL),
};

/* ---- other drugs: ASSIST v3.0 -----------------------------------------------------------
 * Questions, substance examples and answer labels quoted from Humeniuk R, Henry-Edwards S,
 * Ali R, Poznyak V, Monteiro M. The Alcohol, Smoking and Substance Involvement Screening Test
 * (ASSIST): Manual for use in primary care. World Health Organization, 2010 (ASSIST v3.0
 * questionnaire, Q1-Q8), with the substance named where the source says "(FIRST DRUG, SECOND
 * DRUG, ETC)". Q1 is the source's checklist asked as one yes/no per substance. Tobacco and
 * alcohol rows are left out (alcohol is AUDIT's). */

static const struct item_option opt_assist2[] = {
    {"0", 0, "Never"}, {"2", 2, "Once or Twice"}, {"3", 3, "Monthly"},
    {"4", 4, "Weekly"}, {"6", 6, "Daily or Almost Daily"},
};
static const struct item_option opt_assist3[] = {
    {"0", 0, "Never"}, {"3", 3, "Once or Twice"}, {"4", 4, "Monthly"},
    {"5", 5, "Weekly"}, {"6", 6, "Daily or Almost Daily"},
};
static const struct item_option opt_assist4[] = {
    {"0", 0, "Never"}, {"4", 4, "Once or Twice"}, {"5", 5, "Monthly"},
    {"6", 6, "Weekly"}, {"7", 7, "Daily or Almost Daily"},
};
static const struct item_option opt_assist5[] = {
    {"0", 0, "Never"}, {"5", 5, "Once or Twice"}, {"6", 6, "Monthly"},
    {"7", 7, "Weekly"}, {"8", 8, "Daily or Almost Daily"},
};
static const struct item_option opt_assist67[] = {
    {"0", 0, "No, Never"},
    {"6", 6, "Yes, in the past 3 months"},
    {"3", 3, "Yes, but not in the past 3 months"},
};
static const struct item_option opt_assist8[] = {
    {"0", 0, "No, Never"},
    {"2", 2, "Yes, in the past 3 months"},
    {"1", 1, "Yes, but not in the past 3 months"},
};

/* The source prints "(NON-MEDICAL USE ONLY)" in capitals; the words are kept, the shouting is
 * not (it read as alarm on a phone, eight times over). */
#define ASSIST_Q1_STEM                                                                       \
    "In your life, which of the following substances have you ever used? (non-medical use "  \
    "only)"

/* Q1 for substance s, `label` being the source's checklist row. */
#define ASSIST_Q1(s, label)                                                                  \
    ITEM(.id = "assist-1-" s, .instrument = "assist", .text = label, .hint = ASSIST_Q1_STEM,  \
         .kind = ITEM_BOOL, OPTS(opt_bool))

#define ASSIST_Q(n, s, text_, opts, show)                                                    \
    ITEM(.id = "assist-" #n "-" s, .instrument = "assist", .text = text_,                    \
         .kind = ITEM_SCORED, OPTS(opts), .show_if = show)

/* Q2-Q7 for substance s, `name` filled in where the source names the drug. */
#define ASSIST_Q2_7(s, name)                                                                 \
    ASSIST_Q(2, s, "In the past three months, how often have you used " name "?",            \
             opt_assist2, "assist-1-" s "=true"),                                            \
    ASSIST_Q(3, s, "During the past three months, how often have you had a strong desire or " \
                   "urge to use " name "?", opt_assist3, "assist-2-" s "!=0"),                \
    ASSIST_Q(4, s, "During the past three months, how often has your use of " name " led to " \
                   "health, social, legal or financial problems?",                           \
             opt_assist4, "assist-2-" s "!=0"),                                              \
    ASSIST_Q(5, s, "During the past three months, how often have you failed to do what was " \
                   "normally expected of you because of your use of " name "?",              \
             opt_assist5, "assist-2-" s "!=0"),                                              \
    ASSIST_Q(6, s, "Has a friend or relative or anyone else ever expressed concern about "   \
                   "your use of " name "?", opt_assist67, "assist-1-" s "=true"),            \
    ASSIST_Q(7, s, "Have you ever tried and failed to control, cut down or stop using " name \
                   "?", opt_assist67, "assist-1-" s "=true")

static const struct item *const assist_items[] = {
    ASSIST_Q1("cannabis", "Cannabis (marijuana, pot, grass, hash, etc.)"),
    ASSIST_Q1("cocaine", "Cocaine (coke, crack, etc.)"),
    ASSIST_Q1("stimulants", "Amphetamine type stimulants (speed, diet pills, ecstasy, etc.)"),
    /* US examples in the rows where v3.0 names products sold elsewhere (petrol, Serepax):
     * docs/clinical-rules.md. */
    ASSIST_Q1("inhalants", "Inhalants (nitrous, glue, gasoline, paint thinner, etc.)"),
    ASSIST_Q1("sedatives", "Sedatives or Sleeping Pills (Valium, Xanax, Klonopin, Rohypnol, "
                           "etc.)"),
    ASSIST_Q1("hallucinogens", "Hallucinogens (LSD, acid, mushrooms, PCP, Special K, etc.)"),
    /* The WHO row, with today's examples in the help text: many people who use prescription
     * pain pills or fentanyl do not count them as "opioids". */
    ITEM(.id = "assist-1-opioids", .instrument = "assist",
         .text = "Opioids (heroin, morphine, methadone, codeine, etc.)", .hint = ASSIST_Q1_STEM,
         .help = "This includes prescription pain pills such as oxycodone (OxyContin, "
                 "Percocet), hydrocodone (Vicodin) or tramadol, and fentanyl, when they were not "
                 "prescribed to you or you took more than prescribed.",
         .kind = ITEM_BOOL, OPTS(opt_bool)),
    ASSIST_Q1("other", "Other - specify:"),
    ASSIST_Q2_7("cannabis", "cannabis"),
    ASSIST_Q2_7("cocaine", "cocaine"),
    ASSIST_Q2_7("stimulants", "amphetamine type stimulants"),
    ASSIST_Q2_7("inhalants", "inhalants"),
    ASSIST_Q2_7("sedatives", "sedatives or sleeping pills"),
    ASSIST_Q2_7("hallucinogens", "hallucinogens"),
    ASSIST_Q2_7("opioids", "opioids"),
    ASSIST_Q2_7("other", "the other drug you mentioned"),
    ITEM(.id = "assist-8", .instrument = "assist",
         .text = "Have you ever used any drug by injection? (non-medical use only)",
         .kind = ITEM_SCORED, OPTS(opt_assist8),
         .show_if = "assist-1-cannabis=true|assist-1-cocaine=true|assist-1-stimulants=true|"
                    "assist-1-inhalants=true|assist-1-sedatives=true|"
                    "assist-1-hallucinogens=true|assist-1-opioids=true|assist-1-other=true"),
};

static const char *const substances[INSTRUMENTS_N_SUBSTANCES] = {
    "cannabis", "cocaine", "stimulants", "inhalants",
    "sedatives", "hallucinogens", "opioids", "other",
};

/* ---- withdrawal and health (Haven's own wording) --------------------------------------- */

static const struct item_option opt_wd_symptoms[] = {
    {"none", 0, "No"},
    {"mild", 0, "Yes, mild ones"},
    {"severe", 0, "Yes, severe ones"},
};

static const struct item_option opt_wd_daily[] = {
    {"alcohol", 0, "Alcohol"},
    {"sedatives", 0, "Sedatives or sleeping pills (such as Xanax, Valium or Klonopin)"},
    {"opioids", 0, "Opioids (such as heroin, fentanyl, or pain pills like oxycodone)"},
};

static const struct item *const health_items[] = {
    ITEM(.id = "wd-symptoms",
         .text = "When you cut down or stop drinking or using, do you get withdrawal symptoms?",
         .hint = "For example shaking, sweating, feeling sick, aching, feeling very anxious, "
                 "or not being able to sleep.",
         .kind = ITEM_CODE, OPTS(opt_wd_symptoms)),
    BOOL_ITEM("wd-complicated",
              "Have you ever had a seizure, or seen or heard things that were not there "
              "(hallucinations or DTs), when you stopped drinking alcohol or taking sedatives?",
              NULL),
    BOOL_ITEM("wd-now", "Do you have withdrawal symptoms right now?", NULL),
    ITEM(.id = "wd-daily",
         .text = "In the past month, which of these have you used every day or nearly every day?",
         .hint = "Choose all that apply, or none.", .kind = ITEM_CODES, OPTS(opt_wd_daily)),
    BOOL_ITEM("med-unstable",
              "Do you have a medical condition that is not under control, or that needs urgent "
              "care?", "For example chest pain, a high fever, or diabetes or blood pressure "
              "that is out of control."),
    BOOL_ITEM("med-pregnant", "Are you pregnant right now?",
              "If this does not apply to you, answer No."),
    BOOL_ITEM("med-overdose", "Have you had an overdose in the past 12 months?",
              "Any overdose counts, even if you did not go to a hospital."),
};

/* ---- mood: PHQ-9 ------------------------------------------------------------------------
 * Quoted from the Patient Health Questionnaire (PHQ-9), Drs Robert L. Spitzer, Janet B.W.
 * Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No
 * permission required to reproduce, translate, display or distribute. Kroenke K, Spitzer RL,
 * Williams JB. J Gen Intern Med 2001;16(9):606-13. */

static const struct item_option opt_phq[] = {
    {"0", 0, "Not at all"},
    {"1", 1, "Several days"},
    {"2", 2, "More than half the days"},
    {"3", 3, "Nearly every day"},
};

#define PHQ9_STEM                                                                            \
    "Over the last 2 weeks, how often have you been bothered by any of the following "       \
    "problems?"
#define PHQ9_ITEM(n, text_)                                                                  \
    ITEM(.id = "phq9-" #n, .instrument = "phq9", .text = text_, .hint = PHQ9_STEM,            \
         .kind = ITEM_SCORED, OPTS(opt_phq))

static const struct item *const phq9_items[] = {
    PHQ9_ITEM(1, "Little interest or pleasure in doing things"),
    PHQ9_ITEM(2, "Feeling down, depressed, or hopeless"),
    PHQ9_ITEM(3, "Trouble falling or staying asleep, or sleeping too much"),
    PHQ9_ITEM(4, "Feeling tired or having little energy"),
    PHQ9_ITEM(5, "Poor appetite or overeating"),
    PHQ9_ITEM(6, "Feeling bad about yourself \xe2\x80\x94 or that you are a failure or have "
                 "let yourself or your family down"),
    PHQ9_ITEM(7, "Trouble concentrating on things, such as reading the newspaper or watching "
                 "television"),
    PHQ9_ITEM(8, "Moving or speaking so slowly that other people could have noticed? Or the "
                 "opposite \xe2\x80\x94 being so fidgety or restless that you have been moving "
                 "around a lot more than usual"),
    PHQ9_ITEM(9, "Thoughts that you would be better off dead or of hurting yourself in some "
                 "way"),
};

/* ---- worry: GAD-7 -----------------------------------------------------------------------
 * Quoted from the GAD-7, Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and
 * colleagues, with an educational grant from Pfizer Inc. No permission required. Spitzer RL,
 * Kroenke K, Williams JB, Lowe B. Arch Intern Med 2006;166(10):1092-7. */

#define GAD7_STEM                                                                            \
    "Over the last 2 weeks, how often have you been bothered by the following problems?"
#define GAD7_ITEM(n, text_)                                                                  \
    ITEM(.id = "gad7-" #n, .instrument = "gad7", .text = text_, .hint = GAD7_STEM,            \
         .kind = ITEM_SCORED, OPTS(opt_phq))

static const struct item *const gad7_items[] = {
    GAD7_ITEM(1, "Feeling nervous, anxious, or on edge"),
    GAD7_ITEM(2, "Not being able to stop or control worrying"),
    GAD7_ITEM(3, "Worrying too much about different things"),
    GAD7_ITEM(4, "Trouble relaxing"),
    GAD7_ITEM(5, "Being so restless that it is hard to sit still"),
    GAD7_ITEM(6, "Becoming easily annoyed or irritable"),
    GAD7_ITEM(7, "Feeling afraid, as if something awful might happen"),
};

/* ---- safety: ASQ ------------------------------------------------------------------------
 * Quoted from the Ask Suicide-Screening Questions (ASQ) toolkit, National Institute of Mental
 * Health (public domain); Horowitz LM et al. Arch Pediatr Adolesc Med 2012;166(12):1170-6.
 * Question 5 (acuity) is asked only after a "yes" to any of 1-4, as the toolkit says. */

#define ASQ_ITEM(n, text_, show)                                                             \
    ITEM(.id = "asq-" #n, .instrument = "asq", .text = text_, .kind = ITEM_BOOL,              \
         OPTS(opt_bool), .show_if = show)

static const struct item *const asq_items[] = {
    ASQ_ITEM(1, "In the past few weeks, have you wished you were dead?", NULL),
    ASQ_ITEM(2, "In the past few weeks, have you felt that you or your family would be better "
                "off if you were dead?", NULL),
    ASQ_ITEM(3, "In the past week, have you been having thoughts about killing yourself?",
             NULL),
    ASQ_ITEM(4, "Have you ever tried to kill yourself?", NULL),
    ASQ_ITEM(5, "Are you having thoughts of killing yourself right now?",
             "asq-1=true|asq-2=true|asq-3=true|asq-4=true"),
};

/* ---- recovery so far (Haven's own wording) --------------------------------------------- */

static const struct item *const recovery_items[] = {
    BOOL_ITEM("tx-recent",
              "In the past 30 days, did you finish a stay in a hospital, residential program "
              "or detox for alcohol or drugs?", NULL),
    BOOL_ITEM("tx-op-not-enough",
              "Have you tried weekly outpatient counseling for alcohol or drugs, and found it "
              "was not enough?", NULL),
    BOOL_ITEM("relapse",
              "In the past 12 months, did you start drinking or using again after a time of "
              "not using?", "Many people do. It is part of recovery for a lot of us."),
    ITEM(.id = "craving",
         .text = "In the past week, how strong was your strongest craving for alcohol or drugs?",
         .hint = "0 means no craving at all; 10 means the strongest craving you can imagine.",
         .kind = ITEM_SCALE, OPTS(opt_craving)),
    ITEM(.id = "ready",
         .text = "How ready are you to make a change in your drinking or drug use?",
         .hint = "0 means not ready at all; 10 means completely ready.",
         .kind = ITEM_SCALE, OPTS(opt_ready)),
};

/* ---- home and support (Haven's own wording) -------------------------------------------- */

static const struct item_option opt_housing[] = {
    {"stable", 0, "I have a stable place to live"},
    {"unstable", 0, "I have a place, but it is not stable (for example staying with friends, "
                    "or I may lose it soon)"},
    {"none", 0, "I have no place to live right now"},
};

static const struct item_option opt_support[] = {
    {"strong", 0, "Yes, I have good support"},
    {"some", 0, "Some, but not much"},
    {"none", 0, "No one right now"},
};

static const struct item_option opt_obligations[] = {
    {"work", 0, "Work"},
    {"school", 0, "School"},
    {"children", 0, "Looking after children"},
    {"caregiving", 0, "Caring for someone else"},
};

static const struct item *const home_items[] = {
    ITEM(.id = "env-housing", .text = "Where are you living right now?", .kind = ITEM_CODE,
         OPTS(opt_housing)),
    BOOL_ITEM("env-safe", "Do you feel safe where you live?", NULL),
    BOOL_ITEM("env-home-use",
              "Does someone you live with drink heavily or use drugs heavily?", NULL),
    ITEM(.id = "env-support",
         .text = "Do you have people in your life who support your recovery?",
         .kind = ITEM_CODE, OPTS(opt_support)),
    ITEM(.id = "env-obligations",
         .text = "Which responsibilities do you need to keep up while you get help?",
         .hint = "Choose all that apply, or none.", .kind = ITEM_CODES, OPTS(opt_obligations)),
};

/* ---- preferences (Haven's own wording) ------------------------------------------------- */

static const struct item_option opt_schedule[] = {
    {"morning", 0, "Mornings"},
    {"evening", 0, "Evenings"},
    {"either", 0, "Either is fine"},
};

static const struct item *const pref_items[] = {
    ITEM(.id = "pref-schedule",
         .text = "If you join a program, which time of day would work best for you?",
         .kind = ITEM_CODE, OPTS(opt_schedule)),
    BOOL_ITEM("pref-telehealth", "Would you be open to some sessions by video (telehealth)?",
              NULL),
};

/* ---- sections -------------------------------------------------------------------------- */

#define SECTION_ITEMS(a) .items = (a), .n_items = LEN(a)

static const struct section sections[] = {
    {.id = "about", .title = "About you",
     .intro = "This check-up is anonymous: we do not ask your name, and nothing is saved unless "
              "you ask us to call you. It takes about 10 minutes. Answer as best you can; there "
              "are no wrong answers.",
     SECTION_ITEMS(about_items)},
    {.id = "audit", .title = "Alcohol",
     .intro = "These questions are about drinking alcohol. One drink means one standard drink: "
              "a 12-ounce beer, a 5-ounce glass of wine, or a 1.5-ounce shot of spirits.",
     .source = "AUDIT: Babor TF, Higgins-Biddle JC, Saunders JB, Monteiro MG. The Alcohol Use "
               "Disorders Identification Test. Guidelines for Use in Primary Care, 2nd ed. "
               "World Health Organization, 2001.",
     SECTION_ITEMS(audit_items)},
    {.id = "assist", .title = "Other drugs",
     .intro = "Next, drugs other than alcohol. Count only drugs that were not prescribed to you, "
              "or that you took more often or in larger amounts than prescribed. Your answers "
              "stay private.",
     .source = "ASSIST v3.0: Humeniuk R, Henry-Edwards S, Ali R, Poznyak V, Monteiro M. The "
               "Alcohol, Smoking and Substance Involvement Screening Test (ASSIST): Manual for "
               "use in primary care. World Health Organization, 2010.",
     SECTION_ITEMS(assist_items)},
    {.id = "health", .title = "Withdrawal and health",
     .intro = "Stopping alcohol or some drugs all at once can make you sick, and sometimes it "
              "is dangerous. These questions help us see whether you need medical care first.",
     SECTION_ITEMS(health_items)},
    {.id = "phq9", .title = "Your mood",
     .intro = "Drinking and drug use often go together with low mood. These questions are "
              "about the last 2 weeks.",
     .source = "PHQ-9: Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med 2001;16:606-13. "
               "Developed with an educational grant from Pfizer Inc.; no permission required.",
     SECTION_ITEMS(phq9_items)},
    {.id = "gad7", .title = "Worry",
     .intro = "Now a few questions about worry and feeling on edge, also about the last 2 "
              "weeks.",
     .source = "GAD-7: Spitzer RL, Kroenke K, Williams JB, Lowe B. Arch Intern Med "
               "2006;166:1092-7. Developed with an educational grant from Pfizer Inc.; no "
               "permission required.",
     SECTION_ITEMS(gad7_items)},
    {.id = "asq", .title = "Your safety",
     .intro = "We ask everyone these questions, because they matter and help is there. If you "
              "are in danger right now, call or text 988, or call 911.",
     .source = "ASQ: Ask Suicide-Screening Questions toolkit, National Institute of Mental "
               "Health (public domain).",
     SECTION_ITEMS(asq_items)},
    {.id = "recovery", .title = "Your recovery so far",
     .intro = "A few questions about help you have had before and how you feel about change "
              "now.",
     SECTION_ITEMS(recovery_items)},
    {.id = "home", .title = "Home and support",
     .intro = "Where you live and who is around you make a big difference to recovery.",
     SECTION_ITEMS(home_items)},
    {.id = "preferences", .title = "What would work for you",
     .intro = "Last, two questions so that we can suggest care that fits your life.",
     SECTION_ITEMS(pref_items)},
};

/* ---- lookup: items flattened in form order, plus a hash index by id built once --------- */

#define MAX_ITEMS 160
#define HASH_SLOTS 512 /* power of two, well over 2 x MAX_ITEMS: short probe runs */

static const struct item *flat[MAX_ITEMS];
static size_t id_len[MAX_ITEMS];
static short slots[HASH_SLOTS]; /* flat index + 1; 0 = empty */
static size_t n_flat;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
    size_t s, i;

    for (s = 0; s < LEN(sections); s++) {
        for (i = 0; i < sections[s].n_items; i++) {
            const struct item *it = sections[s].items[i];
            unsigned h;
            if (n_flat == MAX_ITEMS)
                abort(); /* raise MAX_ITEMS: the table outgrew it */
            id_len[n_flat] = strlen(it->id);
            h = idhash(it->id, id_len[n_flat]);
            while (slots[h & (HASH_SLOTS - 1)])
                h++;
            slots[h & (HASH_SLOTS - 1)] = (short)(n_flat + 1);
            flat[n_flat++] = it;
        }
    }
}

const struct section *instruments_sections(size_t *n)
{
    *n = LEN(sections);
    return sections;
}

size_t instruments_count(void)
{
    pthread_once(&once, build_index);
    return n_flat;
}

const struct item *instruments_at(size_t index)
{
    pthread_once(&once, build_index);
    return index < n_flat ? flat[index] : NULL;
}

long instruments_find(const char *id, size_t len)
{
    unsigned h;

    pthread_once(&once, build_index);
    for (h = idhash(id, len);; h++) {
        int slot = slots[h & (HASH_SLOTS - 1)];
        if (slot == 0)
            return -1;
        if (id_len[slot - 1] == len && memcmp(flat[slot - 1]->id, id, len) == 0)
            return slot - 1;
    }
}

const struct item *instruments_item(const char *id)
{
    long i = instruments_find(id, strlen(id));
    return i < 0 ? NULL : flat[i];
}

const struct item_option *instruments_option(const struct item *it, const char *value)
{
    size_t i;

    for (i = 0; i < it->n_options; i++)
        if (strcmp(it->options[i].value, value) == 0)
            return &it->options[i];
    return NULL;
}

const char *instruments_substance(size_t i)
{
    return i < INSTRUMENTS_N_SUBSTANCES ? substances[i] : NULL;
}
