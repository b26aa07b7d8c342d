// Read an .ics feed with ical.js (the parser Thunderbird uses) and print, as JSON,
// the instants of every VEVENT and VTODO:
//   {"<uid>": {"start": "...", "end": "..."}}      events (end from DTEND or DURATION)
//   {"<uid>": {"start": "...", "due": "..."}}      to-dos (keys only for what is set)
// Times with a zone or in UTC are UTC instants ("2026-12-02T08:00:00.000Z"); all-day
// dates stay dates ("2026-12-02"); floating times keep their wall time without a zone.
// An override of a recurring item is keyed "<uid>/<RECURRENCE-ID as above>".
//
// Usage: node instants.mjs FILE|http(s)://URL
import { readFile } from "node:fs/promises";
import ICAL from "ical.js";

async function load(where) {
  if (/^https?:\/\//.test(where)) {
    const response = await fetch(where);
    if (!response.ok) throw new Error(`${where}: HTTP ${response.status}`);
    return await response.text();
  }
  return await readFile(where, "utf8");
}

function show(time) {
  if (!time) return undefined;
  if (time.isDate) return time.toString();
  if (time.zone === ICAL.Timezone.localTimezone) return time.toString();
  return time.toJSDate().toISOString();
}

const where = process.argv[2];
if (!where) {
  console.error("usage: node instants.mjs FILE|URL");
  process.exit(2);
}
const calendar = new ICAL.Component(ICAL.parse(await load(where)));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const out = {};
for (const item of calendar.getAllSubcomponents()) {
  if (item.name !== "vevent" && item.name !== "vtodo") continue;
  let key = item.getFirstPropertyValue("uid");
  const recurrence = item.getFirstPropertyValue("recurrence-id");
  if (recurrence) key += "/" + show(recurrence);
  const entry = {};
  if (item.name === "vevent") {
    const event = new ICAL.Event(item);
    entry.start = show(event.startDate);
    entry.end = show(event.endDate);
  } else {
    const start = item.getFirstPropertyValue("dtstart");
    const due = item.getFirstPropertyValue("due");
    if (start) entry.start = show(start);
    if (due) entry.due = show(due);
  }
  out[key] = entry;
}
console.log(JSON.stringify(out, null, 1));
