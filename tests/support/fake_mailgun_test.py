#!/usr/bin/python3
"""Self-test of fake_mailgun.py over loopback: sending with multipart and url-encoded bodies,
Mailgun's answers and error shapes, authentication, unknown domains and routes, the US and EU
regions, every failure mode, the control endpoints, HTTP/1.1 keep-alive, Expect: 100-continue and
chunked bodies, and the command line.

    /usr/bin/python3 tests/support/fake_mailgun_test.py [unittest args]
"""
import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from fake_mailgun import API_KEY, DOMAIN, FakeMailgun  # noqa: E402

DISCONNECTED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
PATH = f"/v3/{DOMAIN}/messages"
MESSAGE = [("from", "VoiceOps <calls@mg.example.com>"), ("to", "owner@example.org"),
           ("subject", "Missed call from +15125550142"), ("text", "Maya called at 14:02.")]
QUEUED = "Queued. Thank you."
MISSING_BODY = "Need at least one of 'text', 'html', 'amp-html' or 'template' parameters specified"


def basic(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def multipart(fields, files=()):
    """A multipart/form-data body as libcurl's curl_mime builds it: (content type, bytes)."""
    boundary = "------------------------" + uuid.uuid4().hex[:16]
    out = bytearray()
    for name, value in fields:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                f"{value}\r\n").encode()
    for name, filename, content_type, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\";"
                f" filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


class FakeTestCase(unittest.TestCase):
    fake_options = {}

    def setUp(self):
        self.fake = FakeMailgun(**self.fake_options)
        self.fake.start()
        self.addCleanup(self.fake.stop)

    def post(self, fields=MESSAGE, path=PATH, auth=("api", API_KEY), files=(), form=False,
             host=None, timeout=5):
        """(status, headers, body) of a send."""
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=timeout)
        self.addCleanup(connection.close)
        if form:
            content_type, body = ("application/x-www-form-urlencoded",
                                  urllib.parse.urlencode(fields).encode())
        else:
            content_type, body = multipart(fields, files)
        headers = {"Content-Type": content_type, **({"Host": host} if host else {}),
                   **({"Authorization": basic(*auth)} if auth else {})}
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()

    def queued(self, fields=MESSAGE, **options):
        status, headers, body = self.post(fields, **options)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "application/json")
        answer = json.loads(body)
        self.assertEqual(answer["message"], QUEUED)
        return answer

    def refused(self, status, message, fields=MESSAGE, **options):
        answer = self.post(fields, **options)
        self.assertEqual((answer[0], json.loads(answer[2])), (status, {"message": message}))
        self.assertEqual(answer[1]["Content-Type"], "application/json")


class SendTest(FakeTestCase):
    def test_a_multipart_send_is_queued_and_recorded(self):
        fields = MESSAGE + [("to", "Ann Lee <ann@example.org>, \"Doe, Bo\" <bo@example.org>"),
                            ("cc", "cc@example.org"), ("bcc", "audit@example.org"),
                            ("html", "<p>Maya called.</p>"), ("o:tag", "missed-call"),
                            ("o:tag", "daily"), ("o:tracking", "no"), ("h:X-Call-Id", "CA123"),
                            ("h:Reply-To", "desk@example.org"), ("v:call_id", "CA123")]
        files = [("attachment", "call.txt", "text/plain", b"transcript\n")]
        status, headers, body = self.post(fields, files=files)
        self.assertEqual((status, headers["Content-Type"]), (200, "application/json"))
        self.assertTrue(body.startswith(b'{\n  "id": "<'))  # Mailgun pretty-prints
        answer = json.loads(body)
        self.assertRegex(answer["id"], r"^<\d{14}\.[0-9a-f]{16}@mg\.example\.com>$")
        self.assertEqual(answer["message"], QUEUED)
        [sent] = self.fake.sent()
        self.assertEqual({k: sent[k] for k in ("id", "domain", "region", "from", "to", "cc",
                                               "bcc", "subject", "text", "html", "template",
                                               "tags", "options", "headers", "variables",
                                               "attachments")}, {
            "id": answer["id"], "domain": DOMAIN, "region": "us",
            "from": "VoiceOps <calls@mg.example.com>",
            "to": ["owner@example.org", "Ann Lee <ann@example.org>",
                   '"Doe, Bo" <bo@example.org>'],
            "cc": ["cc@example.org"], "bcc": ["audit@example.org"],
            "subject": "Missed call from +15125550142", "text": "Maya called at 14:02.",
            "html": "<p>Maya called.</p>", "template": None, "tags": ["missed-call", "daily"],
            "options": {"o:tracking": "no"},
            "headers": {"X-Call-Id": "CA123", "Reply-To": "desk@example.org"},
            "variables": {"call_id": "CA123"},
            "attachments": [{"field": "attachment", "filename": "call.txt",
                             "content_type": "text/plain", "size": 11}]})
        self.assertEqual(sent["fields"][:4], [list(pair) for pair in MESSAGE])

    def test_an_urlencoded_send(self):
        answer = self.queued(MESSAGE + [("to", "b@example.org"), ("v:x", "1")], form=True)
        [sent] = self.fake.sent()
        self.assertEqual((sent["id"], sent["to"], sent["variables"]),
                         (answer["id"], ["owner@example.org", "b@example.org"], {"x": "1"}))

    def test_unicode_survives_both_encodings(self):
        fields = [("from", "Zoë <z@mg.example.com>"), ("to", "jörg@example.org"),
                  ("subject", "Rückruf 📞"), ("text", "Ø\r\nline two")]
        for form in (False, True):
            with self.subTest(form=form):
                self.queued(fields, form=form)
                sent = self.fake.sent()[-1]
                self.assertEqual((sent["from"], sent["subject"], sent["text"]),
                                 ("Zoë <z@mg.example.com>", "Rückruf 📞", "Ø\r\nline two"))

    def test_html_amp_or_a_template_is_enough(self):
        for name in ("html", "amp-html", "template"):
            with self.subTest(name=name):
                self.queued(MESSAGE[:3] + [(name, "x")])
        self.assertEqual(len(self.fake.sent()), 3)

    def test_missing_and_invalid_fields_in_mailgun_words(self):
        cases = [(MESSAGE[1:], "'from' parameter is missing"),
                 ([("from", "")] + MESSAGE[1:], "'from' parameter is missing"),
                 ([("from", "calls")] + MESSAGE[1:],
                  "'from' parameter is not a valid address. please check documentation"),
                 (MESSAGE[:1] + MESSAGE[2:], "'to' parameter is missing"),
                 (MESSAGE + [("to", "nobody")],
                  "'to' parameter is not a valid address. please check documentation"),
                 (MESSAGE + [("cc", "x")],
                  "'cc' parameter is not a valid address. please check documentation"),
                 (MESSAGE[:3], MISSING_BODY),
                 (MESSAGE[:3] + [("text", "")], MISSING_BODY),
                 ([], "'from' parameter is missing")]
        for fields, message in cases:
            with self.subTest(message=message, n=len(fields)):
                self.refused(400, message, fields)
        self.assertEqual(self.fake.sent(), [])

    def test_a_body_of_another_type_has_no_fields(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        connection.request("POST", PATH, json.dumps(dict(MESSAGE)),
                           {"Content-Type": "application/json",
                            "Authorization": basic("api", API_KEY)})
        response = connection.getresponse()
        self.assertEqual((response.status, json.loads(response.read())),
                         (400, {"message": "'from' parameter is missing"}))

    def test_requests_are_logged(self):
        self.queued(MESSAGE, form=True)
        self.post(auth=("api", "wrong"))
        log = self.fake.requests()
        self.assertEqual(log[0], {"method": "POST", "path": PATH,
                                  "host": f"127.0.0.1:{self.fake.port}", "user": "api",
                                  "content_type": "application/x-www-form-urlencoded",
                                  "fields": [list(pair) for pair in MESSAGE], "status": 200})
        self.assertEqual((log[1]["status"], log[1]["content_type"][:19]),
                         (401, "multipart/form-data"))

    def test_the_requests_library_sends_to_it(self):
        session = requests.Session()
        session.trust_env = False
        self.addCleanup(session.close)
        response = session.post(self.fake.url + PATH, auth=("api", API_KEY), timeout=5,
                                data=dict(MESSAGE, **{"o:tag": ["a", "b"]}),
                                files=[("attachment", ("a.pdf", b"%PDF-1.4", "application/pdf")),
                                       ("inline", ("logo.png", b"\x89PNG\r\n", "image/png"))])
        self.assertEqual((response.status_code, response.json()["message"]), (200, QUEUED))
        [sent] = self.fake.sent()
        self.assertEqual(sent["tags"], ["a", "b"])
        self.assertEqual([(a["field"], a["filename"], a["content_type"], a["size"])
                          for a in sent["attachments"]],
                         [("attachment", "a.pdf", "application/pdf", 8),
                          ("inline", "logo.png", "image/png", 6)])


class AuthAndRoutesTest(FakeTestCase):
    def test_a_bad_or_missing_key_is_401_forbidden_in_plain_text(self):
        for auth in (None, ("api", "key-wrong"), ("API", API_KEY), ("user", API_KEY)):
            with self.subTest(auth=auth):
                status, headers, body = self.post(auth=auth)
                self.assertEqual((status, body), (401, b"Forbidden"))
                self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        self.assertEqual(self.fake.sent(), [])

    def test_an_unknown_domain_is_404_domain_not_found(self):
        self.refused(404, "Domain not found: other.example.com",
                     path="/v3/other.example.com/messages")

    def test_other_routes_are_bare_html_404(self):
        for path in ("/v3/messages", f"/v2/{DOMAIN}/messages", f"/v3/{DOMAIN}/events",
                     f"/v3/{DOMAIN}/messages/extra"):
            with self.subTest(path=path):
                status, headers, body = self.post(path=path)
                self.assertEqual(status, 404)
                self.assertTrue(headers["Content-Type"].startswith("text/html"))
                self.assertIn(b"<title>404 Not Found</title>", body)
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        connection.request("GET", PATH, headers={"Authorization": basic("api", API_KEY)})
        self.assertEqual(connection.getresponse().status, 405)


class RegionTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.fake.add_domain("mg.example.eu", "eu")

    def test_each_domain_answers_only_in_its_region(self):
        eu_path = "/v3/mg.example.eu/messages"
        self.queued(path=eu_path, host="api.eu.mailgun.net")
        self.refused(404, "Domain not found: mg.example.eu", path=eu_path, host="api.mailgun.net")
        self.refused(404, "Domain not found: mg.example.eu", path=eu_path)  # loopback: US
        self.queued(host="api.mailgun.net:443")
        self.refused(404, f"Domain not found: {DOMAIN}", host="API.EU.MAILGUN.NET")
        self.assertEqual([s["region"] for s in self.fake.sent()], ["eu", "us"])

    def test_an_eu_fake_takes_loopback_requests_as_eu(self):
        with FakeMailgun(region="eu") as eu:
            connection = http.client.HTTPConnection("127.0.0.1", eu.port, timeout=5)
            content_type, body = multipart(MESSAGE)
            connection.request("POST", PATH, body, {"Content-Type": content_type,
                                                    "Authorization": basic("api", API_KEY)})
            self.assertEqual(connection.getresponse().status, 200)
            connection.close()
            self.assertEqual(eu.sent()[0]["region"], "eu")
        self.assertRaises(ValueError, FakeMailgun, region="ap")
        self.assertRaises(ValueError, self.fake.add_domain, "x.example", "mars")


class FailureTest(FakeTestCase):
    def test_http_429_has_retry_after(self):
        self.fake.fail("http_429", retry_after=12)
        status, headers, body = self.post()
        self.assertEqual((status, headers["Retry-After"]), (429, "12"))
        self.assertIn("message", json.loads(body))
        self.assertEqual(self.fake.sent(), [])
        self.queued()

    def test_http_420_is_the_sending_limit(self):
        self.fake.fail("http_420")
        status, _, body = self.post()
        self.assertEqual(status, 420)
        self.assertRegex(json.loads(body)["message"], r"^Domain is not allowed to send: recipient"
                                                      r" limit exceeded, try again after .+ UTC$")

    def test_http_500_sends_nothing(self):
        self.fake.fail("http_500", count=2)
        self.assertEqual([self.post()[0] for _ in range(3)], [500, 500, 200])
        self.assertEqual(len(self.fake.sent()), 1)

    def test_a_hang_times_the_client_out_and_blocks_no_one_else(self):
        self.fake.hang_seconds = 1
        self.fake.fail("hang")
        started = time.monotonic()
        with self.assertRaises(TimeoutError):
            self.post(timeout=0.3)
        self.assertLess(time.monotonic() - started, 0.9)
        self.queued(timeout=0.5)
        time.sleep(1)
        self.assertEqual(len(self.fake.sent()), 1)

    def test_stop_ends_a_hang(self):
        self.fake.fail("hang")
        client = threading.Thread(target=lambda: self.assertRaises(DISCONNECTED, self.post,
                                                                   timeout=10))
        client.start()
        time.sleep(0.2)
        started = time.monotonic()
        self.fake.stop()
        client.join(5)
        self.assertLess(time.monotonic() - started, 2)
        self.assertFalse(client.is_alive())

    def test_drop_after_accept_sends_and_answers_nothing(self):
        self.fake.fail("drop_after_accept")
        with self.assertRaises(DISCONNECTED):
            self.post()
        self.assertEqual(len(self.fake.sent()), 1)
        self.assertEqual(self.fake.requests()[0]["status"], None)

    def test_malformed_sends_half_the_json(self):
        self.fake.fail("malformed")
        status, _, body = self.post()
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b'{\n  "id": "<'))
        self.assertRaises(ValueError, json.loads, body)
        self.assertEqual(len(self.fake.sent()), 1)

    def test_failures_apply_in_order_and_unknown_modes_are_refused(self):
        self.fake.fail("http_500")
        self.fake.fail("http_429")
        self.assertEqual([self.post()[0] for _ in range(3)], [500, 429, 200])
        self.assertRaises(ValueError, self.fake.fail, "explode")
        self.assertRaises(ValueError, self.fake.fail, "hang", count=0)


class ControlTest(FakeTestCase):
    def control(self, method, route, payload=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        connection.request(method, "/__fake__/" + route,
                           json.dumps(payload) if payload is not None else None)
        response = connection.getresponse()
        return response.status, json.loads(response.read())

    def test_every_control_endpoint(self):
        self.assertEqual(self.control("POST", "fail", {"mode": "http_429", "retry_after": 4,
                                                       "count": 1, "hang_seconds": 0.5}),
                         (200, {"ok": True}))
        self.assertEqual(self.fake.hang_seconds, 0.5)
        self.assertEqual(self.post()[1]["Retry-After"], "4")
        self.assertEqual(self.control("POST", "domains", {"domain": "mg.example.eu",
                                                          "region": "eu"})[0], 200)
        self.queued(path="/v3/mg.example.eu/messages", host="api.eu.mailgun.net")
        status, sent = self.control("GET", "sent")
        self.assertEqual((status, [s["domain"] for s in sent]), (200, ["mg.example.eu"]))
        status, log = self.control("GET", "requests")
        self.assertEqual((status, [r["status"] for r in log]), (200, [429, 200]))
        self.assertEqual(self.control("POST", "reset"), (200, {"ok": True}))
        self.assertEqual((self.fake.sent(), self.fake.requests()), ([], []))

    def test_bad_control_requests(self):
        self.assertEqual(self.control("POST", "fail", {"mode": "explode"})[0], 400)
        self.assertEqual(self.control("POST", "domains", {})[0], 400)
        self.assertEqual(self.control("POST", "nothing")[0], 404)
        self.assertEqual(self.control("GET", "fail")[0], 404)


class HttpTest(FakeTestCase):
    def test_one_connection_serves_many_requests(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        content_type, body = multipart(MESSAGE)
        sockets = set()
        for _ in range(3):
            connection.request("POST", PATH, body, {"Content-Type": content_type,
                                                    "Authorization": basic("api", API_KEY)})
            response = connection.getresponse()
            self.assertEqual(int(response.headers["Content-Length"]), len(response.read()))
            sockets.add(id(connection.sock))
        self.assertEqual((len(sockets), len(self.fake.sent())), (1, 3))

    def test_expect_100_continue_and_chunked_bodies(self):
        content_type, body = multipart(MESSAGE + [("html", "<p>" + "x" * 5000 + "</p>")])
        with socket.create_connection(("127.0.0.1", self.fake.port), timeout=5) as sock:
            sock.sendall(f"POST {PATH} HTTP/1.1\r\nHost: api.mailgun.net\r\nContent-Type:"
                         f" {content_type}\r\nAuthorization: {basic('api', API_KEY)}\r\n"
                         f"Expect: 100-continue\r\nContent-Length: {len(body)}\r\n\r\n".encode())
            self.assertEqual(sock.recv(1024), b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(body)
            reply = b""
            while QUEUED.encode() not in reply:
                reply += sock.recv(4096)
        self.assertTrue(reply.startswith(b"HTTP/1.1 200 OK\r\n"))
        connection = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        self.addCleanup(connection.close)
        connection.request("POST", PATH, iter([body[:100], body[100:]]),
                           {"Content-Type": content_type, "Authorization": basic("api", API_KEY)},
                           encode_chunked=True)
        self.assertEqual(connection.getresponse().status, 200)
        self.assertEqual([len(s["html"]) for s in self.fake.sent()], [5007, 5007])


class CommandLineTest(unittest.TestCase):
    def test_serves_until_sigterm_and_says_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            port_file = os.path.join(tmp, "port")
            server = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "fake_mailgun.py"), "--port", "0",
                 "--port-file", port_file, "--api-key", "k", "--region", "eu",
                 "--domain", "mg.example.eu", "--domain", "mg.example.com:us"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 10
            while not os.path.exists(port_file) and time.monotonic() < deadline:
                time.sleep(0.02)
            with open(port_file, encoding="ascii") as f:
                port = int(f.read())
            answers = []
            for domain, host in (("mg.example.eu", None), ("mg.example.com", None),
                                 ("mg.example.com", "api.mailgun.net")):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                content_type, body = multipart(MESSAGE)
                connection.request("POST", f"/v3/{domain}/messages", body,
                                   {"Content-Type": content_type,
                                    "Authorization": basic("api", "k"),
                                    **({"Host": host} if host else {})})
                answers.append(connection.getresponse().status)
                connection.close()
            self.assertEqual(answers, [200, 404, 200])
            server.send_signal(signal.SIGTERM)
            out, err = server.communicate(timeout=5)
        self.assertEqual((server.returncode, out, err), (0, b"", b""))


if __name__ == "__main__":
    unittest.main()
