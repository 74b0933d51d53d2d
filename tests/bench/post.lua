-- post.lua: wrk script for tests/bench/creates.sh. Every request creates a
-- document with a unique title (thread id + counter); the key comes from
-- the environment (QUIRE_BENCH_KEY).
local counter = 0
local tid = 0
local threads = {}

function setup(thread)
	tid = tid + 1
	thread:set("tid", tid)
	table.insert(threads, thread)
end

function init(args)
	key = os.getenv("QUIRE_BENCH_KEY") or ""
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["Authorization"] = "Bearer " .. key
	created = 0
	failed = 0
end

function request()
	counter = counter + 1
	local body = string.format(
		'{"title": "bench %d-%d", "content": "A short durable document number %d written by the create benchmark."}',
		tid, counter, counter)
	return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
	if status == 201 then created = created + 1 else failed = failed + 1 end
end

function done(summary, latency, requests)
	local c, f = 0, 0
	for _, t in ipairs(threads) do
		c = c + (t:get("created") or 0)
		f = f + (t:get("failed") or 0)
	end
	io.write(string.format("created %d failed %d\n", c, f))
end
