-- wrk script of the load harness (Load/Wrk/WrkClient.cs): GET the URL as the callers of a file,
-- in turn. Argument: the file, one caller a line: the user id, then "Name: value" headers, tab
-- separated. With LOAD_CHECK_ANSWERS=1 every answer is checked: 200, and every "userId" in it
-- (the user's and the profile's) one and the same of the callers. wrk does not tell which
-- connection, so which request, an answer is for: whether it is the caller's own is checked by
-- the harness's own driver in each chain's warm-up.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  users, known, prepared = {}, {}, {}
  for line in io.lines(args[1]) do
    local fields = {}
    for field in line:gmatch("[^\t]+") do
      fields[#fields + 1] = field
    end
    local headers = {}
    for i = 2, #fields do
      local name, value = fields[i]:match("^([^:]+): (.*)$")
      headers[name] = value
    end
    users[#users + 1] = fields[1]
    known[fields[1]] = true
    prepared[#prepared + 1] = wrk.format("GET", nil, headers)
  end
  -- Threads start at different callers, so concurrent requests are of different users.
  turn = id % #prepared
  failed = 0
end

function request()
  turn = turn % #prepared + 1
  return prepared[turn]
end

local function names_one_caller(body)
  local first, named = nil, 0
  for value in body:gmatch('"userId":"([^"]*)"') do
    named = named + 1
    first = first or value
    if value ~= first then
      return false
    end
  end
  return named >= 2 and known[first] == true
end

if os.getenv("LOAD_CHECK_ANSWERS") == "1" then
  function response(status, headers, body)
    if status ~= 200 or not names_one_caller(body) then
      failed = failed + 1
      if failed == 1 then
        sample = status .. ": " .. body:sub(1, 300)
      end
    end
  end
end

-- For the harness: totals, wrong answers, then the latency (microseconds) at every 0.1% of answers and the highest.
function done(summary, latency, requests)
  local wrong, samples = 0, {}
  for _, thread in ipairs(threads) do
    wrong = wrong + (thread:get("failed") or 0)
    local sample = thread:get("sample")
    if sample and #samples < 5 then
      samples[#samples + 1] = sample:gsub("[\r\n]", " ")
    end
  end
  local errors = summary.errors
  io.write(string.format("load-requests %d\n", summary.requests))
  io.write(string.format("load-wrong %d\n", wrong))
  io.write(string.format("load-status-errors %d\n", errors.status))
  io.write(string.format("load-socket-errors %d\n", errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("load-duration-us %d\n", summary.duration))
  for _, sample in ipairs(samples) do
    io.write("load-failure " .. sample .. "\n")
  end
  if summary.requests > 0 then
    for permille = 1, 999 do
      io.write(string.format("load-latency %d\n", latency:percentile(permille / 10)))
    end
    io.write(string.format("load-latency %d\n", latency.max))
  end
end
