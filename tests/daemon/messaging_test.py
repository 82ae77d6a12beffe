#!/usr/bin/python3
"""Texts and emails that really go out: voiceopsd against the fake carrier REST API
(tests/support/fake_twilio.py) and the fake Mailgun (tests/support/fake_mailgun.py), with no
scripted outcomes. The expectations were written before the first run.

    messaging_test.py VOICEOPSD VOICEOPS SOURCE_DIR [unittest args]
"""
import os
import re
import signal
import sqlite3
import sys
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_mailgun import FakeMailgun  # noqa: E402
from fake_twilio import FakeTwilio, ACCOUNT_SID  # noqa: E402
from daemon_test import TOKEN, Daemon, arrive, say, eventually, only_workflow  # noqa: E402

ONCALL = "+15125550150"       # destinations oncall_tech and oncall_sms of the shipped contract
CALLER = "+15125550142"       # arrive()'s From
AGENT_LINE = "+15125550101"   # the number called, the texts' sender
MAILGUN_KEY = "key-test-0123"


def texts_to(fake, number):
    return [m for m in fake.messages() if m["to"] == number]


def creates(fake):
    return [r for r in fake.requests() if r["method"] == "POST" and r["path"].endswith("/Messages.json")]


class MessagingCase(unittest.TestCase):
    def setUp(self):
        self.fake = FakeTwilio(auth_token=TOKEN)
        self.fake.start()
        self.addCleanup(self.fake.stop)
        self.mail = FakeMailgun(api_key=MAILGUN_KEY)
        self.mail.start()
        self.addCleanup(self.mail.stop)

    def daemon(self, email=True, timeout_ms=1500):
        twilio = f"""account_sid = "{ACCOUNT_SID}"
api_url = "{self.fake.url}"
timeout_ms = {timeout_ms}
"""
        extra = """[messages]
retry_first_s = 1
retry_max_s = 2
"""
        if email:
            extra += f"""[email]
api_url = "{self.mail.url}"
domain = "mg.example.com"
from = "Voiceops <voiceops@mg.example.com>"
alerts_to = ["ops@example.com"]
summaries_to = ["csr@example.com"]
"""
        d = Daemon(scripted=False, twilio=twilio, extra=extra)
        d.env["MAILGUN_API_KEY"] = MAILGUN_KEY
        self.addCleanup(d.cleanup)
        # Only the after-hours workflow, closed all week: the clock never routes elsewhere.
        only_workflow(d, "after-hours-service.toml",
                      lambda text: text.replace('"07:30-17:30"', '"closed"'))
        return d

    def smoke_call(self, d, sid):
        arrive(d, sid)
        status, body, _ = say(d, sid, "there's smoke coming out of my furnace")
        self.assertEqual(status, 200, body)
        self.assertIn("texting our on-call technician", body)
        return body

    def metric(self, d, name):
        _, text, _ = d.get("/metrics")
        m = re.search(r"^" + re.escape(name) + r" (\S+)$", text, re.M)
        return float(m.group(1)) if m else None


class EscalationTextTest(MessagingCase):
    """The smoke_or_fire row's send_sms goes out from the outbox, once."""

    def test_a_safety_row_texts_the_on_call_phone_once_with_the_callers_number(self):
        d = self.daemon()
        d.start()
        self.smoke_call(d, "CAsmoke1")
        self.assertTrue(eventually(lambda: len(texts_to(self.fake, ONCALL)) >= 1, 10), d.log())
        time.sleep(1.5)  # a second text would come within the worker's next rounds
        texts = texts_to(self.fake, ONCALL)
        self.assertEqual(len(texts), 1, texts)
        self.assertIn(CALLER, texts[0]["body"])
        self.assertEqual(texts[0]["from"], AGENT_LINE)
        self.assertEqual(self.metric(d, 'voiceops_messages_total{channel="sms",result="sent"}'), 1)
        # Its delivery report is asked for, at the daemon's public URL.
        self.assertEqual(self.fake.status_callback_url(texts[0]["sid"]),
                         d.url + "/twilio/message-status")

    def test_a_connection_dropped_after_the_carrier_created_it_still_sends_one(self):
        d = self.daemon()
        self.fake.fail("drop_after_create", count=1, method="POST", path="*/Messages.json")
        d.start()
        self.smoke_call(d, "CAsmoke2")
        # The second attempt looks the message up, finds it, and does not send again.
        self.assertTrue(eventually(lambda: any(r["method"] == "GET" and r["path"].endswith(
            "/Messages.json") for r in self.fake.requests()), 15), d.log())
        time.sleep(2.5)
        self.assertEqual(len(texts_to(self.fake, ONCALL)), 1, self.fake.messages())
        self.assertEqual(len(creates(self.fake)), 1, self.fake.requests())
        db = sqlite3.connect(d.store)
        state = db.execute("SELECT state, remote_id FROM messages WHERE purpose = 'notice'").fetchall()
        db.close()
        self.assertEqual(state, [("sent", texts_to(self.fake, ONCALL)[0]["sid"])])

    def test_killed_mid_send_and_restarted_still_exactly_one(self):
        d = self.daemon(timeout_ms=3000)
        self.fake.hang_seconds = 8
        self.fake.fail("hang", count=1, method="POST", path="*/Messages.json")
        d.start()
        self.smoke_call(d, "CAsmoke3")
        # The turn is committed and the worker is inside its request: kill it there.
        self.assertTrue(eventually(lambda: len(creates(self.fake)) >= 1 or any(
            r["method"] == "POST" for r in self.fake.requests()), 10))
        time.sleep(0.3)
        d.process.send_signal(signal.SIGKILL)
        d.process.wait(10)
        d.start()
        self.assertTrue(eventually(lambda: len(texts_to(self.fake, ONCALL)) == 1, 30), d.log())
        time.sleep(2)
        self.assertEqual(len(texts_to(self.fake, ONCALL)), 1, self.fake.messages())

    def test_rate_limited_then_sent_after_retry_after(self):
        d = self.daemon()
        self.fake.fail("http_429", count=1, method="POST", path="*/Messages.json", retry_after=2)
        d.start()
        started = time.time()
        self.smoke_call(d, "CAsmoke4")
        self.assertTrue(eventually(lambda: len(texts_to(self.fake, ONCALL)) == 1, 15), d.log())
        self.assertGreaterEqual(time.time() - started, 1.9)  # not before Retry-After
        time.sleep(1.5)
        self.assertEqual(len(texts_to(self.fake, ONCALL)), 1)

    def test_an_opted_out_number_is_a_dead_letter_suppressed_and_alerted(self):
        d = self.daemon()
        self.fake.opt_out(ONCALL)
        d.start()
        self.smoke_call(d, "CAsmoke5")
        self.assertTrue(eventually(lambda: len(self.mail.sent()) >= 1, 15), d.log())
        db = sqlite3.connect(d.store)
        rows = db.execute("SELECT state FROM messages WHERE purpose = 'notice'").fetchall()
        suppressed = db.execute("SELECT recipient, code FROM suppressed_recipients").fetchall()
        db.close()
        self.assertEqual(rows, [("dead",)])
        self.assertEqual(suppressed, [(ONCALL, 21610)])
        alert = self.mail.sent()[0]
        self.assertIn("ops@example.com", str(alert))
        # The next safety call's text is not even tried: suppressed until an operator clears it.
        self.smoke_call(d, "CAsmoke6")
        self.assertTrue(eventually(lambda: self.metric(
            d, 'voiceops_messages_total{channel="sms",result="suppressed"}') == 1, 10), d.log())
        self.assertEqual(len(creates(self.fake)), 1)
        self.assertIn("21610", d.log())
        self.assertNotIn(ONCALL, d.log())  # numbers are masked in the log
        # The operator's view and repair.
        listed = d.cli("messages", "suppressed")
        self.assertIn(ONCALL, listed.stdout)
        status = d.cli("messages", "status")
        self.assertEqual(status.returncode, 1, status.stdout)  # dead letters wait
        self.assertRegex(status.stdout, r"dead:\s+1")
        dead = d.cli("messages", "list", "--state", "dead", "--format", "json")
        self.assertEqual(dead.returncode, 0, dead.stderr)
        self.assertIn('"purpose":"notice"', dead.stdout)
        self.assertEqual(d.cli("messages", "unsuppress", ONCALL).returncode, 0)
        self.assertEqual(d.cli("messages", "unsuppress", ONCALL).returncode, 65)  # not any more
        self.fake.opt_in(ONCALL)
        self.assertEqual(d.cli("messages", "retry").returncode, 0)
        self.assertTrue(eventually(lambda: len(texts_to(self.fake, ONCALL)) == 1, 10), d.log())

    def test_an_invalid_number_is_a_dead_letter_at_once(self):
        d = self.daemon()
        self.fake.fail("error_21211", count=1, method="POST", path="*/Messages.json")
        d.start()
        self.smoke_call(d, "CAsmoke7")
        self.assertTrue(eventually(lambda: self.metric(
            d, 'voiceops_messages_total{channel="sms",result="failed"}') == 1, 10), d.log())
        time.sleep(1.5)
        self.assertEqual(len(creates(self.fake)), 1)  # never tried again


class SummaryEmailTest(MessagingCase):
    def test_a_message_for_the_office_queue_is_emailed_to_summaries_to(self):
        d = self.daemon()
        d.start()
        arrive(d, "CAprice1")
        status, body, _ = say(d, "CAprice1", "how much do you charge for a service call")
        self.assertIn("pass this to our office", body)
        answers = [("name", "Dana Whitfield"), ("right?", "yes"),
                   ("number", "five one two five five five zero one nine nine"),
                   ("address", "4106 Elm Street"), ("", "no")]
        for _ in range(12):
            if "<Hangup/>" in body:
                break
            said = next(words for key, words in answers if key in body)
            status, body, _ = say(d, "CAprice1", said)
            self.assertEqual(status, 200, body)
        self.assertIn("<Hangup/>", body)
        self.assertTrue(eventually(lambda: len(self.mail.sent()) == 1, 10), d.log())
        mail = self.mail.sent()[0]
        self.assertIn("csr@example.com", str(mail["to"]))
        self.assertIn("Dana Whitfield", mail["text"])
        self.assertEqual(texts_to(self.fake, ONCALL), [])
        self.assertEqual(self.metric(d, 'voiceops_messages_total{channel="email",result="sent"}'),
                         1)


class DeliveryReportTest(MessagingCase):
    def test_an_undelivered_report_is_recorded_counted_and_alerted(self):
        d = self.daemon()
        d.start()
        self.smoke_call(d, "CAsmoke8")
        d.post("/twilio/status", {"CallSid": "CAsmoke8", "CallStatus": "completed",
                                  "CallDuration": "20"})
        self.assertTrue(eventually(lambda: len(texts_to(self.fake, ONCALL)) == 1, 10), d.log())
        sid = texts_to(self.fake, ONCALL)[0]["sid"]
        status, _, _ = self.fake.send_status_callback(sid, "undelivered", 30007)
        self.assertEqual(status, 200)
        # Again: a repeated report changes nothing.
        self.fake.send_status_callback(sid, "undelivered", 30007)
        self.assertEqual(self.metric(d, 'voiceops_message_deliveries_total{status="undelivered"}'),
                         1)
        db = sqlite3.connect(d.store)
        delivery = db.execute("SELECT delivery, delivery_code FROM messages WHERE remote_id = ?",
                              (sid,)).fetchall()
        events = db.execute("SELECT detail FROM events WHERE call_id = 'CAsmoke8' AND"
                            " kind = 'delivery'").fetchall()
        db.close()
        self.assertEqual(delivery, [("undelivered", 30007)])
        self.assertEqual(len(events), 1, events)
        self.assertIn("30007", events[0][0])
        # The alert: an email to [email] alerts_to saying the page did not arrive.
        self.assertTrue(eventually(lambda: len(self.mail.sent()) == 1, 10), d.log())
        self.assertIn("after the call ended", str(self.mail.sent()[0]))

    def test_a_forged_report_is_refused(self):
        d = self.daemon()
        d.start()
        status, _, _ = d.post("/twilio/message-status",
                              {"MessageSid": "SM" + "0" * 32, "MessageStatus": "failed"},
                              token="wrong")
        self.assertEqual(status, 403)
        status, _, _ = d.post("/twilio/message-status", {"MessageSid": "nope",
                                                         "MessageStatus": "failed"})
        self.assertEqual(status, 400)


class InCallPageTest(MessagingCase):
    """The page_oncall step: a "yes" to the safety screen whose transfer is not answered texts
    the technician during the call, and the caller hears the outcome. (First written with the
    gas escalation row's words; that row's unanswered transfer takes the engine's own message
    path instead, tested below, so the walk now answers the screen.)"""

    def walk_to_the_page(self, d, sid):
        arrive(d, sid)
        status, body, _ = say(d, sid, "my furnace is blowing cold air")
        self.assertIn("do you smell gas", body)
        status, body, _ = say(d, sid, "yes")
        self.assertIn("connecting you to our on-call technician", body)
        status, body, _ = d.post("/twilio/dial", {"CallSid": sid, "DialCallStatus": "no-answer"})
        self.assertEqual(status, 200, body)
        self.assertIn("text them your number", body)
        status, body, _ = say(d, sid, "five one two five five five zero one nine nine")
        self.assertIn("Is that right?", body)  # the number is read back
        status, body, _ = say(d, sid, "yes")
        return status, body

    def test_the_page_goes_out_during_the_call(self):
        d = self.daemon()
        d.start()
        status, body = self.walk_to_the_page(d, "CAgas1")
        self.assertEqual(status, 200, body)
        self.assertIn("has your number", body)
        texts = texts_to(self.fake, ONCALL)
        self.assertEqual(len(texts), 1, texts)
        self.assertIn("+15125550199", texts[0]["body"])

    def test_a_refused_page_takes_the_answering_service_path(self):
        d = self.daemon()
        self.fake.fail("error_21211", count=1, method="POST", path="*/Messages.json")
        d.start()
        status, body = self.walk_to_the_page(d, "CAgas2")
        self.assertEqual(status, 200, body)
        self.assertIn("+15125550180", body)  # the answering service's number, dialled
        self.assertEqual(len(texts_to(self.fake, ONCALL)), 0)

    def test_an_unanswered_safety_row_transfer_texts_the_technician_once(self):
        d = self.daemon()
        d.start()
        arrive(d, "CAgas3")
        status, body, _ = say(d, "CAgas3", "I smell gas in the kitchen")
        self.assertIn("connecting you to our on-call technician", body)
        status, body, _ = d.post("/twilio/dial", {"CallSid": "CAgas3",
                                                  "DialCallStatus": "no-answer"})
        self.assertIn("sent them your details", body)
        self.assertTrue(eventually(lambda: len(texts_to(self.fake, ONCALL)) == 1, 10), d.log())
        time.sleep(1.5)
        texts = texts_to(self.fake, ONCALL)
        self.assertEqual(len(texts), 1, texts)
        self.assertIn(CALLER, texts[0]["body"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
