-- wrk script: POST /api/v1/matches, rotating through the benchmark needs mix.
-- Usage: wrk -s benchmarks/wrk_matches.lua URL -- BODIES_NDJSON API_KEY
-- Each thread starts at its own offset so threads do not send the same body in lockstep.

local bodies = {}
local next_index = 1
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count * 97)
  thread_count = thread_count + 1
end

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (args[2] or "")
  next_index = (offset or 0) % #bodies + 1
end

function request()
  local body = bodies[next_index]
  next_index = next_index % #bodies + 1
  return wrk.format(nil, nil, nil, body)
end
