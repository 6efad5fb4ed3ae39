-- A mixed WebDAV/CalDAV/CardDAV load for wrk: reads, listings, queries and durable writes of
-- one user's files, calendar and address book, as seeded by bench/wrk/seed.py. Every answer
-- must be 2xx (wrk counts any other as "Non-2xx or 3xx responses"). At the end it prints one
-- line "regie-load {json}" with the request count, errors and latency percentiles (µs).
--
-- Environment: REGIE_LOAD_USER, REGIE_LOAD_PASSWORD (Basic credentials of the seeded user),
-- REGIE_LOAD_FILES, REGIE_LOAD_EVENTS, REGIE_LOAD_CARDS (how many of each seed.py made).

local user = os.getenv("REGIE_LOAD_USER") or "admin"
local password = os.getenv("REGIE_LOAD_PASSWORD") or ""
local files = tonumber(os.getenv("REGIE_LOAD_FILES") or "100")
local events = tonumber(os.getenv("REGIE_LOAD_EVENTS") or "200")
local cards = tonumber(os.getenv("REGIE_LOAD_CARDS") or "100")

-- base64 of "user:password" for the Authorization header (wrk's LuaJIT has no library for it).
local function base64(text)
  local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((text:gsub(".", function(c)
    local bits, byte = "", c:byte()
    for i = 8, 1, -1 do bits = bits .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return bits
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(bits)
    if #bits < 6 then return "" end
    local n = 0
    for i = 1, 6 do n = n + (bits:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return alphabet:sub(n + 1, n + 1)
  end) .. ({ "", "==", "=" })[#text % 3 + 1])
end

local auth = "Basic " .. base64(user .. ":" .. password)
local files_url = "/dav/files/" .. user .. "/load/"
local calendar_url = "/dav/calendars/" .. user .. "/personal/"
local book_url = "/dav/addressbooks/" .. user .. "/contacts/"
local body_4k = string.rep("regie load test body\n", 196)  -- 4,116 bytes

local propfind_listing = [[<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:getcontentlength/><d:getlastmodified/>
<d:resourcetype/></d:prop></d:propfind>]]
local propfind_ctag = [[<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/>
<d:sync-token/><d:displayname/></d:prop></d:propfind>]]
local calendar_query = [[<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/>
</d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
<c:time-range start="20270301T000000Z" end="20270315T000000Z"/></c:comp-filter></c:comp-filter>
</c:filter></c:calendar-query>]]
local addressbook_query = [[<?xml version="1.0" encoding="utf-8"?>
<a:addressbook-query xmlns:d="DAV:" xmlns:a="urn:ietf:params:xml:ns:carddav"><d:prop>
<d:getetag/><a:address-data/></d:prop><a:filter><a:prop-filter name="FN">
<a:text-match collation="i;unicode-casemap" match-type="contains">person 1</a:text-match>
</a:prop-filter></a:filter><a:limit><a:nresults>20</a:nresults></a:limit></a:addressbook-query>]]

local function event(n)
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Regie//load//EN\r\nBEGIN:VEVENT\r\n" ..
      "UID:load-event-" .. n .. "\r\nDTSTAMP:20270101T000000Z\r\n" ..
      string.format("DTSTART:202703%02dT100000Z\r\nDURATION:PT1H\r\n", n % 28 + 1) ..
      "SUMMARY:Updated under load " .. n .. "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
end

local function multiget(first)
  local hrefs = {}
  for i = 0, 9 do
    hrefs[#hrefs + 1] = "<d:href>" .. calendar_url .. "e" .. ((first + i) % events) .. ".ics</d:href>"
  end
  return [[<?xml version="1.0" encoding="utf-8"?>
<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop>
<d:getetag/><c:calendar-data/></d:prop>]] .. table.concat(hrefs) .. "</c:calendar-multiget>"
end

local function dav(method, path, depth, body, content_type)
  local headers = { ["Authorization"] = auth }
  if depth then headers["Depth"] = depth end
  if body then headers["Content-Type"] = content_type or "application/xml; charset=utf-8" end
  return wrk.format(method, path, headers, body)
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed * 7919 + os.time())
end

function request()
  local r = math.random(100)
  if r <= 35 then
    return dav("GET", files_url .. "f" .. math.random(0, files - 1) .. ".txt")
  elseif r <= 43 then
    return dav("PUT", files_url .. "w" .. math.random(0, 199) .. ".txt", nil, body_4k,
      "text/plain")
  elseif r <= 48 then
    return dav("PROPFIND", files_url, "1", propfind_listing)
  elseif r <= 55 then
    return dav("PROPFIND", files_url .. "f" .. math.random(0, files - 1) .. ".txt", "0",
      propfind_listing)
  elseif r <= 65 then
    return dav("GET", calendar_url .. "e" .. math.random(0, events - 1) .. ".ics")
  elseif r <= 72 then
    return dav("REPORT", calendar_url, "1", calendar_query)
  elseif r <= 77 then
    return dav("REPORT", calendar_url, "1", multiget(math.random(0, events - 1)))
  elseif r <= 82 then
    local n = math.random(0, events - 1)
    return dav("PUT", calendar_url .. "e" .. n .. ".ics", nil, event(n), "text/calendar")
  elseif r <= 88 then
    return dav("GET", book_url .. "c" .. math.random(0, cards - 1) .. ".vcf")
  elseif r <= 93 then
    return dav("REPORT", book_url, "1", addressbook_query)
  else
    return dav("PROPFIND", calendar_url, "0", propfind_ctag)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('regie-load {"requests":%d,"duration_us":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,"bad_status":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
