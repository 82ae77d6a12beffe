#!/usr/bin/env python3
"""Understanding figures for corpora of scripted calls (issue 9, DESIGN 9 "Understanding").

Runs `voiceops testcalls run --format json` over the given pack folders and compares what the
engine did with what each call's [expect] table says a correct agent does:

  missed safety escalations  calls that expect escalation = "safety" where no safety row fired
  false escalations          calls that expect no escalation (no `escalation` key) where a row
                             fired, plus calls that expect another trigger where a safety row fired
  slot values right          expected slot values the call ended with (case and spaces ignored)
  calls fully right          calls with no failed expectation (a script that ran past the end of
                             the call, "script_unused", is not counted as wrong on its own)

Usage: scripts/corpus_figures.py [--voiceops PATH] [--list] [--json] [AIMS] PACK...
Exit status: 0 when the run worked and every aim given is met, 1 when an aim is missed, 2 on a
usage or run error. Aims (CI gives them for the development corpus): --require-no-missed (no
missed safety escalation), --min-slots-pct N, --min-fully-right-pct N, --max-false-pct N.
"""
import argparse
import json
import os
import subprocess
import sys
import tomllib


def squeeze(text):
    return " ".join(str(text).lower().split())


def load_expectations(path):
    with open(path, "rb") as f:
        call = tomllib.load(f)
    return call.get("expect", {})


def fired_triggers(call):
    rows = call.get("escalation_rows")
    if rows is not None:
        return [row.get("trigger", "") for row in rows]
    return [call["escalation"]] if call.get("escalation") else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voiceops", default="build/cli/voiceops")
    parser.add_argument("--list", action="store_true", help="name the calls behind each figure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--require-no-missed", action="store_true")
    parser.add_argument("--min-slots-pct", type=float)
    parser.add_argument("--min-fully-right-pct", type=float)
    parser.add_argument("--max-false-pct", type=float)
    parser.add_argument("packs", nargs="+")
    args = parser.parse_args()

    run = subprocess.run([args.voiceops, "testcalls", "run", "--format", "json", *args.packs],
                         capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(run.stderr or "corpus_figures: no JSON from voiceops\n")
        return 2

    calls = missed = false_esc = no_esc_calls = slots_total = slots_right = fully_right = 0
    lists = {"missed": [], "false": [], "slots": [], "wrong": []}
    for pack in report.get("packs", []):
        for call in pack.get("calls", []):
            calls += 1
            name = f"{pack['name']}/{call['name']}"
            expect = load_expectations(call["file"])
            fired = fired_triggers(call)
            wanted = expect.get("escalation")
            if wanted == "safety" and "safety" not in fired:
                missed += 1
                lists["missed"].append(f"{name} (fired: {', '.join(fired) or 'nothing'})")
            if wanted is None:
                no_esc_calls += 1
                if fired:
                    false_esc += 1
                    lists["false"].append(f"{name} ({', '.join(fired)})")
            elif wanted != "safety" and "safety" in fired:
                false_esc += 1
                lists["false"].append(f"{name} (safety, expected {wanted})")
            got = {k.lower(): v for k, v in call.get("slots", {}).items()}
            for slot, value in expect.get("slots", {}).items():
                slots_total += 1
                if squeeze(got.get(slot.lower(), "\x00")) == squeeze(value):
                    slots_right += 1
                else:
                    lists["slots"].append(f"{name}: {slot} = {got.get(slot.lower())!r}, "
                                          f"expected {value!r}")
            failures = [f for f in call.get("failures", []) if f["kind"] != "script_unused"]
            if failures:
                lists["wrong"].append(f"{name}: " + "; ".join(f["kind"] for f in failures))
            else:
                fully_right += 1

    def pct(a, b):
        return 100.0 * a / b if b else 100.0

    figures = {
        "calls": calls,
        "missed_safety_escalations": missed,
        "false_escalations": false_esc,
        "calls_expecting_no_escalation": no_esc_calls,
        "false_escalation_pct": round(pct(false_esc, max(no_esc_calls, 1)), 1),
        "slots_right": slots_right,
        "slots_expected": slots_total,
        "slots_right_pct": round(pct(slots_right, slots_total), 1),
        "calls_fully_right": fully_right,
        "calls_fully_right_pct": round(pct(fully_right, calls), 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"calls:                      {calls}")
        print(f"missed safety escalations:  {missed}")
        print(f"false escalations:          {false_esc} of {no_esc_calls} calls that expect none"
              f" ({figures['false_escalation_pct']}%)")
        print(f"slot values right:          {slots_right} of {slots_total}"
              f" ({figures['slots_right_pct']}%)")
        print(f"calls fully right:          {fully_right} of {calls}"
              f" ({figures['calls_fully_right_pct']}%)")
    if args.list:
        for title, key in (("missed safety escalations", "missed"), ("false escalations", "false"),
                           ("wrong slot values", "slots"), ("calls not fully right", "wrong")):
            if lists[key]:
                print(f"\n{title}:")
                for line in lists[key]:
                    print(f"  {line}")
    missed_aims = []
    if args.require_no_missed and missed:
        missed_aims.append(f"{missed} missed safety escalation(s)")
    if args.min_slots_pct is not None and figures["slots_right_pct"] < args.min_slots_pct:
        missed_aims.append(f"slot values right under {args.min_slots_pct}%")
    if (args.min_fully_right_pct is not None
            and figures["calls_fully_right_pct"] < args.min_fully_right_pct):
        missed_aims.append(f"calls fully right under {args.min_fully_right_pct}%")
    if args.max_false_pct is not None and figures["false_escalation_pct"] > args.max_false_pct:
        missed_aims.append(f"false escalations over {args.max_false_pct}%")
    for aim in missed_aims:
        sys.stderr.write(f"corpus_figures: aim missed: {aim}\n")
    if missed_aims and not args.list:
        sys.stderr.write("corpus_figures: run with --list to see the calls behind the figures\n")
    return 1 if missed_aims else 0


if __name__ == "__main__":
    sys.exit(main())
