#!/usr/bin/python3
"""Self-test of fake_twilio.py over loopback: the Messages and IncomingPhoneNumbers routes, Twilio's
error shapes, authentication, paging and filters, signed status callbacks (cross-checked with
python3-twilio's RequestValidator), every failure mode, the control endpoints, HTTP/1.1
keep-alive, python3-twilio's Client against the fake, and the command line.

    /usr/bin/python3 tests/support/fake_twilio_test.py [unittest args]
"""
import base64
import datetime
import email.utils
import http.client
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fake_twilio import (ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, AUTH_TOKEN,  # noqa: E402
                         FakeTwilio)

from twilio.base.exceptions import TwilioRestException  # noqa: E402
from twilio.http.http_client import TwilioHttpClient  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402
from twilio.rest import Client  # noqa: E402

BASE = f"/2010-04-01/Accounts/{ACCOUNT_SID}"
MAYA, OWEN, OURS = "+15125550142", "+15125550177", "+15125550100"
DISCONNECTED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
UTC = datetime.timezone.utc
MESSAGE_KEYS = {"account_sid", "api_version", "body", "date_created", "date_sent", "date_updated",
                "direction", "error_code", "error_message", "from", "messaging_service_sid",
                "num_media", "num_segments", "price", "price_unit", "sid", "status",
                "subresource_uris", "to", "uri"}
ENVELOPE_KEYS = {"end", "first_page_uri", "next_page_uri", "page", "page_size",
                 "previous_page_uri", "start", "uri"}


def basic(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self):
        return json.loads(self.body)


class CallbackReceiver(http.server.ThreadingHTTPServer):
    """Where status callbacks land: records (path, headers, form pairs) and answers `status`."""
    daemon_threads = True

    def __init__(self):
        self.received, self.status = [], 200
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.received.append((self.path, dict(self.headers),
                                          urllib.parse.parse_qsl(body, keep_blank_values=True)))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def url(self, path="/sms/status"):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def close(self):
        self.shutdown()
        self.server_close()


class FakeTestCase(unittest.TestCase):
    def setUp(self):
        self.fake = FakeTwilio()
        self.fake.start()
        self.addCleanup(self.fake.stop)

    def request(self, method, path, form=None, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=5,
                raw=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=timeout)
        self.addCleanup(connection.close)
        headers = {"Authorization": basic(*auth)} if auth else {}
        body = raw
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())

    def send(self, to=MAYA, body="Your visit is confirmed.", **form):
        form = {"To": to, "From": OURS, "Body": body, **form}
        return self.request("POST", BASE + "/Messages.json", {k: v for k, v in form.items()
                                                               if v is not None})

    def sent(self, **form):
        answer = self.send(**form)
        self.assertEqual(answer.status, 201, answer.body)
        return answer.json

    def get(self, path, **query):
        suffix = "?" + urllib.parse.urlencode(query) if query else ""
        return self.request("GET", path + suffix)

    def twilio_error(self, answer, status, code, message=None):
        self.assertEqual(answer.status, status, answer.body)
        self.assertTrue(answer.headers["Content-Type"].startswith("application/json"))
        error = answer.json
        self.assertEqual((error["code"], error["status"]), (code, status))
        self.assertEqual(error["more_info"], f"https://www.twilio.com/docs/errors/{code}")
        if message is not None:
            self.assertEqual(error["message"], message)
        return error


class MessagesTest(FakeTestCase):
    def test_create_answers_201_and_the_message_resource(self):
        answer = self.send(StatusCallback="https://ops.example/sms/status")
        self.assertEqual(answer.status, 201)
        self.assertRegex(answer.headers["Twilio-Request-Id"], r"^RQ[0-9a-f]{32}$")
        message = answer.json
        self.assertEqual(set(message), MESSAGE_KEYS)
        self.assertRegex(message["sid"], r"^SM[0-9a-f]{32}$")
        self.assertEqual({k: message[k] for k in ("account_sid", "to", "from", "body", "status",
                                                  "direction", "num_segments", "num_media",
                                                  "price", "error_code", "error_message",
                                                  "messaging_service_sid", "api_version")},
                         {"account_sid": ACCOUNT_SID, "to": MAYA, "from": OURS,
                          "body": "Your visit is confirmed.", "status": "queued",
                          "direction": "outbound-api", "num_segments": "1", "num_media": "0",
                          "price": None, "error_code": None, "error_message": None,
                          "messaging_service_sid": None, "api_version": "2010-04-01"})
        self.assertEqual(message["uri"], f"{BASE}/Messages/{message['sid']}.json")
        self.assertEqual(message["subresource_uris"],
                         {"media": f"{BASE}/Messages/{message['sid']}/Media.json"})
        self.assertIsNone(message["date_sent"])  # not left yet: queued
        for field in ("date_created", "date_updated"):
            self.assertRegex(message[field],
                             r"^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$")
            moment = email.utils.parsedate_to_datetime(message[field])
            self.assertLess(abs(moment - datetime.datetime.now(UTC)).total_seconds(), 5)
        self.assertEqual(self.fake.messages(), [message])
        self.assertEqual(self.fake.status_callback_url(message["sid"]),
                         "https://ops.example/sms/status")

    def test_segments_count_gsm7_and_ucs2(self):
        cases = [("a" * 160, "1"), ("a" * 161, "2"), ("a" * 306, "2"), ("a" * 307, "3"),
                 ("[" * 80, "1"), ("[" * 81, "2"), ("ü" * 160, "1"), ("ł" * 70, "1"),
                 ("ł" * 71, "2"), ("\U0001F4A9" * 35, "1"), ("\U0001F4A9" * 36, "2")]
        for body, segments in cases:
            with self.subTest(body=body[:3], length=len(body)):
                self.assertEqual(self.sent(body=body)["num_segments"], segments)

    def test_a_messaging_service_is_accepted_without_a_sender(self):
        service = "MG" + "0a" * 16
        message = self.sent(From=None, MessagingServiceSid=service)
        self.assertEqual((message["status"], message["from"], message["messaging_service_sid"],
                          message["num_segments"]), ("accepted", None, service, "0"))

    def test_validation_errors_in_twilio_words(self):
        cases = [({"To": ""}, 21604, "A 'To' phone number is required."),
                 ({"From": None}, 21603, "A 'From' phone number is required."),
                 ({"body": ""}, 21602, "Message body is required."),
                 ({"to": "5125550142"}, 21211,
                  "The 'To' number 5125550142 is not a valid phone number."),
                 ({"to": "+1 512 555 0142"}, 21211, None),
                 ({"body": "x" * 1601}, 21617,
                  "The concatenated message body exceeds the 1600 character limit.")]
        for form, code, message in cases:
            with self.subTest(code=code, form=str(form)[:40]):
                self.twilio_error(self.send(**form), 400, code, message)
        self.assertEqual(self.fake.messages(), [])

    def test_opted_out_recipients_get_21610_until_opted_in(self):
        self.fake.opt_out(MAYA)
        self.twilio_error(self.send(), 400, 21610, "Attempt to send to unsubscribed recipient")
        self.sent(to=OWEN)
        self.fake.opt_in(MAYA)
        self.sent()
        self.assertEqual([m["to"] for m in self.fake.messages()], [OWEN, MAYA])

    def test_fetch_one_message_and_unknown_sids_are_20404(self):
        sid = self.sent()["sid"]
        answer = self.get(f"{BASE}/Messages/{sid}.json")
        self.assertEqual((answer.status, answer.json), (200, self.fake.message(sid)))
        missing = f"{BASE}/Messages/SM{'0' * 32}.json"
        self.twilio_error(self.get(missing), 404, 20404,
                          f"The requested resource {missing} was not found")

    def test_non_ascii_is_sent_as_json_escapes_like_twilio(self):
        answer = self.send(body="Ø ok \U0001F4A9")
        self.assertIn(rb'"body": "\u00d8 ok \ud83d\udca9"', answer.body)
        self.assertEqual(answer.json["body"], "Ø ok \U0001F4A9")
        self.assertEqual(answer.json["num_segments"], "1")

    def test_the_list_is_newest_first_in_twilio_envelope(self):
        sids = [self.sent(body=f"n{i}")["sid"] for i in range(3)]
        page = self.get(BASE + "/Messages.json").json
        self.assertEqual(set(page), ENVELOPE_KEYS | {"messages"})
        self.assertEqual([m["sid"] for m in page["messages"]], sids[::-1])
        self.assertEqual(set(page["messages"][0]), MESSAGE_KEYS)
        self.assertEqual({k: page[k] for k in ENVELOPE_KEYS}, {
            "start": 0, "end": 2, "page": 0, "page_size": 50, "next_page_uri": None,
            "previous_page_uri": None, "uri": f"{BASE}/Messages.json?PageSize=50&Page=0",
            "first_page_uri": f"{BASE}/Messages.json?PageSize=50&Page=0"})
        empty = self.get(BASE + "/Messages.json", To=OWEN).json
        self.assertEqual((empty["messages"], empty["start"], empty["end"]), ([], 0, 0))

    def test_to_and_from_filters(self):
        self.sent(to=MAYA)
        self.sent(to=OWEN)
        self.sent(to=OWEN, From="+15125550199")
        self.assertEqual(len(self.get(BASE + "/Messages.json", To=OWEN).json["messages"]), 2)
        page = self.get(BASE + "/Messages.json", To=OWEN, From=OURS).json
        self.assertEqual([(m["to"], m["from"]) for m in page["messages"]], [(OWEN, OURS)])
        self.assertEqual(page["uri"], f"{BASE}/Messages.json?To=%2B15125550177&From=%2B15125550100"
                                      "&PageSize=50&Page=0")

    def test_date_sent_filters_by_day(self):
        for day in (1, 2, 3):
            self.fake.set_now(datetime.datetime(2024, 5, day, 23, 59, 59, tzinfo=UTC))
            self.fake.mark_sent(self.sent(body=f"day {day}")["sid"])

        def bodies(**query):
            return [m["body"] for m in self.get(BASE + "/Messages.json", **query).json["messages"]]
        self.assertEqual(bodies(DateSent="2024-05-02"), ["day 2"])
        self.assertEqual(bodies(**{"DateSent<": "2024-05-02"}), ["day 2", "day 1"])
        self.assertEqual(bodies(**{"DateSent>": "2024-05-02"}), ["day 3", "day 2"])
        self.assertEqual(bodies(**{"DateSent>": "2024-05-02", "DateSent<": "2024-05-02"}),
                         ["day 2"])
        uri = self.get(BASE + "/Messages.json", **{"DateSent>": "2024-05-02"}).json["uri"]
        self.assertEqual(uri, f"{BASE}/Messages.json?DateSent%3E=2024-05-02&PageSize=50&Page=0")

    def test_date_sent_filters_by_time_and_bad_dates_are_refused(self):
        for hour in (8, 9, 10):
            self.fake.set_now(datetime.datetime(2024, 5, 1, hour, tzinfo=UTC))
            self.fake.mark_sent(self.sent(body=f"{hour}h")["sid"])
        page = self.get(BASE + "/Messages.json", **{"DateSent>": "2024-05-01T09:00:00Z"}).json
        self.assertEqual([m["body"] for m in page["messages"]], ["10h", "9h"])
        self.twilio_error(self.get(BASE + "/Messages.json", DateSent="yesterday"), 400, 20001)

    def test_paging_follows_next_and_previous_page_uris(self):
        sids = [self.sent(body=str(i))["sid"] for i in range(5)][::-1]
        first = self.get(BASE + "/Messages.json", To=MAYA, PageSize=2).json
        self.assertEqual([m["sid"] for m in first["messages"]], sids[:2])
        self.assertEqual(first["next_page_uri"], f"{BASE}/Messages.json?To=%2B15125550142"
                                                 f"&PageSize=2&Page=1&PageToken=PA{sids[1]}")
        second = self.get(first["next_page_uri"]).json
        self.assertEqual(([m["sid"] for m in second["messages"]], second["page"],
                          second["start"], second["end"]), (sids[2:4], 1, 2, 3))
        third = self.get(second["next_page_uri"]).json
        self.assertEqual(([m["sid"] for m in third["messages"]], third["next_page_uri"]),
                         (sids[4:], None))
        back = self.get(third["previous_page_uri"]).json
        self.assertEqual([m["sid"] for m in back["messages"]], sids[2:4])
        self.assertEqual(self.get(back["first_page_uri"]).json["messages"], first["messages"])

    def test_page_numbers_without_a_token_and_bad_paging_values(self):
        sids = [self.sent(body=str(i))["sid"] for i in range(3)][::-1]
        page = self.get(BASE + "/Messages.json", PageSize=1, Page=2).json
        self.assertEqual(([m["sid"] for m in page["messages"]], page["start"]), ([sids[2]], 2))
        self.assertEqual(self.get(BASE + "/Messages.json", PageSize=5000).json["page_size"], 1000)
        for query in ({"PageSize": "many"}, {"Page": "x"}, {"PageToken": "PAnope"}):
            with self.subTest(query=query):
                self.twilio_error(self.get(BASE + "/Messages.json", **query), 400, 20001)

    def test_requests_are_logged(self):
        self.send(StatusCallback="https://ops.example/cb")
        self.get(BASE + "/Messages.json", To=MAYA)
        log = self.fake.requests()
        self.assertEqual(log[0], {"method": "POST", "path": BASE + "/Messages.json", "query": {},
                                  "form": {"To": MAYA, "From": OURS,
                                           "Body": "Your visit is confirmed.",
                                           "StatusCallback": "https://ops.example/cb"},
                                  "user": ACCOUNT_SID, "status": 201})
        self.assertEqual((log[1]["method"], log[1]["query"], log[1]["status"]),
                         ("GET", {"To": MAYA}, 200))


class AuthTest(FakeTestCase):
    def test_no_credentials_is_20003_with_twilio_detail(self):
        answer = self.request("GET", BASE + "/Messages.json", auth=None)
        error = self.twilio_error(answer, 401, 20003,
                                  "Authentication Error - No credentials provided")
        self.assertEqual(error["detail"], "Your AccountSid or AuthToken was incorrect.")
        self.assertEqual(list(error), ["code", "detail", "message", "more_info", "status"])
        self.assertEqual(answer.headers["WWW-Authenticate"], 'Basic realm="Twilio API"')

    def test_wrong_pairs_are_20003_authenticate(self):
        for auth in ((ACCOUNT_SID, "wrong"), (API_KEY_SID, AUTH_TOKEN), ("ACnobody", AUTH_TOKEN),
                     (API_KEY_SID, "ünïcode")):
            with self.subTest(auth=auth):
                answer = self.request("POST", BASE + "/Messages.json",
                                      {"To": MAYA, "From": OURS, "Body": "x"}, auth=auth)
                error = self.twilio_error(answer, 401, 20003, "Authenticate")
                self.assertEqual(list(error), ["code", "message", "more_info", "status"])
        self.assertEqual(self.fake.messages(), [])

    def test_an_api_key_and_secret_are_accepted(self):
        answer = self.request("POST", BASE + "/Messages.json",
                              {"To": MAYA, "From": OURS, "Body": "x"},
                              auth=(API_KEY_SID, API_KEY_SECRET))
        self.assertEqual((answer.status, answer.json["account_sid"]), (201, ACCOUNT_SID))
        self.assertEqual(self.fake.requests()[0]["user"], API_KEY_SID)

    def test_another_account_in_the_path_is_not_found(self):
        path = f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
        self.twilio_error(self.request("GET", path), 404, 20404,
                          f"The requested resource {path} was not found")

    def test_unknown_routes_are_20404_and_other_verbs_20004(self):
        for path in ("/2010-04-01/Accounts.json", BASE + "/Calls.json", "/v1/Services"):
            with self.subTest(path=path):
                self.twilio_error(self.request("GET", path), 404, 20404)
        self.twilio_error(self.request("DELETE", BASE + "/Messages.json"), 405, 20004,
                          "Method not allowed")
        self.twilio_error(self.request("POST", BASE + "/IncomingPhoneNumbers.json", {}), 405,
                          20004)


class NumbersTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.main = self.fake.add_number(OURS)
        self.other = self.fake.add_number("+442071838750", friendly_name="London")

    def test_seeded_numbers_are_listed_in_twilio_envelope(self):
        page = self.get(BASE + "/IncomingPhoneNumbers.json").json
        self.assertEqual(set(page), ENVELOPE_KEYS | {"incoming_phone_numbers"})
        numbers = page["incoming_phone_numbers"]
        self.assertEqual([n["phone_number"] for n in numbers], [OURS, "+442071838750"])
        first = numbers[0]
        self.assertRegex(first["sid"], r"^PN[0-9a-f]{32}$")
        self.assertEqual((first["friendly_name"], first["voice_method"], first["voice_url"],
                          first["capabilities"]["sms"], first["uri"]),
                         ("(512) 555-0100", "POST", "", True,
                          f"{BASE}/IncomingPhoneNumbers/{first['sid']}.json"))
        self.assertEqual(self.get(first["uri"]).json, first)

    def test_phone_number_and_friendly_name_filters(self):
        def found(**query):
            page = self.get(BASE + "/IncomingPhoneNumbers.json", **query).json
            return [n["sid"] for n in page["incoming_phone_numbers"]]
        self.assertEqual(found(PhoneNumber=OURS), [self.main["sid"]])
        self.assertEqual(found(PhoneNumber="555*100"), [self.main["sid"]])
        self.assertEqual(found(PhoneNumber="+44"), [self.other["sid"]])
        self.assertEqual(found(PhoneNumber="+19995550000"), [])
        self.assertEqual(found(FriendlyName="London"), [self.other["sid"]])

    def test_update_sets_the_webhooks(self):
        form = {"VoiceUrl": "https://ops.example/voice", "VoiceMethod": "post",
                "VoiceFallbackUrl": "https://ops.example/fallback", "VoiceFallbackMethod": "GET",
                "StatusCallback": "https://ops.example/status", "StatusCallbackMethod": "POST",
                "SmsUrl": "https://ops.example/sms", "Unknown": "ignored"}
        path = f"{BASE}/IncomingPhoneNumbers/{self.main['sid']}.json"
        answer = self.request("POST", path, form)
        self.assertEqual(answer.status, 200, answer.body)
        number = answer.json
        self.assertEqual({k: number[k] for k in ("voice_url", "voice_method",
                                                 "voice_fallback_url", "voice_fallback_method",
                                                 "status_callback", "status_callback_method",
                                                 "sms_url", "phone_number")},
                         {"voice_url": "https://ops.example/voice", "voice_method": "POST",
                          "voice_fallback_url": "https://ops.example/fallback",
                          "voice_fallback_method": "GET",
                          "status_callback": "https://ops.example/status",
                          "status_callback_method": "POST", "sms_url": "https://ops.example/sms",
                          "phone_number": OURS})
        self.assertNotIn("unknown", number)
        self.assertEqual(self.fake.numbers()[0], number)
        cleared = self.request("POST", path, {"VoiceUrl": ""}).json
        self.assertEqual((cleared["voice_url"], cleared["sms_url"]),
                         ("", "https://ops.example/sms"))

    def test_update_refuses_bad_urls_and_methods(self):
        path = f"{BASE}/IncomingPhoneNumbers/{self.main['sid']}.json"
        self.twilio_error(self.request("POST", path, {"VoiceUrl": "ops.example/voice"}), 400,
                          21402, "VoiceUrl is not a valid URL: ops.example/voice")
        self.twilio_error(self.request("POST", path, {"VoiceMethod": "PUT"}), 400, 21403)
        self.assertEqual(self.fake.numbers()[0]["voice_url"], "")

    def test_unknown_numbers_are_20404_and_unknown_fields_refused(self):
        path = f"{BASE}/IncomingPhoneNumbers/PN{'0' * 32}.json"
        self.twilio_error(self.request("POST", path, {"VoiceUrl": "https://x.example/"}), 404,
                          20404)
        self.twilio_error(self.get(path), 404, 20404)
        self.assertRaises(ValueError, self.fake.add_number, "+15125550111", voice_uri="x")


class CallbackTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.receiver = CallbackReceiver()
        self.addCleanup(self.receiver.close)
        self.validator = RequestValidator(AUTH_TOKEN)

    def check_signed(self, url, headers, pairs):
        self.assertEqual(headers["Content-Type"], "application/x-www-form-urlencoded")
        self.assertTrue(self.validator.validate(url, dict(pairs), headers["X-Twilio-Signature"]))
        self.assertFalse(self.validator.validate(url + "x", dict(pairs),
                                                 headers["X-Twilio-Signature"]))
        self.assertFalse(RequestValidator("other-token").validate(
            url, dict(pairs), headers["X-Twilio-Signature"]))

    def test_a_delivered_callback_is_signed_as_twilio_signs(self):
        url = self.receiver.url("/sms/status?call=CA1&leg=2")
        sid = self.sent(StatusCallback=url)["sid"]
        status, _, body = self.fake.send_status_callback(sid, "delivered")
        self.assertEqual((status, body), (200, b"ok"))
        path, headers, pairs = self.receiver.received[0]
        self.assertEqual(path, "/sms/status?call=CA1&leg=2")
        params = dict(pairs)
        self.assertEqual({k: params[k] for k in ("MessageSid", "SmsSid", "MessageStatus",
                                                 "SmsStatus", "To", "From", "AccountSid",
                                                 "ApiVersion")},
                         {"MessageSid": sid, "SmsSid": sid, "MessageStatus": "delivered",
                          "SmsStatus": "delivered", "To": MAYA, "From": OURS,
                          "AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01"})
        self.assertNotIn("ErrorCode", params)
        self.assertRegex(params["RawDlrDoneDate"], r"^\d{10}$")
        self.assertEqual(headers["User-Agent"], "TwilioProxy/1.1")
        self.assertRegex(headers["I-Twilio-Idempotency-Token"], r"^[0-9a-f-]{36}$")
        self.check_signed(url, headers, pairs)
        self.assertEqual(self.fake.message(sid)["status"], "delivered")

    def test_undelivered_and_failed_carry_the_error_code(self):
        sid = self.sent(StatusCallback=self.receiver.url())["sid"]
        self.fake.send_status_callback(sid, "sent")
        self.fake.send_status_callback(sid, "undelivered", error_code=30007)
        statuses = [dict(pairs)["MessageStatus"] for _, _, pairs in self.receiver.received]
        self.assertEqual(statuses, ["sent", "undelivered"])
        self.assertEqual(dict(self.receiver.received[1][2])["ErrorCode"], "30007")
        message = self.get(f"{BASE}/Messages/{sid}.json").json
        self.assertEqual((message["status"], message["error_code"], message["error_message"]),
                         ("undelivered", 30007, "Message filtered"))
        self.fake.send_status_callback(sid, "failed")
        self.assertEqual(dict(self.receiver.received[2][2])["ErrorCode"], "30008")
        for _, headers, pairs in self.receiver.received:
            self.check_signed(self.receiver.url(), headers, pairs)

    def test_extra_parameters_and_another_url_are_signed_too(self):
        service = "MG" + "0b" * 16
        sid = self.sent(From=None, MessagingServiceSid=service, StatusCallback="https://x/")["sid"]
        url = self.receiver.url("/other")
        self.receiver.status = 500
        status, _, _ = self.fake.send_status_callback(
            sid, "sent", url=url, extra={"ChannelPrefix": "sms", "Zeta": "ü é", "Empty": ""})
        self.assertEqual(status, 500)
        _, headers, pairs = self.receiver.received[0]
        params = dict(pairs)
        self.assertEqual((params["Zeta"], params["Empty"], params["MessagingServiceSid"],
                          params["From"]), ("ü é", "", service, ""))
        self.check_signed(url, headers, pairs)

    def test_the_signature_agrees_with_the_official_validator(self):
        cases = [("https://ops.example/sms?x=1&y=%20", {"B": "2", "A": "1", "a": "3"}),
                 ("http://127.0.0.1:8080/", {}), ("https://ops.example/", {"Body": "Ø \U0001F4A9"})]
        for url, params in cases:
            with self.subTest(url=url):
                self.assertEqual(self.fake.signature(url, params),
                                 self.validator.compute_signature(url, params))

    def test_callbacks_need_a_known_message_a_url_and_a_known_status(self):
        sid = self.sent()["sid"]
        self.assertRaises(ValueError, self.fake.send_status_callback, sid, "delivered")
        self.assertRaises(ValueError, self.fake.send_status_callback, sid, "teleported",
                          url=self.receiver.url())
        self.assertRaises(KeyError, self.fake.send_status_callback, "SMnope", "sent",
                          url=self.receiver.url())
        self.assertEqual(self.receiver.received, [])


class FailureTest(FakeTestCase):
    def test_http_429_has_retry_after_and_twilio_20429(self):
        self.fake.fail("http_429", retry_after=7, method="POST")
        answer = self.send()
        self.twilio_error(answer, 429, 20429, "Too Many Requests")
        self.assertEqual(answer.headers["Retry-After"], "7")
        self.assertEqual(self.fake.messages(), [])
        self.assertEqual(self.send().status, 201)

    def test_http_500_creates_nothing(self):
        self.fake.fail("http_500")
        self.twilio_error(self.send(), 500, 20500)
        self.assertEqual(self.fake.messages(), [])

    def test_a_hang_times_the_client_out_and_blocks_no_one_else(self):
        self.fake.hang_seconds = 1
        self.fake.fail("hang", method="POST")
        started = time.monotonic()
        with self.assertRaises(TimeoutError):
            self.send_with_timeout(0.3)
        self.assertLess(time.monotonic() - started, 0.9)
        self.assertEqual(self.get(BASE + "/Messages.json").status, 200)
        time.sleep(1)
        self.assertEqual(self.fake.messages(), [])
        self.assertEqual(self.fake.requests()[0]["status"], None)

    def send_with_timeout(self, timeout):
        return self.request("POST", BASE + "/Messages.json",
                            {"To": MAYA, "From": OURS, "Body": "x"}, timeout=timeout)

    def test_stop_ends_a_hang(self):
        self.fake.fail("hang")
        client = threading.Thread(
            target=lambda: self.assertRaises(DISCONNECTED, self.send_with_timeout, 10))
        client.start()
        time.sleep(0.2)
        started = time.monotonic()
        self.fake.stop()
        client.join(5)
        self.assertLess(time.monotonic() - started, 2)
        self.assertFalse(client.is_alive())

    def test_drop_after_create_creates_and_answers_nothing(self):
        self.fake.fail("drop_after_create", path="*/Messages.json")
        with self.assertRaises(DISCONNECTED):
            self.send(body="kept")
        [message] = self.fake.messages()
        self.assertEqual(message["body"], "kept")
        listed = self.get(BASE + "/Messages.json", To=MAYA).json["messages"]
        self.assertEqual([m["sid"] for m in listed], [message["sid"]])

    def test_error_21211_and_21610_instead_of_creating(self):
        self.fake.fail("error_21211")
        self.twilio_error(self.send(), 400, 21211,
                          f"The 'To' number {MAYA} is not a valid phone number.")
        self.fake.fail("error_21610")
        self.twilio_error(self.send(), 400, 21610)
        self.assertEqual(self.fake.messages(), [])

    def test_malformed_sends_half_the_json_after_creating(self):
        self.fake.fail("malformed")
        answer = self.send()
        self.assertEqual(answer.status, 201)
        self.assertTrue(answer.body.startswith(b'{"account_sid": "AC'))
        self.assertRaises(ValueError, json.loads, answer.body)
        self.assertEqual(len(self.fake.messages()), 1)

    def test_failures_match_method_and_path_and_run_out(self):
        self.fake.fail("http_500", count=2, method="POST", path="*/Messages.json")
        self.assertEqual(self.get(BASE + "/Messages.json").status, 200)
        self.fake.add_number(OURS)
        sid = self.fake.numbers()[0]["sid"]
        path = f"{BASE}/IncomingPhoneNumbers/{sid}.json"
        self.assertEqual(self.request("POST", path, {"SmsUrl": "https://x.example/"}).status, 200)
        self.assertEqual([self.send().status for _ in range(3)], [500, 500, 201])
        self.fake.fail("http_429", path="*/IncomingPhoneNumbers/*")
        self.assertEqual(self.get(path).status, 429)
        self.assertEqual(self.get(path).status, 200)

    def test_unknown_modes_and_counts_are_refused(self):
        self.assertRaises(ValueError, self.fake.fail, "explode")
        self.assertRaises(ValueError, self.fake.fail, "hang", count=0)


class ControlTest(FakeTestCase):
    def control(self, route, payload=None):
        answer = self.request("POST", "/__fake__/" + route, raw=json.dumps(payload or {}),
                              auth=None)
        return answer.status, answer.json

    def test_every_control_endpoint(self):
        receiver = CallbackReceiver()
        self.addCleanup(receiver.close)
        self.assertEqual(self.control("fail", {"mode": "http_429", "retry_after": 3,
                                               "method": "POST", "hang_seconds": 0.5}),
                         (200, {"ok": True}))
        self.assertEqual(self.fake.hang_seconds, 0.5)
        self.assertEqual(self.send().headers["Retry-After"], "3")
        self.assertEqual(self.control("opt_out", {"number": MAYA})[0], 200)
        self.assertEqual(self.send().json["code"], 21610)
        self.assertEqual(self.control("opt_in", {"number": MAYA})[0], 200)
        self.assertEqual(self.control("clock", {"now": "2024-05-01T12:00:00Z"})[0], 200)
        sid = self.sent(StatusCallback=receiver.url())["sid"]
        self.assertEqual(self.fake.message(sid)["date_created"], "Wed, 01 May 2024 12:00:00 +0000")
        status, number = self.control("numbers", {"phone_number": OURS, "sms_url": "https://s/"})
        self.assertEqual((status, number["sms_url"]), (200, "https://s/"))
        self.assertEqual(self.control("status_callback", {"sid": sid, "status": "failed",
                                                          "error_code": 30003}),
                         (200, {"status": 200, "body": "ok"}))
        self.assertEqual(dict(receiver.received[0][2])["ErrorCode"], "30003")
        messages = self.request("GET", "/__fake__/messages", auth=None).json
        self.assertEqual([(m["sid"], m["status"]) for m in messages], [(sid, "failed")])
        self.assertEqual(len(self.request("GET", "/__fake__/requests", auth=None).json), 3)
        self.assertEqual(len(self.request("GET", "/__fake__/numbers", auth=None).json), 1)
        self.assertEqual(self.control("reset")[0], 200)
        self.assertEqual((self.fake.messages(), self.fake.requests(), len(self.fake.numbers())),
                         ([], [], 1))
        self.control("reset", {"numbers": True})
        self.assertEqual(self.fake.numbers(), [])

    def test_bad_control_requests(self):
        self.assertEqual(self.control("fail", {"mode": "explode"})[0], 400)
        self.assertEqual(self.control("opt_out", {})[0], 400)
        self.assertEqual(self.control("status_callback", {"sid": "SMnope", "status": "sent"})[0],
                         400)
        sid = self.sent(StatusCallback="http://127.0.0.1:9/closed")["sid"]
        self.assertEqual(self.control("status_callback", {"sid": sid, "status": "sent"})[0], 502)
        self.assertEqual(self.control("nothing")[0], 404)


class HttpTest(FakeTestCase):
    def test_one_connection_serves_many_requests(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        headers = {"Authorization": basic(ACCOUNT_SID, AUTH_TOKEN),
                   "Content-Type": "application/x-www-form-urlencoded"}
        sockets = set()
        for i in range(3):
            connection.request("POST", BASE + "/Messages.json",
                               f"To=%2B15125550142&From=%2B15125550100&Body=n{i}", headers)
            response = connection.getresponse()
            self.assertEqual(response.status, 201)
            self.assertEqual(int(response.headers["Content-Length"]), len(response.read()))
            sockets.add(id(connection.sock))
        connection.request("GET", BASE + "/Messages.json", headers=headers)
        self.assertEqual(len(json.loads(connection.getresponse().read())["messages"]), 3)
        self.assertEqual(len(sockets), 1)

    def test_expect_100_continue_and_chunked_bodies(self):
        body = b"To=%2B15125550142&From=%2B15125550100&Body=" + b"x" * 1000
        with socket.create_connection(("127.0.0.1", self.fake.port), timeout=5) as sock:
            sock.sendall(b"POST " + BASE.encode() + b"/Messages.json HTTP/1.1\r\nHost: x\r\n"
                         b"Authorization: " + basic(ACCOUNT_SID, AUTH_TOKEN).encode() + b"\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
            self.assertEqual(sock.recv(1024), b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(body)
            reply = b""
            while b'"uri"' not in reply:
                reply += sock.recv(4096)
        self.assertTrue(reply.startswith(b"HTTP/1.1 201 Created\r\n"))
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        connection.request("POST", BASE + "/Messages.json", iter([body[:30], body[30:]]),
                           {"Authorization": basic(ACCOUNT_SID, AUTH_TOKEN),
                            "Content-Type": "application/x-www-form-urlencoded"},
                           encode_chunked=True)
        self.assertEqual(connection.getresponse().status, 201)
        self.assertEqual(len(self.fake.messages()), 2)


class _FakeHttpClient(TwilioHttpClient):
    """python3-twilio's own HTTP client, sent to the fake instead of api.twilio.com."""

    def __init__(self, base_url):
        super().__init__(timeout=5)
        self.session.trust_env = False  # no proxy between the client and loopback
        self.base_url = base_url

    def request(self, method, url, **kwargs):
        url = re.sub(r"^https://api\.twilio\.com", self.base_url, url)
        return super().request(method, url, **kwargs)


class OfficialClientTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.client = Client(API_KEY_SID, API_KEY_SECRET, account_sid=ACCOUNT_SID,
                             http_client=self.http_client())

    def http_client(self):
        client = _FakeHttpClient(self.fake.url)
        self.addCleanup(client.session.close)
        return client

    def test_create_fetch_and_list_across_pages(self):
        created = [self.client.messages.create(to=MAYA, from_=OURS, body=f"n{i} Ø\U0001F4A9",
                                               status_callback="https://ops.example/cb")
                   for i in range(5)]
        self.assertEqual((created[0].status, created[0].num_segments, created[0].error_code),
                         ("queued", "1", None))
        self.assertEqual(created[0].body, "n0 Ø\U0001F4A9")
        self.assertEqual(created[0].date_created.utcoffset(), datetime.timedelta(0))
        fetched = self.client.messages(created[2].sid).fetch()
        self.assertEqual((fetched.sid, fetched.to, fetched.from_), (created[2].sid, MAYA, OURS))
        listed = self.client.messages.list(to=MAYA, page_size=2)
        self.assertEqual([m.sid for m in listed], [m.sid for m in reversed(created)])
        pages = [r["path"] for r in self.fake.requests() if r["method"] == "GET"][1:]
        self.assertEqual(len(pages), 3)
        today = datetime.datetime.now(UTC).date()
        # Queued messages have no date_sent yet: a DateSent filter misses them until they leave.
        self.assertEqual(len(self.client.messages.list(date_sent_after=today)), 0)
        for message in created:
            self.fake.mark_sent(message.sid)
        self.assertEqual(len(self.client.messages.list(date_sent_after=today)), 5)

    def test_errors_become_twilio_rest_exceptions(self):
        with self.assertRaises(TwilioRestException) as caught:
            self.client.messages.create(to="not-a-number", from_=OURS, body="x")
        self.assertEqual((caught.exception.status, caught.exception.code), (400, 21211))
        self.assertIn("is not a valid phone number", caught.exception.msg)
        self.fake.fail("http_429")
        with self.assertRaises(TwilioRestException) as caught:
            self.client.messages.create(to=MAYA, from_=OURS, body="x")
        self.assertEqual((caught.exception.status, caught.exception.code), (429, 20429))
        bad = Client(ACCOUNT_SID, "wrong", http_client=self.http_client())
        with self.assertRaises(TwilioRestException) as caught:
            bad.messages.create(to=MAYA, from_=OURS, body="x")
        self.assertEqual((caught.exception.status, caught.exception.code), (401, 20003))

    def test_numbers_are_found_and_updated(self):
        self.fake.add_number(OURS)
        [number] = self.client.incoming_phone_numbers.list(phone_number=OURS)
        updated = self.client.incoming_phone_numbers(number.sid).update(
            voice_url="https://ops.example/voice", voice_method="POST",
            status_callback="https://ops.example/status", sms_url="https://ops.example/sms")
        self.assertEqual((updated.voice_url, updated.status_callback, updated.sms_url),
                         ("https://ops.example/voice", "https://ops.example/status",
                          "https://ops.example/sms"))
        self.assertEqual(self.client.incoming_phone_numbers(number.sid).fetch().voice_url,
                         "https://ops.example/voice")


class CommandLineTest(unittest.TestCase):
    def test_serves_until_sigterm_and_says_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            port_file = os.path.join(tmp, "port")
            server = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "fake_twilio.py"), "--port", "0",
                 "--port-file", port_file, "--auth-token", "tok", "--api-key", "SKk:sec",
                 "--number", OURS],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 10
            while not os.path.exists(port_file) and time.monotonic() < deadline:
                time.sleep(0.02)
            with open(port_file, encoding="ascii") as f:
                port = int(f.read())
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            answers = []
            for user, secret in ((ACCOUNT_SID, "tok"), ("SKk", "sec"),
                                 (API_KEY_SID, API_KEY_SECRET)):  # the default key is replaced
                connection.request("GET", BASE + "/IncomingPhoneNumbers.json",
                                   headers={"Authorization": basic(user, secret)})
                response = connection.getresponse()
                answers.append((response.status, json.loads(response.read())))
            connection.close()
            self.assertEqual([status for status, _ in answers], [200, 200, 401])
            numbers = answers[0][1]["incoming_phone_numbers"]
            self.assertEqual([n["phone_number"] for n in numbers], [OURS])
            self.assertEqual(answers[2][1]["code"], 20003)
            server.send_signal(signal.SIGTERM)
            out, err = server.communicate(timeout=5)
        self.assertEqual((server.returncode, out, err), (0, b"", b""))


if __name__ == "__main__":
    unittest.main()
