-- wrk script of the load harness (Load/Wrk/WrkClient.cs): GET the URL as the callers of a file,
-- in turn. Argument: the file, one caller a line: the user id, then "Name: value" headers, tab
-- separated. With LOAD_CHECK_ANSWERS=1 every answer is checked (200, and every "userId" in it
-- the caller's); that needs one connection per thread, so a thread knows whose answer it reads.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  users, prepared = {}, {}
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
    prepared[#prepared + 1] = wrk.format("GET", nil, headers)
  end
  -- Threads start at different callers, so concurrent requests are of different users.
  turn = id % #prepared
  failed = 0
end

function request()
  current = turn + 1
  turn = current % #prepared
  return prepared[current]
end

local function is_for(body, user)
  local named, own = 0, 0
  for value in body:gmatch('"userId":"([^"]*)"') do
    named = named + 1
    if value == user then
      own = own + 1
    end
  end
  return named >= 2 and own == named
end

if os.getenv("LOAD_CHECK_ANSWERS") == "1" then
  function response(status, headers, body)
    if status ~= 200 or not is_for(body, users[current]) then
      failed = failed + 1
      if failed == 1 then
        sample = status .. " for " .. users[current] .. ": " .. body:sub(1, 300)
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
