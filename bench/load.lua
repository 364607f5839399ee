-- wrk script for bench/load.sh: mixed public and staff traffic, in a fixed rotation of ten
-- requests (each wrk thread starts at another point of it):
--   public  GET  /assessment              3 in 10  (the form)
--           POST /assessment/result       2 in 10  (a complete profile, scored and rendered)
--           POST /assessment/call         1 in 10  (a call request: a write and its audit entry)
--   staff   GET  /staff/queue             2 in 10  (signed in, audited "list")
--           GET  /staff/patients/:id      2 in 10  (signed in, audited "view")
-- The bodies, cookies and the patient's id come from files bench/load.sh writes to LOAD_DIR.
-- Every answer must be 2xx, or the call request's 303: wrk counts non-2xx/3xx answers in
-- errors.status, response() below the other redirects.

local function slurp(name)
    local path = os.getenv("LOAD_DIR") .. "/" .. name
    local f = assert(io.open(path, "rb"), "cannot read " .. path)
    local s = f:read("*a")
    f:close()
    return s
end

local rotation = {}
local n = 0
local threads = {}

function setup(thread)
    thread:set("offset", #threads)
    table.insert(threads, thread)
end

-- A redirect other than the call request's is a page not served (the staff session gone: to
-- the sign-in page); wrk would count it as a success. Counted per thread, summed in done.
unexpected = 0

function response(status, headers, body)
    if status >= 300 and status < 400 and headers["Location"] ~= "/assessment/thanks" then
        unexpected = unexpected + 1
    end
end

function init(args)
    local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
    local staff = { Cookie = slurp("staff.cookie") }
    local call = { ["Content-Type"] = form["Content-Type"], Cookie = slurp("call.cookie") }
    local result_body, call_body = slurp("result.body"), slurp("call.body")
    local patient = "/staff/patients/" .. slurp("patient.id")
    local page = wrk.format("GET", "/assessment")
    local result = wrk.format("POST", "/assessment/result", form, result_body)
    local queue = wrk.format("GET", "/staff/queue", staff)
    local chart = wrk.format("GET", patient, staff)
    rotation = { page, result, queue, chart, page, wrk.format("POST", "/assessment/call", call, call_body),
                 queue, result, chart, page }
    n = (offset or 0) * 3
end

function request()
    n = n + 1
    return rotation[(n % #rotation) + 1]
end

-- One machine-readable line for bench/load.sh (and wrk's own report above it).
function done(summary, latency, requests)
    local e = summary.errors
    local redirects = 0
    for _, t in ipairs(threads) do
        redirects = redirects + t:get("unexpected")
    end
    local line = "RESULT requests=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.1f non2xx=%d"
        .. " sockerr=%d redirects=%d\n"
    io.write(line:format(summary.requests, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        e.status, e.connect + e.read + e.write + e.timeout, redirects))
end
