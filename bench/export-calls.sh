#!/usr/bin/env bash
# `voiceops export calls --format csv` against the sqlite3 shell's own CSV (`sqlite3 -csv`) on the
# same store of 1,000,000 finished calls, measured in the same run, alternating, as a ratio (the
# aim: the export at least twice as fast as the shell). Two baselines:
#   - the shell dumping the calls table as it is (`SELECT *`: no time formatting, no answers);
#   - the shell running the export's own query (the same columns and values the export writes).
# Every output goes to /dev/null; each side is checked once to give the same number of lines.
#   bench/export-calls.sh [CALLS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-1000000}
rounds=${2:-3}
bash scripts/build.sh >/dev/null
cli=$PWD/build/cli/voiceops
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/voiceops.db

# A store of the current schema (the CLI creates and migrates it), filled by SQL.
printf '[store]\npath = "%s"\n[contracts]\npaths = ["%s/contracts/*.toml"]\n' "$db" "$PWD" > "$work/voiceops.toml"
VOICEOPS_CONFIG=$work/voiceops.toml "$cli" export odoo --status > /dev/null
sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $calls - 1)
INSERT INTO calls (id, workflow, caller, called, started_at, updated_at, ended_at, status,
                   duration_s, after_hours, intent, phase, outcome, event, escalation, destination,
                   turns, spoken_chars, summary, cost, slots)
SELECT printf('CA%032d', i), CASE i % 3 WHEN 0 THEN 'after-hours-service'
         WHEN 1 THEN 'missed-call-booking' ELSE 'ops-line' END,
       printf('+1512555%04d', i % 10000), '+15125550101', 1700000000 + i * 30, 1700000000 + i * 30 + 95,
       1700000000 + i * 30 + 95, 'completed', 95, i % 2, 'no_heat', 'done',
       CASE WHEN i % 17 = 0 THEN 'escalated' ELSE 'success' END, 'ticket_created',
       CASE WHEN i % 17 = 0 THEN 'safety' END, CASE WHEN i % 17 = 0 THEN 'oncall' END,
       7, 640, 'No heat at 12 Oak St; caller "Dana", elderly parent at home, callback ' ||
       printf('+1512555%04d', i % 10000), 0.0412,
       json_object('service_address', '12 Oak St', 'callback_number', printf('+1512555%04d', i % 10000),
                   'problem_details', 'furnace blowing cold air, since this morning',
                   'vulnerable_occupants', 'yes')
FROM n;
SQL

# The export's own columns as SQL, for the shell to run the same work.
export_query="SELECT id, workflow, strftime('%Y-%m-%dT%H:%M:%S+00:00', started_at, 'unixepoch'),
  strftime('%Y-%m-%dT%H:%M:%S+00:00', ended_at, 'unixepoch'), duration_s, status, after_hours, caller,
  called, intent, outcome, event, escalation, destination, turns, ROUND(cost, 4), summary,
  json_extract(slots, '\$.user_id'), json_extract(slots, '\$.role'),
  COALESCE(json_extract(slots, '\$.call_type'), intent), json_extract(slots, '\$.energy_level'),
  json_extract(slots, '\$.blocker_flag'), json_extract(slots, '\$.primary_kpi'),
  json_extract(slots, '\$.kpi_action'), json_extract(slots, '\$.coach_template_used'),
  json_extract(slots, '\$.commitment'), json_extract(slots, '\$.job_id'),
  COALESCE(json_extract(slots, '\$.completion_status'), outcome),
  COALESCE(json_extract(slots, '\$.duration'), duration_s),
  json_extract(slots, '\$.\"callback_number\"'), json_extract(slots, '\$.\"problem_details\"'),
  json_extract(slots, '\$.\"service_address\"'), json_extract(slots, '\$.\"vulnerable_occupants\"')
  FROM calls ORDER BY started_at, id"
fields=call_id,workflow,started_at,ended_at,duration_s,status,after_hours,caller,called,intent,outcome,event,escalation,destination,turns,cost,summary,user_id,role,call_type,energy_level,blocker_flag,primary_kpi,kpi_action,coach_template_used,commitment,job_id,completion_status,duration,slot_callback_number,slot_problem_details,slot_service_address,slot_vulnerable_occupants

ours=("$cli" export calls --store "$db" --format csv --fields "$fields")
lines_ours=$(VOICEOPS_CONFIG=$work/voiceops.toml "${ours[@]}" | wc -l)
lines_shell=$(sqlite3 -csv -header "$db" "$export_query" | wc -l)
[[ $lines_ours == "$lines_shell" ]] || { echo "line counts differ: $lines_ours vs $lines_shell" >&2; exit 1; }

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
: > "$work/ours"; : > "$work/plain"; : > "$work/same"
for ((r = 0; r < rounds; r++)); do
  VOICEOPS_CONFIG=$work/voiceops.toml seconds "${ours[@]}" >> "$work/ours"
  seconds sqlite3 -csv -header "$db" "SELECT * FROM calls" >> "$work/plain"
  seconds sqlite3 -csv -header "$db" "$export_query" >> "$work/same"
done
t_ours=$(median < "$work/ours"); t_plain=$(median < "$work/plain"); t_same=$(median < "$work/same")
printf 'calls: %d (%s lines), medians of %d rounds\n' "$calls" "$lines_ours" "$rounds"
printf 'voiceops export calls --format csv:       %.2f s\n' "$t_ours"
printf 'sqlite3 -csv SELECT * FROM calls:          %.2f s  (ratio %.2fx)\n' "$t_plain" "$(echo "$t_plain / $t_ours" | bc -l)"
printf 'sqlite3 -csv with the export'"'"'s query:       %.2f s  (ratio %.2fx)\n' "$t_same" "$(echo "$t_same / $t_ours" | bc -l)"
