#!/usr/bin/python3
"""Screened transfers end to end: voiceopsd on a loopback port, the shipped after-hours
contract, and the carrier's webhooks for both legs of a safety call's transfer, signed by the
carrier's own Python library (python3-twilio).

A transfer rings the on-call technician with <Dial action="/twilio/dial" timeout="25"> and
<Number url="/twilio/screen?destination=oncall_tech">. When the phone answers, the carrier fetches
the screen for the staff leg (its own CallSid, the caller's as ParentCallSid): the call's summary
and "Press 1 to take this call" in a one-digit <Gather>. Only a 1, recorded on the caller's call
before the legs are joined, makes DialCallStatus=completed count as a person reached; a voicemail
greeting (no key) or any other key takes the transfer step's failure path, oncall_unreachable:
"Our technician didn't pick up on the first try, so I'm going to text them your number."

    transfer_screen_test.py VOICEOPSD VOICEOPS SOURCE_DIR [unittest args]
"""
import json
import os
import signal
import sys
import unittest
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_test import Daemon, arrive, only_workflow, say  # noqa: E402

ONCALL = "+15125550150"      # destinations.oncall_tech of the shipped contract
AGENT_LINE = "+15125550101"  # the number called
SCREEN = "/twilio/screen?destination=oncall_tech"
SCREEN_ANSWER = "/twilio/screen-answer?destination=oncall_tech"
SUMMARY = ("URGENT after-hours safety call: the caller said yes to a gas smell, a carbon monoxide "
           "alarm, or CO symptoms. They were told to get out and call 911.")
FAILURE_STEP = "Our technician didn't pick up on the first try, so I'm going to text them your number."
CALLBACK_QUESTION = "What's the best number to call you back on?"


def verbs(body):
    """The <Response>'s children as (tag, attributes, text, children) tuples."""
    def node(e):
        return (e.tag, dict(e.attrib), (e.text or "").strip(), [node(c) for c in e])
    root = ET.fromstring(body.encode("utf-8"))
    assert root.tag == "Response", body
    return [node(c) for c in root]


def spoken(body):
    """Everything a <Say> says in the document, nested or not, in order."""
    return [e.text for e in ET.fromstring(body.encode("utf-8")).iter("Say")]


class TransferScreenTest(unittest.TestCase):
    def setUp(self):
        self.d = Daemon()
        self.addCleanup(self.d.cleanup)
        # Closed every day (and on holidays): the after-hours contract answers whenever we run.
        only_workflow(self.d, "after-hours-service.toml",
                      lambda text: text.replace('"07:30-17:30"', '"closed"'))
        self.d.start()

    def safety_call(self, sid):
        """A no-heat caller says yes to the gas question: get out, and the transfer rings."""
        status, body, _ = arrive(self.d, sid)
        self.assertEqual(status, 200, body)
        status, body, _ = say(self.d, sid, "my furnace is blowing cold air")
        self.assertIn("smell gas", body)
        status, body, _ = say(self.d, sid, "yes")
        self.assertEqual(status, 200, body)
        dial = [v for v in verbs(body) if v[0] == "Dial"]
        self.assertEqual(len(dial), 1, body)
        self.assertEqual(dial[0][1], {"action": "/twilio/dial", "method": "POST", "timeout": "25"})
        self.assertEqual(dial[0][3], [("Number", {"url": SCREEN, "method": "POST"}, ONCALL, [])])
        return body

    def staff(self, path, sid, leg, **extra):
        """A webhook of the staff leg, as the carrier sends it."""
        params = {"AccountSid": "AC" + "0" * 32, "CallSid": leg, "ParentCallSid": sid,
                  "From": AGENT_LINE, "To": ONCALL, "Direction": "outbound-dial",
                  "CallStatus": "in-progress"}
        params.update(extra)
        return self.d.post(path, params)

    def dial_result(self, sid, leg, status="completed"):
        return self.d.post("/twilio/dial", {"CallSid": sid, "DialCallStatus": status,
                                            "DialCallSid": leg, "DialCallDuration": "14"})

    def shown(self, sid):
        run = self.d.cli("calls", "show", sid, "--format", "json")
        self.assertEqual(run.returncode, 0, run.stderr)
        return json.loads(run.stdout)

    def accepted_legs(self, sid):
        return [e["detail"] for e in self.shown(sid)["events"] if e["kind"] == "transfer_accepted"]

    def test_the_staff_leg_hears_the_summary_and_press_1(self):
        self.safety_call("CAscreen")
        status, body, _ = self.staff(SCREEN, "CAscreen", "CAleg1")
        self.assertEqual(status, 200, body)
        self.assertEqual(verbs(body), [
            ("Gather", {"input": "dtmf", "action": SCREEN_ANSWER, "method": "POST", "timeout": "8",
                        "numDigits": "1"},
             "", [("Say", {}, SUMMARY, []), ("Say", {}, "Press 1 to take this call.", [])]),
            ("Say", {}, "No key was pressed. Goodbye.", []),
            ("Hangup", {}, "", []),
        ])
        # Signed like every webhook: unsigned, or signed for another URL, is refused.
        params = {"CallSid": "CAleg1", "ParentCallSid": "CAscreen", "Digits": "1"}
        self.assertEqual(self.d.post(SCREEN_ANSWER, params, sign=False)[0], 403)
        self.assertEqual(self.d.post(SCREEN_ANSWER, params, token="not-the-token")[0], 403)
        self.assertEqual(self.accepted_legs("CAscreen"), [])

    def test_voicemail_takes_the_failure_step(self):
        self.safety_call("CAvoicemail")
        self.staff(SCREEN, "CAvoicemail", "CAleg1")
        # The greeting never presses a key: the Gather times out and the staff leg hangs up, so
        # /twilio/screen-answer is never called. The carrier reports the answered leg completed.
        status, body, _ = self.dial_result("CAvoicemail", "CAleg1")
        self.assertEqual(status, 200, body)
        said = spoken(body)
        self.assertIn(FAILURE_STEP, said)
        self.assertTrue(any(CALLBACK_QUESTION in s for s in said), body)
        call = self.shown("CAvoicemail")
        self.assertEqual(self.accepted_legs("CAvoicemail"), [])
        self.assertIn("(not accepted)", call["summary"])

    def test_a_screen_answer_with_no_key_hangs_up_and_takes_the_failure_step(self):
        self.safety_call("CAnokey")
        self.staff(SCREEN, "CAnokey", "CAleg1")
        status, body, _ = self.staff(SCREEN_ANSWER, "CAnokey", "CAleg1")
        self.assertEqual((status, verbs(body)), (200, [("Hangup", {}, "", [])]))
        status, body, _ = self.dial_result("CAnokey", "CAleg1")
        self.assertIn(FAILURE_STEP, spoken(body))

    def test_pressing_1_puts_the_technician_through_and_counts_as_answered(self):
        self.safety_call("CAtaken")
        self.staff(SCREEN, "CAtaken", "CAleg1")
        status, body, _ = self.staff(SCREEN_ANSWER, "CAtaken", "CAleg1", Digits="1")
        self.assertEqual((status, verbs(body)), (200, []))  # an empty <Response/> joins the legs
        self.assertEqual(self.accepted_legs("CAtaken"), ["CAleg1"])
        # The acceptance is on disk before the answer: it survives the daemon dying meanwhile.
        self.d.stop(signal.SIGKILL)
        self.d.start()
        status, body, _ = self.dial_result("CAtaken", "CAleg1")
        self.assertEqual(status, 200, body)
        self.assertNotIn(FAILURE_STEP, spoken(body))
        self.assertEqual(verbs(body)[-1][0], "Hangup")
        call = self.shown("CAtaken")
        self.assertEqual(call["outcome"], "escalated")
        self.assertIn("(answered)", call["summary"])

    def test_pressing_2_refuses_the_call_and_takes_the_failure_step(self):
        self.safety_call("CArefused")
        self.staff(SCREEN, "CArefused", "CAleg1")
        status, body, _ = self.staff(SCREEN_ANSWER, "CArefused", "CAleg1", Digits="2")
        self.assertEqual((status, verbs(body)), (200, [("Hangup", {}, "", [])]))
        self.assertEqual(self.accepted_legs("CArefused"), [])
        status, body, _ = self.dial_result("CArefused", "CAleg1")
        self.assertIn(FAILURE_STEP, spoken(body))
        self.assertIn("(not accepted)", self.shown("CArefused")["summary"])

    def test_only_the_leg_that_pressed_1_counts(self):
        self.safety_call("CAother")
        self.staff(SCREEN_ANSWER, "CAother", "CAleg1", Digits="1")
        status, body, _ = self.dial_result("CAother", "CAleg2")
        self.assertIn(FAILURE_STEP, spoken(body))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
