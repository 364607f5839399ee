-- wrk script: POST a realistic, complete assessment to the score API.
-- The profile is tests/helpers/profiles.mjs "php" (AUDIT 23, opioids 31 high, PHQ-9 10,
-- relapse with craving 8): every instrument answered, so scoring does all its work.
-- Expected: 200 with recommendation.level "php" (checked by bench/assessment.sh before the run).

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"version":"haven-assessment-1","answers":{"about-age":"35-49","about-sex":"male","wd-symptoms":"mild","wd-complicated":false,"wd-now":false,"wd-daily":["opioids"],"med-unstable":false,"med-pregnant":false,"med-overdose":false,"ready":5,"tx-recent":false,"tx-op-not-enough":false,"relapse":true,"craving":8,"env-housing":"stable","env-safe":true,"env-home-use":false,"env-support":"strong","env-obligations":["work"],"pref-schedule":"evening","pref-telehealth":true,"audit-1":4,"audit-2":3,"audit-3":3,"audit-4":2,"audit-5":2,"audit-6":1,"audit-7":2,"audit-8":2,"audit-9":2,"audit-10":2,"assist-1-cannabis":false,"assist-1-cocaine":false,"assist-1-stimulants":false,"assist-1-inhalants":false,"assist-1-sedatives":false,"assist-1-hallucinogens":false,"assist-1-opioids":true,"assist-2-opioids":6,"assist-3-opioids":5,"assist-4-opioids":6,"assist-5-opioids":5,"assist-6-opioids":6,"assist-7-opioids":3,"assist-1-other":false,"assist-8":0,"phq9-1":2,"phq9-2":2,"phq9-3":1,"phq9-4":1,"phq9-5":1,"phq9-6":1,"phq9-7":1,"phq9-8":1,"phq9-9":0,"gad7-1":1,"gad7-2":1,"gad7-3":1,"gad7-4":1,"gad7-5":1,"gad7-6":1,"gad7-7":0,"asq-1":false,"asq-2":false,"asq-3":false,"asq-4":false}}]]

-- One machine-readable line for bench/assessment.sh.
done = function(summary, latency, requests)
    local secs = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d sockerr=%d\n",
        summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
