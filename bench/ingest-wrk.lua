-- wrk script for bench/ingest-load.sh (LOADGEN=wrk): the same finished runs as scriptmon-loadgen sends, from a load
-- generator that costs the machine a fraction of the CPU per request. Set KEY in the environment.
--   10,000 script names, 20 hosts; output empty for half the runs, up to 1 KB for 45 %, 10 KB for 5 %;
--   a new id per run, a version 7 UUID as scriptmon makes them (time first, so ids grow as they are made).

local key = os.getenv("KEY") or ""
local threads = {}
local counter = 0
-- thread_id: a global each thread gets from setup() (a local here would hide it and give every thread the same ids).
local outputs = {}
local base_ms = 0

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   math.randomseed(thread_id * 7919 + os.time())
   base_ms = os.time() * 1000
   outputs[1] = {""}
   outputs[2] = {}
   for i = 1, 16 do
      outputs[2][i] = string.rep("x", math.random(1, 1024))
   end
   outputs[3] = {string.rep("y", 10000)}
end

local function uuid7()
   counter = counter + 1
   -- 48 bits of milliseconds (advanced by the counter so ids stay increasing within a thread), version 7, variant 10.
   local ms = base_ms + math.floor(counter / 64)
   local high = string.format("%012x", ms)
   return string.format("%s-%s-7%03x-%04x-%04x%08x",
      high:sub(1, 8), high:sub(9, 12), math.random(0, 0xfff),
      0x8000 + (thread_id % 0x4000), math.random(0, 0xffff), counter)
end

local last_second, started, completed = -1, "", ""

function request()
   local now = os.time()
   if now ~= last_second then
      last_second = now
      completed = os.date("!%Y-%m-%dT%H:%M:%SZ", now)
      started = os.date("!%Y-%m-%dT%H:%M:%SZ", now - 30)
   end
   local roll = math.random(0, 99)
   local output
   if roll < 50 then output = "" elseif roll < 95 then output = outputs[2][math.random(1, 16)] else output = outputs[3][1] end
   local failed = math.random(0, 19) == 0
   local body = string.format(
      '{"id":"%s","script":"script-%05d","host":"host-%02d","startedAt":"%s","completedAt":"%s","outcome":"%s","exitCode":%d,"output":"%s"}',
      uuid7(), math.random(0, 9999), math.random(0, 19), started, completed,
      failed and "failed" or "succeeded", failed and 1 or 0, output)
   return wrk.format("POST", "/api/v1/runs", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. key,
   }, body)
end

function done(summary, latency, requests)
   local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
   io.write(string.format("runs=%d\tfailed=%d\tseconds=%.1f\truns_per_s=%.0f\tp50_ms=%.2f\tp99_ms=%.2f\n",
      summary.requests - failed, failed, summary.duration / 1e6, (summary.requests - failed) / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
