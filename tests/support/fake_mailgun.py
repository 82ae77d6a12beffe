#!/usr/bin/python3
"""A fake of Mailgun's sending API for integration tests: loopback only, in memory, with failures
on demand.  Standard library only.

It answers ``POST /v3/{domain}/messages`` as Mailgun documents and answers it, at whatever base
URL the client is given (``https://api.mailgun.net`` or ``https://api.eu.mailgun.net`` alike):

* The body is multipart/form-data or application/x-www-form-urlencoded: from, to (repeatable and
  comma-separated), cc, bcc, subject, text, html, amp-html, template, ``o:`` options (o:tag
  repeatable), ``h:X-...`` headers, ``v:`` variables, attachment and inline files.
* HTTP basic auth ``api:<key>``; anything else is 401 with the plain-text body ``Forbidden``.
* 200 ``{"id": "<YYYYmmddHHMMSS.<hex>@<domain>>", "message": "Queued. Thank you."}``.
* 400 ``{"message": ...}`` in Mailgun's words: "'from' parameter is missing", "'to' parameter is
  missing", "'from' (or 'to') parameter is not a valid address. please check documentation",
  "Need at least one of 'text', 'html', 'amp-html' or 'template' parameters specified".
* 404 ``{"message": "Domain not found: <domain>"}`` for a domain the fake does not hold, or holds
  in the other region (Mailgun's US and EU regions hold different domains; a request is in the EU
  when its Host is api.eu.mailgun.net, in the fake's ``region`` otherwise).  Any other route is
  Mailgun's bare HTML 404.

Failures are queued with ``fail(mode, count)`` or ``POST /__fake__/fail``: http_429 answers 429
with ``Retry-After: <retry_after>``; http_420 answers Mailgun's sending-limit 420; http_500 a
server error; hang answers nothing for ``hang_seconds`` and closes, nothing sent; drop_after_accept
accepts the message (it is in ``sent()``) and closes the connection unanswered; malformed accepts
it and sends half the JSON.  Failures apply before authentication.

Tests read ``sent()`` (the accepted messages, fields parsed) and ``requests()``, add domains with
``add_domain(domain, region)``, ``reset()``.  The same from a shell: ``POST /__fake__/`` fail,
domains, reset; ``GET /__fake__/`` sent, requests.

Guessed, not documented: the order of the checks (route, auth, domain, fields); the JSON of 429
and 500 (Mailgun's sending limits answer 420, faked as http_420); that a missing subject is
accepted; that an address is valid when it has an "@"; the 405 for another verb on the route.

    fake_mailgun.py --port 0 --port-file F [--api-key K --domain D[:eu] ... --region us|eu]
"""
import argparse
import base64
import collections
import dataclasses
import datetime
import email.parser
import email.policy
import email.utils
import hmac
import json
import os
import re
import sys
import threading
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_http import LoopbackFake, serve_until_signal  # noqa: E402

API_KEY = "key-test-0123456789abcdef"
DOMAIN = "mg.example.com"
HOSTS = {"api.mailgun.net": "us", "api.eu.mailgun.net": "eu"}
MODES = ("http_429", "http_420", "http_500", "hang", "drop_after_accept", "malformed")
NOT_FOUND_HTML = (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found'
                  b"</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the"
                  b" server.</p><p>If you entered the URL manually please check your spelling and"
                  b" try again.</p>\n")

Reply = collections.namedtuple("Reply", "status content_type body headers action",
                               defaults=((), None))
HANG = Reply(0, "", b"", (), "hang")
DROP = Reply(0, "", b"", (), "drop")
FORBIDDEN = Reply(401, "text/plain; charset=utf-8", b"Forbidden")


def _json_reply(status, data, headers=()):
    return Reply(status, "application/json", json.dumps(data, indent=2).encode() + b"\n",
                 tuple(headers))


def _message(status, text, headers=()):
    return _json_reply(status, {"message": text}, headers)


def parse_fields(content_type, body):
    """(name, value) pairs of a form body; a file part's value is {filename, content_type, size}."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    if not content_type.startswith("multipart/form-data"):
        return []
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields = []
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            fields.append((name, {"filename": part.get_filename(),
                                  "content_type": part.get_content_type(), "size": len(payload)}))
        else:
            fields.append((name, payload.decode(part.get_content_charset() or "utf-8", "replace")))
    return fields


def _addresses(values):
    """Addresses of repeated, comma-separated recipient fields: 'Ann <a@x>, b@x' -> two."""
    return [text.strip() for value in values
            for text in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", value) if text.strip()]


def _valid(address):
    return "@" in email.utils.parseaddr(address)[1]


@dataclasses.dataclass
class _Failure:
    mode: str
    count: int
    retry_after: int = 1


class FakeMailgun(LoopbackFake):
    """The fake server: start() it, give the client its url as Mailgun's base URL, queue failures
    with fail(), read what was sent with sent()."""
    name = "fake-mailgun"
    server_header = "nginx"
    max_body = 64 * 1024 * 1024

    def __init__(self, api_key=API_KEY, domains=(DOMAIN,), region="us", host="127.0.0.1",
                 port=0):
        super().__init__(host, port)
        if region not in ("us", "eu"):
            raise ValueError(f"unknown region {region!r}; the regions are us and eu")
        self.api_key, self.region = api_key, region
        self._domains = {domain: region for domain in domains}
        self._lock = threading.Lock()  # around the domains, failures, messages and request log
        self._failures, self._sent, self._log = [], [], []


    def fail(self, mode, count=1, retry_after=1):
        """Queues `count` failures of `mode` for the next sends."""
        if mode not in MODES:
            raise ValueError(f"unknown failure mode {mode!r}; the modes are {', '.join(MODES)}")
        if count < 1:
            raise ValueError("a failure is queued for at least one request")
        with self._lock:
            self._failures.append(_Failure(mode, count, int(retry_after)))

    def add_domain(self, domain, region=None):
        region = region or self.region
        if region not in ("us", "eu"):
            raise ValueError(f"unknown region {region!r}; the regions are us and eu")
        with self._lock:
            self._domains[domain] = region

    def sent(self):
        """The accepted messages: {id, domain, region, from, to, cc, bcc, subject, text, html,
        template, tags, options, headers, variables, attachments, fields}."""
        with self._lock:
            return json.loads(json.dumps(self._sent))

    def requests(self):
        """The API requests so far: {method, path, host, user, content_type, fields, status}."""
        with self._lock:
            return json.loads(json.dumps(self._log))

    def reset(self):
        """Forgets failures, requests and sent messages."""
        with self._lock:
            self._failures.clear()
            self._sent.clear()
            self._log.clear()

    # Serving

    def _handle(self, command, target, headers, body):
        """The reply to one HTTP request."""
        path = urllib.parse.urlsplit(target).path
        if path.startswith("/__fake__/"):
            return self._control(command, path[len("/__fake__/"):], body)
        content_type = headers.get("Content-Type", "")
        try:
            fields = parse_fields(content_type, body)
        except (ValueError, LookupError):
            fields = []
        entry = {"method": command, "path": path, "host": headers.get("Host"),
                 "user": self._credentials(headers)[0], "content_type": content_type,
                 "fields": fields, "status": None}
        with self._lock:
            self._log.append(entry)
            failure = self._take_failure()
        reply = self._fail_instead(failure)
        if reply is None:
            with self._lock:
                reply = self._serve(command, path, headers, fields)
            if failure and failure.mode == "drop_after_accept":
                reply = DROP
            elif failure and failure.mode == "malformed":
                reply = reply._replace(body=reply.body[:len(reply.body) // 2])
        with self._lock:
            entry["status"] = reply.status or None
        return reply

    def _fail_instead(self, failure):
        mode = failure.mode if failure else None
        if mode == "hang":
            return HANG
        if mode == "http_429":
            return _message(429, "Too many requests",
                            (("Retry-After", str(failure.retry_after)),))
        if mode == "http_420":
            until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
            return _message(420, "Domain is not allowed to send: recipient limit exceeded, try"
                                 f" again after {until:%a, %d %b %Y %H:%M:%S} UTC")
        if mode == "http_500":
            return _message(500, "Internal Server Error")
        return None

    def _serve(self, command, path, headers, fields):
        route = re.fullmatch(r"/v3/([^/]+)/messages", path)
        if not route:
            return Reply(404, "text/html; charset=utf-8", NOT_FOUND_HTML)
        if command != "POST":
            return Reply(405, "text/html; charset=utf-8", b"Method Not Allowed")
        user, key = self._credentials(headers)
        if user != "api" or not hmac.compare_digest(key.encode(), self.api_key.encode()):
            return FORBIDDEN
        domain = urllib.parse.unquote(route.group(1))
        host = (headers.get("Host") or "").split(":")[0].lower()
        if self._domains.get(domain) != HOSTS.get(host, self.region):
            return _message(404, f"Domain not found: {domain}")
        values = collections.defaultdict(list)
        for name, value in fields:
            values[name].append(value)
        text = {name: (values[name] or [None])[-1] for name in
                ("from", "subject", "text", "html", "amp-html", "template")}
        recipients = {name: _addresses(v for v in values[name] if isinstance(v, str))
                      for name in ("to", "cc", "bcc")}
        if not text["from"]:
            return _message(400, "'from' parameter is missing")
        if not _valid(text["from"]):
            return _message(400, "'from' parameter is not a valid address. please check"
                                 " documentation")
        if not recipients["to"]:
            return _message(400, "'to' parameter is missing")
        for name in ("to", "cc", "bcc"):
            if not all(_valid(address) for address in recipients[name]):
                return _message(400, f"'{name}' parameter is not a valid address. please check"
                                     " documentation")
        if not any(text[name] for name in ("text", "html", "amp-html", "template")):
            return _message(400, "Need at least one of 'text', 'html', 'amp-html' or 'template'"
                                 " parameters specified")
        now = datetime.datetime.now(datetime.timezone.utc)
        message_id = f"<{now:%Y%m%d%H%M%S}.{uuid.uuid4().hex[:16]}@{domain}>"
        self._sent.append({
            "id": message_id, "domain": domain, "region": self._domains[domain], **text,
            **recipients, "tags": values["o:tag"],
            "options": {n: v[-1] for n, v in values.items() if n.startswith("o:") and n != "o:tag"},
            "headers": {n[2:]: v[-1] for n, v in values.items() if n.startswith("h:")},
            "variables": {n[2:]: v[-1] for n, v in values.items() if n.startswith("v:")},
            "attachments": [dict(v, field=n) for n, v in fields if isinstance(v, dict)],
            "fields": fields})
        return _json_reply(200, {"id": message_id, "message": "Queued. Thank you."})

    @staticmethod
    def _credentials(headers):
        """(user, key) of HTTP basic auth, or (None, "")."""
        scheme, _, value = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return None, ""
        try:
            user, _, key = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except ValueError:
            return None, ""
        return user, key

    def _take_failure(self):
        failure = self._failures[0] if self._failures else None
        if failure is not None:
            failure.count -= 1
            if failure.count == 0:
                self._failures.pop(0)
        return failure

    # Control endpoints

    def _control(self, command, route, body):
        """/__fake__/...: drives this fake from a shell script or another process."""
        actions = {"fail": self._control_fail,
                   "domains": lambda p: self.add_domain(p["domain"], p.get("region")),
                   "reset": lambda p: self.reset()}
        try:
            payload = json.loads(body) if body else {}
            if command == "GET" and route in ("sent", "requests"):
                return _json_reply(200, self.sent() if route == "sent" else self.requests())
            if command != "POST" or route not in actions:
                return _json_reply(404, {"error": f"no endpoint {command} /__fake__/{route}"})
            actions[route](payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return _json_reply(400, {"error": str(exc)})
        return _json_reply(200, {"ok": True})

    def _control_fail(self, payload):
        if "hang_seconds" in payload:
            self.hang_seconds = float(payload["hang_seconds"])
        self.fail(payload["mode"], int(payload.get("count", 1)),
                  int(payload.get("retry_after", 1)))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serves a fake Mailgun until SIGTERM or SIGINT.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 for any free port")
    parser.add_argument("--port-file", help="where to write the port once listening")
    parser.add_argument("--api-key", default=API_KEY)
    parser.add_argument("--region", choices=("us", "eu"), default="us",
                        help="the region of requests whose Host names no Mailgun API host")
    parser.add_argument("--domain", action="append", metavar="DOMAIN[:us|:eu]",
                        help=f"a sending domain (repeatable; default {DOMAIN})")
    args = parser.parse_args(argv)
    fake = FakeMailgun(args.api_key, (), args.region, args.host, args.port)
    for spec in args.domain or [DOMAIN]:
        domain, _, region = spec.partition(":")
        fake.add_domain(domain, region or None)
    serve_until_signal(fake, args.port_file)


if __name__ == "__main__":
    main()
