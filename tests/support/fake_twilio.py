#!/usr/bin/python3
"""A fake of Twilio's REST API for integration tests: loopback only, in memory, with failures on
demand.  Standard library only.

It answers the 2010-04-01 API the way Twilio and its official libraries (twilio-python 7, whose
generated tests carry Twilio's own example payloads) show it:

* ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (form-encoded To, From or
  MessagingServiceSid, Body, StatusCallback...): 201 and the Message resource (sid ``SM`` + 32
  hex, status ``queued``, or ``accepted`` with ``from`` null through a Messaging Service;
  num_segments and num_media as strings, GSM-7 or UCS-2 segments; dates in RFC 2822 "+0000";
  price and error_code null).  Errors in Twilio's JSON ``{code, message, more_info, status}``:
  21604 To missing, 21603 From missing, 21602 Body missing, 21211 invalid To, 21617 body over
  1600 characters, 21610 recipient opted out (see ``opt_out``).
* ``GET .../Messages.json`` (To, From, DateSent, ``DateSent<``, ``DateSent>``, PageSize, Page,
  PageToken), newest first, in Twilio's list envelope: messages, start, end, page, page_size,
  uri, first_page_uri, next_page_uri, previous_page_uri (tokens ``PA``/``PB`` + a sid).
* ``GET .../Messages/{Sid}.json``; ``GET .../IncomingPhoneNumbers.json`` (PhoneNumber with ``*``
  wildcards, FriendlyName; envelope key ``incoming_phone_numbers``); ``GET`` and ``POST
  .../IncomingPhoneNumbers/{Sid}.json`` (VoiceUrl, VoiceMethod, VoiceFallbackUrl,
  VoiceFallbackMethod, StatusCallback, StatusCallbackMethod, SmsUrl, SmsMethod, SmsFallbackUrl,
  SmsFallbackMethod, FriendlyName).  Numbers are seeded with ``add_number``.
* HTTP basic auth as the account (AccountSid:AuthToken) or an API key (SK...:secret): none is 401
  20003 "Authentication Error - No credentials provided", a wrong pair 401 20003 "Authenticate";
  an unknown route or sid is 404 20404 "The requested resource /... was not found", a known route
  with another verb 405 20004.
* ``send_status_callback(sid, status, error_code)`` POSTs a delivery status callback (MessageSid,
  SmsSid, MessageStatus, SmsStatus, To, From, AccountSid, ApiVersion, ErrorCode when failed or
  undelivered, RawDlrDoneDate when delivered, and any ``extra``) to the message's StatusCallback,
  form-encoded and signed with ``X-Twilio-Signature`` = base64(HMAC-SHA1(auth token, URL +
  name+value of each parameter sorted by name)), and updates the message's status.

Failures are queued with ``fail(mode, count, method, path)`` or ``POST /__fake__/fail`` (method
an HTTP verb, path an fnmatch pattern on the request path; None matches all): http_429 answers
20429 with ``Retry-After: <retry_after>``; http_500 answers 20500; hang answers nothing for
``hang_seconds`` and closes, nothing done; drop_after_create does the request (creates the
message) and closes the connection unanswered; error_21211 and error_21610 answer those errors
instead; malformed does the request and sends half the JSON.  Failures apply before
authentication.

Tests read ``messages()``, ``message(sid)``, ``numbers()``, ``requests()`` (method, path, query,
form, user, status of each API request) and ``status_callback_url(sid)``; ``mark_sent(sid)`` (the message left); ``opt_out``/``opt_in``
a number, ``set_now`` the clock that dates messages, ``reset()``.  The same from a shell: ``POST
/__fake__/`` fail, opt_out, opt_in, numbers, status_callback, clock, reset; ``GET /__fake__/``
messages, numbers, requests.  JSON goes out with non-ASCII as \\u escapes, as Twilio's does.

Guessed, not documented: the order of the validations; 21211's wording (the long-standing "The
'To' number X is not a valid phone number."; newer answers may say "Invalid 'To' Phone Number");
20500's wording and 20429's body; the WWW-Authenticate header; that a path naming another account
is 404; the codes for bad numbers-update values (21402 "<Param> is not a valid URL: <value>" is
seen for VoiceUrl only; 21403 for a method not GET/POST); 20001 for a bad PageSize, date or
PageToken; that Page without PageToken means offset Page*PageSize, that PageSize is clamped to
1..1000 and that ``DateSent<``/``DateSent>`` include the day or instant named; that ``date_sent``
stays null until a status callback moves the message to sent or later (so a DateSent filter
misses a message still queued; the list is newest created first); the ``error_message``
texts (Twilio's error titles); the ``From`` of a callback for a message sent through a Messaging
Service (empty: the fake assigns no sender).

    fake_twilio.py --port 0 --port-file F [--account-sid AC... --auth-token T --api-key SK...:S
                   --number +1...]
"""
import argparse
import base64
import collections
import dataclasses
import datetime
import email.utils
import fnmatch
import hashlib
import hmac
import http.client
import json
import math
import os
import re
import sys
import threading
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fake_http import LoopbackFake, serve_until_signal  # noqa: E402

API_VERSION = "2010-04-01"
ACCOUNT_SID = "AC" + "c0ffee00" * 4
AUTH_TOKEN = "f00dfeed" * 4
API_KEY_SID = "SK" + "5ca1ab1e" * 4
API_KEY_SECRET = "TestApiKeySecret0123456789abcdef"
MODES = ("http_429", "http_500", "hang", "drop_after_create", "error_21211", "error_21610",
         "malformed")
CALLBACK_STATUSES = ("sent", "delivered", "undelivered", "failed")
DELIVERY_ERRORS = {30001: "Queue overflow", 30002: "Account suspended",
                   30003: "Unreachable destination handset", 30004: "Message blocked",
                   30005: "Unknown destination handset", 30006: "Landline or unreachable carrier",
                   30007: "Message filtered", 30008: "Unknown error"}
E164 = re.compile(r"\+[1-9]\d{6,14}")
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€\f")
NUMBER_PARAMS = {"VoiceUrl": "voice_url", "VoiceMethod": "voice_method",
                 "VoiceFallbackUrl": "voice_fallback_url",
                 "VoiceFallbackMethod": "voice_fallback_method",
                 "StatusCallback": "status_callback",
                 "StatusCallbackMethod": "status_callback_method",
                 "SmsUrl": "sms_url", "SmsMethod": "sms_method",
                 "SmsFallbackUrl": "sms_fallback_url", "SmsFallbackMethod": "sms_fallback_method",
                 "FriendlyName": "friendly_name"}

Reply = collections.namedtuple("Reply", "status body headers action", defaults=((), None))
HANG = Reply(0, b"", (), "hang")
DROP = Reply(0, b"", (), "drop")


class TwilioError(Exception):
    """An error answered in Twilio's JSON: status, code, message."""

    def __init__(self, status, code, message, headers=(), detail=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers, self.detail = headers, detail

    def reply(self):
        error = {"code": self.code}
        if self.detail:
            error["detail"] = self.detail
        error.update({"message": self.message,
                      "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
                      "status": self.status})
        return _json_reply(self.status, error, self.headers)


def _json_reply(status, data, headers=()):
    """JSON with non-ASCII characters as \\u escapes (surrogate pairs beyond the BMP), as Twilio
    sends it."""
    return Reply(status, json.dumps(data).encode(), tuple(headers))


def _not_found(path):
    return TwilioError(404, 20404, f"The requested resource {path} was not found")


def _bad_parameter(name, value):
    return TwilioError(400, 20001, f"Invalid {name}: {value}")


def rfc2822(moment):
    """Twilio's date format: 'Thu, 30 Jul 2015 20:12:31 +0000'."""
    return email.utils.format_datetime(moment.astimezone(datetime.timezone.utc))


def num_segments(body):
    """SMS segments of `body`: GSM-7 160/153 septets (extension characters count two), else UCS-2
    70/67 UTF-16 units."""
    if set(body) <= GSM7 | GSM7_EXTENDED:
        units, single, multi = sum(2 if c in GSM7_EXTENDED else 1 for c in body), 160, 153
    else:
        units, single, multi = len(body.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else math.ceil(units / multi)


def signature(auth_token, url, params):
    """X-Twilio-Signature of a request to `url` with POST `params` (a dict or (name, value)
    pairs): base64 HMAC-SHA1 of the URL followed by each name and value, sorted by name."""
    pairs = sorted(params.items() if isinstance(params, dict) else params)
    data = url + "".join(name + value for name, value in pairs)
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _flat(pairs):
    """{name: value} of form or query pairs; a repeated name gets the list of its values."""
    flat = {}
    for name, value in pairs:
        if name in flat:
            flat[name] = (flat[name] if isinstance(flat[name], list) else [flat[name]]) + [value]
        else:
            flat[name] = value
    return flat


def _one(params, name, default=""):
    value = params.get(name, default)
    return value[-1] if isinstance(value, list) else value


def _date_filter(name, text):
    """('day', date) or ('time', aware datetime) of a DateSent filter value."""
    try:
        return "day", datetime.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _bad_parameter(name, text) from None
    return "time", moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _date_test(name, text):
    kind, limit = _date_filter(name, text)
    compare = {"DateSent": lambda a, b: a == b, "DateSent<": lambda a, b: a <= b,
               "DateSent>": lambda a, b: a >= b}[name]

    def test(row):
        sent = row["_sent"]
        return sent is not None and compare(sent.date() if kind == "day" else sent, limit)
    return test


def _like_number(pattern):
    """PhoneNumber filter: the digits (``*`` any digit) anywhere in the number."""
    regex = "".join(r"\d" if c == "*" else re.escape(c) for c in pattern.lstrip("+"))
    return lambda row: re.search(regex, row["phone_number"]) is not None


def _valid_url(value):
    parts = urllib.parse.urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclasses.dataclass
class _Failure:
    mode: str
    count: int
    method: str | None = None
    path: str | None = None
    retry_after: int = 1

    def matches(self, method, path):
        return (self.method in (None, method)
                and (self.path is None or fnmatch.fnmatchcase(path, self.path)))


class FakeTwilio(LoopbackFake):
    """The fake server: start() it, point the client's base URL at its url, queue failures with
    fail(), seed numbers with add_number(), deliver callbacks with send_status_callback()."""
    name = "fake-twilio"
    server_header = "nginx"
    max_body = 16 * 1024 * 1024

    def reply_headers(self):
        return (("Twilio-Request-Id", "RQ" + uuid.uuid4().hex),)

    def __init__(self, account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, api_keys=None,
                 host="127.0.0.1", port=0):
        super().__init__(host, port)
        self.account_sid, self.auth_token = account_sid, auth_token
        self.api_keys = dict({API_KEY_SID: API_KEY_SECRET} if api_keys is None else api_keys)
        self._lock = threading.Lock()  # around everything below
        self._messages, self._callbacks, self._numbers = {}, {}, {}
        self._opted_out, self._failures, self._log = set(), [], []
        self._now, self._sequence = None, 0


    # What tests call

    def fail(self, mode, count=1, method=None, path=None, retry_after=1):
        """Queues `count` failures of `mode` for requests with HTTP `method` whose path matches
        the fnmatch pattern `path` (None: any)."""
        if mode not in MODES:
            raise ValueError(f"unknown failure mode {mode!r}; the modes are {', '.join(MODES)}")
        if count < 1:
            raise ValueError("a failure is queued for at least one request")
        with self._lock:
            self._failures.append(_Failure(mode, count, method, path, int(retry_after)))

    def opt_out(self, number):
        """`number` has replied STOP: creating a message to it answers 21610 until opt_in."""
        with self._lock:
            self._opted_out.add(number)

    def opt_in(self, number):
        with self._lock:
            self._opted_out.discard(number)

    def set_now(self, moment=None):
        """Fixes the clock that dates new messages (an aware datetime); None: the real time."""
        with self._lock:
            self._now = moment

    def add_number(self, phone_number, friendly_name=None, **fields):
        """Seeds an IncomingPhoneNumber (fields by their JSON names) and returns it."""
        now = rfc2822(self._clock())
        sid = "PN" + uuid.uuid4().hex
        national = re.fullmatch(r"\+1(\d{3})(\d{3})(\d{4})", phone_number)
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/IncomingPhoneNumbers/{sid}"
        number = {
            "account_sid": self.account_sid, "address_requirements": "none", "address_sid": None,
            "api_version": API_VERSION, "beta": False,
            "capabilities": {"fax": False, "mms": True, "sms": True, "voice": True},
            "date_created": now, "date_updated": now, "emergency_status": "Inactive",
            "emergency_address_sid": None, "emergency_address_status": "unregistered",
            "friendly_name": friendly_name or ("({}) {}-{}".format(*national.groups())
                                               if national else phone_number),
            "identity_sid": None, "origin": "twilio", "phone_number": phone_number, "sid": sid,
            "sms_application_sid": "", "sms_fallback_method": "POST", "sms_fallback_url": "",
            "sms_method": "POST", "sms_url": "", "status_callback": "",
            "status_callback_method": "POST", "trunk_sid": None, "uri": uri + ".json",
            "voice_application_sid": "", "voice_caller_id_lookup": False,
            "voice_fallback_method": "POST", "voice_fallback_url": "", "voice_method": "POST",
            "voice_url": "", "voice_receive_mode": "voice", "bundle_sid": None,
            "status": "in-use",
            "subresource_uris": {"assigned_add_ons": uri + "/AssignedAddOns.json"}}
        unknown = set(fields) - set(number)
        if unknown:
            raise ValueError(f"unknown IncomingPhoneNumber fields {sorted(unknown)}")
        number.update(fields)
        with self._lock:
            self._numbers[sid] = number
            return dict(number)

    def numbers(self):
        with self._lock:
            return [json.loads(json.dumps(n)) for n in self._numbers.values()]

    def messages(self):
        """The messages created so far, oldest first, as the API shows them."""
        with self._lock:
            return [self._public(m) for m in self._messages.values()]

    def message(self, sid):
        with self._lock:
            return self._public(self._messages[sid])

    def mark_sent(self, sid):
        """The message left (what a "sent" status would say, without a callback): it gets its
        date_sent, and DateSent filters see it."""
        with self._lock:
            message = self._messages[sid]
            now = self._clock()
            message["status"], message["date_updated"] = "sent", rfc2822(now)
            if not message["_sent"]:
                message["_sent"], message["date_sent"] = now, rfc2822(now)

    def status_callback_url(self, sid):
        with self._lock:
            return self._callbacks.get(sid)

    def requests(self):
        """The API requests so far: {method, path, query, form, user, status}."""
        with self._lock:
            return [json.loads(json.dumps(entry)) for entry in self._log]

    def reset(self, numbers=False):
        """Forgets failures, requests, messages, opt-outs and the fixed clock; numbers if asked."""
        with self._lock:
            self._failures.clear()
            self._log.clear()
            self._messages.clear()
            self._callbacks.clear()
            self._opted_out.clear()
            self._now = None
            if numbers:
                self._numbers.clear()

    def signature(self, url, params):
        return signature(self.auth_token, url, params)

    def send_status_callback(self, sid, status, error_code=None, url=None, extra=None,
                             timeout=5):
        """POSTs a signed delivery status callback for message `sid` to its StatusCallback (or
        `url`), after moving the message to `status`; returns (status, headers, body) of the
        answer.  `extra` parameters are added, as Twilio adds parameters without notice."""
        if status not in CALLBACK_STATUSES:
            raise ValueError(f"unknown status {status!r}; the statuses are"
                             f" {', '.join(CALLBACK_STATUSES)}")
        with self._lock:
            message = self._messages[sid]
            url = url or self._callbacks.get(sid)
            if not url:
                raise ValueError(f"message {sid} has no StatusCallback")
            now = self._clock()
            if status in ("undelivered", "failed"):
                error_code = int(error_code or 30008)
                message["error_code"] = error_code
                message["error_message"] = DELIVERY_ERRORS.get(error_code, "Unknown error")
            message["status"], message["date_updated"] = status, rfc2822(now)
            # A message has a date_sent once it has left, never while accepted or queued.
            if status in ("sent", "delivered", "undelivered", "failed", "read") and not message["_sent"]:
                message["_sent"], message["date_sent"] = now, rfc2822(now)
            params = {"SmsSid": sid, "SmsStatus": status, "MessageStatus": status,
                      "To": message["to"], "MessageSid": sid, "AccountSid": self.account_sid,
                      "From": message["from"] or "", "ApiVersion": API_VERSION}
            if message["messaging_service_sid"]:
                params["MessagingServiceSid"] = message["messaging_service_sid"]
            if status in ("undelivered", "failed"):
                params["ErrorCode"] = str(error_code)
            if status == "delivered":
                params["RawDlrDoneDate"] = now.strftime("%y%m%d%H%M")
            params.update(extra or {})
        return self._post_form(url, params, timeout)

    def _post_form(self, url, params, timeout):
        parts = urllib.parse.urlsplit(url)
        factory = (http.client.HTTPSConnection if parts.scheme == "https"
                   else http.client.HTTPConnection)
        connection = factory(parts.hostname, parts.port, timeout=timeout)
        body = urllib.parse.urlencode(params)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "User-Agent": "TwilioProxy/1.1", "Accept": "*/*",
                   "X-Twilio-Signature": self.signature(url, params),
                   "I-Twilio-Idempotency-Token": str(uuid.uuid4())}
        try:
            target = parts.path or "/"
            connection.request("POST", target + (f"?{parts.query}" if parts.query else ""),
                               body, headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    # Serving

    def _handle(self, command, target, headers, body):
        """The reply to one HTTP request."""
        split = urllib.parse.urlsplit(target)
        path = split.path
        if path.startswith("/__fake__/"):
            return self._control(command, path[len("/__fake__/"):], body)
        query = _flat(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
        is_form = headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
        form = _flat(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                            keep_blank_values=True) if is_form else [])
        entry = {"method": command, "path": path, "query": query, "form": form,
                 "user": self._user(headers), "status": None}
        with self._lock:
            self._log.append(entry)
            failure = self._take_failure(command, path)
        reply = self._fail_instead(failure, form)
        if reply is None:
            with self._lock:
                try:
                    reply = self._route(command, path, query, form, headers)
                except TwilioError as error:
                    reply = error.reply()
            if failure and failure.mode == "drop_after_create":
                reply = DROP
            elif failure and failure.mode == "malformed":
                reply = reply._replace(body=reply.body[:len(reply.body) // 2])
        with self._lock:
            entry["status"] = reply.status or None
        return reply

    def _fail_instead(self, failure, form):
        """The reply of a failure that replaces the request, or None."""
        mode = failure.mode if failure else None
        if mode == "hang":
            return HANG
        if mode == "http_429":
            return TwilioError(429, 20429, "Too Many Requests",
                               (("Retry-After", str(failure.retry_after)),)).reply()
        if mode == "http_500":
            return TwilioError(500, 20500, "Internal Server Error").reply()
        if mode == "error_21211":
            return self._invalid_to(_one(form, "To")).reply()
        if mode == "error_21610":
            return self._unsubscribed().reply()
        return None

    def _route(self, command, path, query, form, headers):
        account = re.fullmatch(rf"/{API_VERSION}/Accounts/([^/]+)(/.+)", path)
        if not account:
            raise _not_found(path)
        self._authenticate(headers)
        if account.group(1) != self.account_sid:
            raise _not_found(path)
        rest = account.group(2)
        routes = [(r"/Messages\.json", {"POST": lambda: self._create_message(form),
                                        "GET": lambda: self._list_messages(path, query)}),
                  (r"/Messages/([^/]+)\.json", {"GET": lambda sid: self._fetch_message(path, sid)}),
                  (r"/IncomingPhoneNumbers\.json",
                   {"GET": lambda: self._list_numbers(path, query)}),
                  (r"/IncomingPhoneNumbers/([^/]+)\.json",
                   {"GET": lambda sid: self._fetch_number(path, sid),
                    "POST": lambda sid: self._update_number(path, sid, form)})]
        for pattern, verbs in routes:
            match = re.fullmatch(pattern, rest)
            if match:
                if command not in verbs:
                    raise TwilioError(405, 20004, "Method not allowed")
                return verbs[command](*match.groups())
        raise _not_found(path)

    def _user(self, headers):
        scheme, _, value = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            return base64.b64decode(value.strip(), validate=True).decode().partition(":")[0]
        except ValueError:
            return None

    def _authenticate(self, headers):
        scheme, _, value = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() != "basic" or not value.strip():
            raise TwilioError(401, 20003, "Authentication Error - No credentials provided",
                              (("WWW-Authenticate", 'Basic realm="Twilio API"'),),
                              "Your AccountSid or AuthToken was incorrect.")
        try:
            user, _, secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
        except ValueError:
            user, secret = None, None
        expected = self.auth_token if user == self.account_sid else self.api_keys.get(user)
        if expected is None or not hmac.compare_digest(secret.encode(), expected.encode()):
            raise TwilioError(401, 20003, "Authenticate",
                              (("WWW-Authenticate", 'Basic realm="Twilio API"'),))

    # Messages

    @staticmethod
    def _invalid_to(to):
        return TwilioError(400, 21211, f"The 'To' number {to} is not a valid phone number.")

    @staticmethod
    def _unsubscribed():
        return TwilioError(400, 21610, "Attempt to send to unsubscribed recipient")

    def _create_message(self, form):
        to, sender = _one(form, "To"), _one(form, "From")
        service, body = _one(form, "MessagingServiceSid"), _one(form, "Body")
        if not to:
            raise TwilioError(400, 21604, "A 'To' phone number is required.")
        if not sender and not service:
            raise TwilioError(400, 21603, "A 'From' phone number is required.")
        if not body and not form.get("MediaUrl") and not form.get("ContentSid"):
            raise TwilioError(400, 21602, "Message body is required.")
        if not E164.fullmatch(to):
            raise self._invalid_to(to)
        if len(body) > 1600:
            raise TwilioError(400, 21617, "The concatenated message body exceeds the 1600"
                                          " character limit.")
        if to in self._opted_out:
            raise self._unsubscribed()
        now = self._clock()
        sid = "SM" + uuid.uuid4().hex
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
        media = form.get("MediaUrl", [])
        self._sequence += 1
        self._messages[sid] = {
            "account_sid": self.account_sid, "api_version": API_VERSION, "body": body,
            "date_created": rfc2822(now), "date_sent": None, "date_updated": rfc2822(now),
            "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": sender or None, "messaging_service_sid": service or None,
            "num_media": str(len(media) if isinstance(media, list) else 1),
            "num_segments": "0" if service else str(num_segments(body)),
            "price": None, "price_unit": "USD", "sid": sid,
            "status": "accepted" if service else "queued",
            "subresource_uris": {"media": uri + "/Media.json"}, "to": to, "uri": uri + ".json",
            "_sent": None, "_created": now, "_sequence": self._sequence}
        self._callbacks[sid] = _one(form, "StatusCallback") or None
        return _json_reply(201, self._public(self._messages[sid]))

    def _fetch_message(self, path, sid):
        if sid not in self._messages:
            raise _not_found(path)
        return _json_reply(200, self._public(self._messages[sid]))

    def _list_messages(self, path, query):
        tests = []
        for name in ("To", "From"):
            if name in query:
                key, value = name.lower(), _one(query, name)
                tests.append(lambda row, key=key, value=value: row[key] == value)
        for name in ("DateSent", "DateSent<", "DateSent>"):
            if name in query:
                tests.append(_date_test(name, _one(query, name)))
        rows = sorted((m for m in self._messages.values() if all(t(m) for t in tests)),
                      key=lambda m: (m["_created"], m["_sequence"]), reverse=True)
        filters = [(n, _one(query, n)) for n in ("To", "From", "DateSent<", "DateSent",
                                                 "DateSent>") if n in query]
        return self._page(path, "messages", rows, filters, query)

    @staticmethod
    def _public(message):
        """A copy of `message` without the fake's own fields."""
        return json.loads(json.dumps({k: v for k, v in message.items() if not k.startswith("_")}))

    def _clock(self):
        now = self._now or datetime.datetime.now(datetime.timezone.utc)
        return now.replace(microsecond=0)

    # Incoming phone numbers

    def _list_numbers(self, path, query):
        tests, filters = [], []
        if "PhoneNumber" in query:
            tests.append(_like_number(_one(query, "PhoneNumber")))
            filters.append(("PhoneNumber", _one(query, "PhoneNumber")))
        if "FriendlyName" in query:
            name = _one(query, "FriendlyName")
            tests.append(lambda row: row["friendly_name"] == name)
            filters.append(("FriendlyName", name))
        rows = [n for n in self._numbers.values() if all(t(n) for t in tests)]
        return self._page(path, "incoming_phone_numbers", rows, filters, query)

    def _fetch_number(self, path, sid):
        if sid not in self._numbers:
            raise _not_found(path)
        return _json_reply(200, self._numbers[sid])

    def _update_number(self, path, sid, form):
        if sid not in self._numbers:
            raise _not_found(path)
        changes = {}
        for param, field in NUMBER_PARAMS.items():
            if param not in form:
                continue
            value = _one(form, param)
            if field.endswith(("_url", "status_callback")) and value and not _valid_url(value):
                raise TwilioError(400, 21402, f"{param} is not a valid URL: {value}")
            if field.endswith("_method"):
                if value.upper() not in ("GET", "POST"):
                    raise TwilioError(400, 21403, f"{param} must be either GET or POST")
                value = value.upper()
            changes[field] = value
        number = self._numbers[sid]
        number.update(changes, date_updated=rfc2822(self._clock()))
        return _json_reply(200, number)

    # Paging

    def _page(self, path, key, rows, filters, query):
        """Twilio's list envelope around one page of `rows`."""
        try:
            page_size = min(max(int(_one(query, "PageSize", "50")), 1), 1000)
        except ValueError:
            raise _bad_parameter("PageSize", _one(query, "PageSize")) from None
        try:
            page = max(int(_one(query, "Page", "0")), 0)
        except ValueError:
            raise _bad_parameter("Page", _one(query, "Page")) from None
        token = _one(query, "PageToken")
        start = page * page_size
        if token:
            sids = [row["sid"] for row in rows]
            if token[:2] not in ("PA", "PB") or token[2:] not in sids:
                raise _bad_parameter("PageToken", token)
            index = sids.index(token[2:])
            start = index + 1 if token.startswith("PA") else max(index - page_size, 0)
        chunk = rows[start:start + page_size]

        def uri(number, page_token=None):
            params = filters + [("PageSize", str(page_size)), ("Page", str(number))]
            params += [("PageToken", page_token)] if page_token else []
            return f"{path}?{urllib.parse.urlencode(params)}"
        more = start + page_size < len(rows)
        return _json_reply(200, {
            key: [self._public(row) for row in chunk],
            "end": start + max(len(chunk) - 1, 0), "first_page_uri": uri(0),
            "next_page_uri": uri(page + 1, "PA" + chunk[-1]["sid"]) if more and chunk else None,
            "page": page, "page_size": page_size,
            "previous_page_uri": uri(page - 1, "PB" + chunk[0]["sid"]) if start > 0 and chunk
            else None,
            "start": start, "uri": uri(page, token or None)})

    def _take_failure(self, method, path):
        failure = next((f for f in self._failures if f.matches(method, path)), None)
        if failure is not None:
            failure.count -= 1
            if failure.count == 0:
                self._failures.remove(failure)
        return failure

    # Control endpoints

    def _control(self, command, route, body):
        """/__fake__/...: drives this fake from a shell script or another process."""
        getters = {"messages": self.messages, "requests": self.requests, "numbers": self.numbers}
        actions = {"fail": self._control_fail,
                   "opt_out": lambda p: self.opt_out(p["number"]),
                   "opt_in": lambda p: self.opt_in(p["number"]),
                   "numbers": lambda p: self.add_number(**p),
                   "status_callback": self._control_callback,
                   "clock": lambda p: self.set_now(datetime.datetime.fromisoformat(
                       p["now"].replace("Z", "+00:00")) if p.get("now") else None),
                   "reset": lambda p: self.reset(numbers=bool(p.get("numbers")))}
        try:
            payload = json.loads(body) if body else {}
            if command == "GET" and route in getters:
                return _json_reply(200, getters[route]())
            if command != "POST" or route not in actions:
                return _json_reply(404, {"error": f"no endpoint {command} /__fake__/{route}"})
            result = actions[route](payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return _json_reply(400, {"error": str(exc)})
        except OSError as exc:
            return _json_reply(502, {"error": f"the callback failed: {exc}"})
        return _json_reply(200, result if isinstance(result, dict) else {"ok": True})

    def _control_fail(self, payload):
        if "hang_seconds" in payload:
            self.hang_seconds = float(payload["hang_seconds"])
        self.fail(payload["mode"], int(payload.get("count", 1)), payload.get("method"),
                  payload.get("path"), int(payload.get("retry_after", 1)))

    def _control_callback(self, payload):
        status, _, body = self.send_status_callback(
            payload["sid"], payload["status"], payload.get("error_code"), payload.get("url"),
            payload.get("extra"))
        return {"status": status, "body": body.decode("utf-8", "replace")}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serves a fake Twilio until SIGTERM or SIGINT.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 for any free port")
    parser.add_argument("--port-file", help="where to write the port once listening")
    parser.add_argument("--account-sid", default=ACCOUNT_SID)
    parser.add_argument("--auth-token", default=AUTH_TOKEN)
    parser.add_argument("--api-key", action="append", metavar="SID:SECRET",
                        help=f"an API key (repeatable; default {API_KEY_SID}:{API_KEY_SECRET})")
    parser.add_argument("--number", action="append", default=[], metavar="E164",
                        help="an IncomingPhoneNumber to seed (repeatable)")
    args = parser.parse_args(argv)
    keys = dict(key.split(":", 1) for key in args.api_key) if args.api_key else None
    fake = FakeTwilio(args.account_sid, args.auth_token, keys, args.host, args.port)
    for number in args.number:
        fake.add_number(number)
    serve_until_signal(fake, args.port_file)


if __name__ == "__main__":
    main()
