-- wrk script for scripts/bench.py. Environment:
--   BENCH_COOKIE   "sessionid=...; csrftoken=..." (may be empty)
--   BENCH_PATHS    file with one path per line; requests walk through it (each thread its share)
--   BENCH_METHOD   GET (default) or POST
--   BENCH_BODY     form-encoded body for POST
--   BENCH_EXPECT   the status every answer must have (200 by default)
-- Prints one line "BENCHJSON {...}" with counts and latency percentiles (microseconds).

local cookie = os.getenv("BENCH_COOKIE") or ""
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  nthreads = #threads > 0 and #threads or 2
  i = (id or 1) - 1
  good = 0
  bad = 0
  exhausted = 0
  headers = {}
  if #cookie > 0 then headers["Cookie"] = cookie end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  local step = tonumber(os.getenv("BENCH_THREADS") or "2")
  local n = i
  i = i + step
  if method == "POST" then
    if n >= #paths then exhausted = exhausted + 1 end
    return wrk.format("POST", paths[(n % #paths) + 1], headers, body)
  end
  return wrk.format("GET", paths[(n % #paths) + 1], headers, nil)
end

function response(status, hdrs, resp_body)
  if status == expect then good = good + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local g, b, x = 0, 0, 0
  for _, t in ipairs(threads) do
    g = g + (t:get("good") or 0)
    b = b + (t:get("bad") or 0)
    x = x + (t:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"good":%d,"bad":%d,"exhausted":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, g, b, x,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
