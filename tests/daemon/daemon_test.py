#!/usr/bin/python3
"""Integration tests for voiceopsd: the real daemon on a loopback port, driven over HTTP with
requests signed by the carrier's own Python library (python3-twilio), and through the voiceops
CLI over the control socket.

    daemon_test.py VOICEOPSD VOICEOPS SOURCE_DIR [unittest args]
"""
import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

from twilio.request_validator import RequestValidator

VOICEOPSD, VOICEOPS, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
TOKEN = "test-auth-token"
EVENTS_TOKEN = "test-events-token"
AFTER_HOURS_NUMBER = "+15125550101"  # the shipped after-hours and booking contracts


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """One voiceopsd with its own folder: config, contracts, store, control socket and log."""

    def __init__(self, scripted=True, validate=True, extra="", store_dir=None, wrap=(),
                 twilio=""):
        self.dir = tempfile.mkdtemp(prefix="voiceopsd-test-")
        self.wrap = list(wrap)  # a command the daemon runs under (unshare, prlimit)
        self.port = free_port()
        self.contracts = os.path.join(self.dir, "contracts")
        shutil.copytree(os.path.join(SOURCE, "contracts"), self.contracts)
        self.config = os.path.join(self.dir, "voiceops.toml")
        self.socket = os.path.join(self.dir, "control.sock")
        self.store = os.path.join(store_dir or self.dir, "voiceops.db")
        self.log_path = os.path.join(self.dir, "voiceopsd.log")
        self.url = "http://127.0.0.1:%d" % self.port
        with open(self.config, "w") as f:
            f.write(f"""[server]
listen = "127.0.0.1:{self.port}"
public_url = "{self.url}"
control_socket = "{self.socket}"
[store]
path = "{self.store}"
[twilio]
validate_signatures = {"true" if validate else "false"}
{twilio}
[contracts]
paths = ["{self.contracts}/*.toml"]
[testing]
scripted_integrations = {"true" if scripted else "false"}
{extra}
""")
        self.env = dict(os.environ, TWILIO_AUTH_TOKEN=TOKEN, VOICEOPS_EVENTS_TOKEN=EVENTS_TOKEN,
                        VOICEOPS_CONFIG=self.config, NO_COLOR="1")
        self.process = None

    def start(self):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.wrap + [VOICEOPSD, "--config", self.config], stdout=log,
                                        stderr=log, env=self.env)
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("voiceopsd exited %d:\n%s" % (self.process.returncode, self.log()))
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("voiceopsd did not come up:\n" + self.log())

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout)
        return self.process.returncode if self.process else None

    def cleanup(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read().decode("utf-8", "replace"), dict(r.getheaders())
        finally:
            conn.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, params, sign=True, token=TOKEN):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if sign:
            headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(
                self.url + path, params)
        return self.request("POST", path, urllib.parse.urlencode(params), headers)

    def cli(self, *args):
        return subprocess.run([VOICEOPS, "--config", self.config] + list(args), env=self.env,
                              capture_output=True, text=True, timeout=60)


def only_workflow(d, name, edit=lambda text: text):
    """Leaves Daemon `d` with the one shipped contract `name`, its text passed through `edit`
    (to open or close its hours, so the clock never routes a call elsewhere)."""
    for other in os.listdir(d.contracts):
        if other.endswith(".toml") and other != name:
            os.remove(os.path.join(d.contracts, other))
    path = os.path.join(d.contracts, name)
    with open(path) as f:
        text = edit(f.read())
    with open(path, "w") as f:
        f.write(text)


def eventually(condition, seconds=10):
    """Polls `condition` until it holds or `seconds` pass (signals are handled asynchronously)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def arrive(d, sid, number=AFTER_HOURS_NUMBER):
    return d.post("/twilio/voice", {"CallSid": sid, "From": "+15125550142", "To": number,
                                    "CallStatus": "ringing"})


def say(d, sid, text, confidence="0.93"):
    return d.post("/twilio/gather", {"CallSid": sid, "SpeechResult": text, "Confidence": confidence})


class DaemonTest(unittest.TestCase):
    def setUp(self):
        self.daemon = Daemon()
        self.addCleanup(self.daemon.cleanup)

    def test_a_call_is_answered_kept_and_survives_kill_9(self):
        d = self.daemon.start()
        status, body, _ = arrive(d, "CAkill9")
        self.assertEqual(status, 200)
        self.assertIn("<Gather", body)
        status, body, _ = say(d, "CAkill9", "my furnace is blowing cold air")
        self.assertIn("smell gas", body)
        d.stop(signal.SIGKILL)
        d.start()
        # The carrier's next webhook continues where the call was.
        status, body, _ = say(d, "CAkill9", "no nothing like that")
        self.assertEqual(status, 200)
        self.assertIn("at risk without heat", body)
        status, _, _ = d.post("/twilio/status", {"CallSid": "CAkill9", "CallStatus": "completed",
                                                 "CallDuration": "61"})
        self.assertEqual(status, 200)
        shown = d.cli("calls", "show", "CAkill9", "--format", "json")
        self.assertEqual(shown.returncode, 0, shown.stderr)
        call = json.loads(shown.stdout)
        self.assertEqual(call["status"], "completed")
        self.assertEqual(call["duration_s"], 61)
        self.assertGreater(call["cost"], 0)
        said = [line["text"] for line in call["transcript"] if line["speaker"] == "caller"]
        self.assertEqual(said, ["my furnace is blowing cold air", "no nothing like that", "(hangs up)"])
        self.assertNotIn("+15125550142", d.log())  # caller numbers are masked in the log

    def test_repeated_and_out_of_order_status_callbacks_are_harmless(self):
        d = self.daemon.start()
        arrive(d, "CAorder")
        done = {"CallSid": "CAorder", "CallStatus": "completed", "CallDuration": "12"}
        for _ in range(3):
            self.assertEqual(d.post("/twilio/status", done)[0], 200)
        self.assertEqual(d.post("/twilio/status", {"CallSid": "CAorder", "CallStatus": "ringing"})[0], 200)
        status, body, _ = say(d, "CAorder", "hello?")  # a gather after the end
        self.assertEqual(status, 200)
        self.assertIn("<Response", body)
        call = json.loads(d.cli("calls", "show", "CAorder", "--format", "json").stdout)
        self.assertEqual(call["status"], "completed")
        self.assertEqual([e["kind"] for e in call["events"]].count("status"), 1)
        # A final callback for a call never seen is answered too.
        self.assertEqual(d.post("/twilio/status", {"CallSid": "CAnever", "CallStatus": "busy"})[0], 200)

    def test_a_calls_webhooks_racing_each_other_are_taken_in_turn(self):
        # The caller speaks and hangs up at once: the gather and the final status callback race.
        # Each call's webhooks are answered one after another, so every call ends up completed
        # with one status event, and a turn that got in first is in its transcript.
        d = self.daemon.start()
        sids = ["CArace%02d" % i for i in range(40)]
        for sid in sids:
            arrive(d, sid)
        answers = []

        def post(path, params):
            answers.append(d.post(path, params)[0])

        workers = []
        for sid in sids:
            workers.append(threading.Thread(target=say, args=(d, sid, "my furnace is out")))
            workers.append(threading.Thread(target=post, args=(
                "/twilio/status", {"CallSid": sid, "CallStatus": "completed", "CallDuration": "9"})))
        for w in workers:
            w.start()
        for w in workers:
            w.join(30)
        self.assertEqual(answers, [200] * len(sids))
        for sid in sids:
            call = json.loads(d.cli("calls", "show", sid, "--format", "json").stdout)
            self.assertEqual(call["status"], "completed", sid)
            kinds = [e["kind"] for e in call["events"]]
            self.assertEqual(kinds.count("status"), 1, sid)
            said = [line["text"] for line in call["transcript"] if line["speaker"] == "caller"]
            self.assertIn(said, (["(hangs up)"], ["my furnace is out", "(hangs up)"]), sid)
        self.assertIn("\nvoiceops_store_errors_total 0\n", d.get("/metrics")[1])

    def test_bad_requests_get_the_right_status(self):
        d = self.daemon.start()
        params = {"CallSid": "CAbad", "From": "+15125550142", "To": AFTER_HOURS_NUMBER}
        self.assertEqual(d.post("/twilio/voice", params, sign=False)[0], 403)
        self.assertEqual(d.post("/twilio/voice", params, token="wrong")[0], 403)
        self.assertEqual(d.request("POST", "/twilio/voice", "CallSid=%zz&To",
                                   {"Content-Type": "application/x-www-form-urlencoded"})[0], 400)
        self.assertEqual(d.get("/twilio/voice")[0], 405)
        self.assertEqual(d.get("/nowhere")[0], 404)
        self.assertEqual(d.request("POST", "/healthz", "")[0], 405)
        self.assertEqual(d.request("POST", "/twilio/voice", "a=" + "x" * 200_000)[0], 413)
        self.assertEqual(d.request("GET", "/healthz", None, {"X-Big": "y" * 20_000})[0], 431)
        # An unknown CallSid on the gather endpoint still gets spoken TwiML, never an error.
        status, body, _ = say(d, "CAunknown", "hello")
        self.assertEqual(status, 200)
        self.assertIn("<Say>", body)
        # Garbage that is not HTTP gets a 400 and the connection closes.
        with socket.create_connection(("127.0.0.1", d.port), timeout=5) as s:
            s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            self.assertIn(b" 400 ", s.recv(1000))
        metrics = d.get("/metrics")[1]
        self.assertIn("voiceops_signature_failures_total 2", metrics)

    def test_health_readiness_and_metrics_pass_promtool(self):
        d = self.daemon.start()
        self.assertEqual(d.get("/healthz")[:2], (200, "ok\n"))
        # Ready, with a note (since texts came): this daemon has no [twilio] account_sid, and the
        # after-hours workflow promises texts.
        status, body, _ = d.get("/readyz")
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith("ready\n"), body)
        self.assertIn("messages: workflow after-hours-service promises texts", body)
        arrive(d, "CAm1")
        say(d, "CAm1", "I smell gas in the kitchen")
        status, metrics, headers = d.get("/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        self.assertIn('voiceops_escalations_total{workflow="after-hours-service"', metrics)
        self.assertIn("voiceops_webhook_duration_seconds_bucket", metrics)
        self.assertIn("voiceops_contracts_loaded 3", metrics)
        promtool = shutil.which("promtool")
        if promtool is None:
            self.skipTest("promtool is not installed (Debian package prometheus)")
        check = subprocess.run([promtool, "check", "metrics"], input=metrics, text=True,
                               capture_output=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_metrics_an_operator_reads_build_process_length_and_cost(self):
        d = self.daemon.start()
        arrive(d, "CAlen1")
        say(d, "CAlen1", "my furnace is blowing cold air")
        d.post("/twilio/status", {"CallSid": "CAlen1", "CallStatus": "completed",
                                  "CallDuration": "95"})
        metrics = d.get("/metrics")[1]
        self.assertIn('voiceops_build_info{version="', metrics)
        self.assertIn('voiceops_call_duration_seconds_bucket{workflow="after-hours-service",'
                      'le="60"} 0\n', metrics)
        self.assertIn('voiceops_call_duration_seconds_bucket{workflow="after-hours-service",'
                      'le="120"} 1\n', metrics)
        self.assertIn('voiceops_call_duration_seconds_sum{workflow="after-hours-service"} 95\n',
                      metrics)
        cost = re.search(r'voiceops_call_cost_dollars_total\{workflow="after-hours-service"\} '
                         r'([0-9.]+)', metrics)
        self.assertIsNotNone(cost, metrics)
        self.assertGreater(float(cost.group(1)), 0)
        values = dict(re.findall(r"^(process_[a-z_]+) ([0-9.e+]+)$", metrics, re.M))
        for name in ("process_cpu_seconds_total", "process_resident_memory_bytes",
                     "process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
                     "process_start_time_seconds"):
            self.assertIn(name, values, metrics)
        self.assertLess(abs(float(values["process_start_time_seconds"]) - time.time()), 120)
        self.assertGreater(float(values["process_resident_memory_bytes"]), 1e6)
        self.assertGreaterEqual(float(values["process_open_fds"]), 5)

    def test_never_dead_air_when_a_call_state_is_unreadable(self):
        d = self.daemon.start()
        arrive(d, "CAbroken")
        with sqlite3.connect(d.store) as db:
            db.execute("UPDATE sessions SET state = x'c1c1c1' WHERE call_id = 'CAbroken'")
        status, body, _ = say(d, "CAbroken", "hello")
        self.assertEqual(status, 200)
        self.assertTrue("<Dial" in body or "<Say>" in body, body)
        self.assertIn('voiceops_fallbacks_total{reason="state_unreadable"} 1', d.get("/metrics")[1])
        self.assertIn("human fallback", d.log())

    def test_control_socket_status_calls_and_reload(self):
        d = self.daemon.start()
        mode = stat.S_IMODE(os.stat(d.socket).st_mode)
        self.assertEqual(mode, 0o660)
        arrive(d, "CActl")
        status = d.cli("daemon", "status", "--format", "json")
        self.assertEqual(status.returncode, 0, status.stderr)
        s = json.loads(status.stdout)
        self.assertEqual(s["active_calls"], 1)
        self.assertEqual(sorted(s["contracts"]), ["after-hours-service", "missed-call-booking", "ops-line"])
        self.assertIn("export_queue", s)
        listed = d.cli("calls", "list", "--active")
        self.assertEqual(listed.returncode, 0)
        self.assertIn("CActl", listed.stdout)
        self.assertNotIn("+15125550142", listed.stdout)  # masked in the table
        self.assertEqual(d.cli("calls", "show", "CAnope").returncode, 66)
        self.assertEqual(d.cli("calls", "list", "--since", "yesterday-ish").returncode, 64)

        good = d.cli("daemon", "reload", "--wait")
        self.assertEqual(good.returncode, 0, good.stderr)
        queued = d.cli("daemon", "reload")  # without --wait: answered at once, done on the loop
        self.assertEqual(queued.returncode, 0, queued.stderr)
        self.assertIn("reload requested", queued.stdout)
        # It runs on the daemon's loop: let it finish before the contract below is broken.
        self.assertTrue(eventually(
            lambda: 'voiceops_reloads_total{result="ok"} 2' in d.get("/metrics")[1]))
        # A broken contract: the reload is refused with file:line, the old set stays in service.
        broken = os.path.join(d.contracts, "after-hours-service.toml")
        with open(broken) as f:
            text = f.read()
        with open(broken, "w") as f:
            f.write(text.replace("[workflow]", "[workflow]\nsurprise = 1", 1))
        bad = d.cli("daemon", "reload", "--wait")
        self.assertEqual(bad.returncode, 78)
        self.assertRegex(bad.stderr, r"after-hours-service\.toml:\d+:\d+: error")
        self.assertEqual(arrive(d, "CAafter")[0], 200)
        self.assertIn("<Gather", arrive(d, "CAafter2")[1])
        # SIGHUP reloads too, with the same rule. (The refusal above is in the log already: wait
        # for a second one, or the next SIGHUP could land first and be counted twice.)
        d.process.send_signal(signal.SIGHUP)
        self.assertTrue(eventually(lambda: d.log().count("reload refused") == 2), d.log())
        with open(broken, "w") as f:
            f.write(text)
        d.process.send_signal(signal.SIGHUP)
        self.assertTrue(eventually(
            lambda: 'voiceops_reloads_total{result="ok"} 3' in d.get("/metrics")[1]))

    def test_cli_says_when_the_daemon_is_not_running(self):
        r = self.daemon.cli("daemon", "status")
        self.assertEqual(r.returncode, 69)
        self.assertIn("not running", r.stderr)
        self.assertEqual(self.daemon.cli("calls", "list").returncode, 69)

    def test_graceful_stop_on_sigterm(self):
        d = self.daemon.start()
        idle = socket.create_connection(("127.0.0.1", d.port))  # an idle keep-alive client
        self.addCleanup(idle.close)
        start = time.time()
        self.assertEqual(d.stop(signal.SIGTERM), 0)
        self.assertLess(time.time() - start, 8)  # the idle client is closed, not waited for (10 s)
        self.assertFalse(os.path.exists(d.socket))
        self.assertIn("stopped", d.log())

    def test_a_thousand_idle_connections_do_not_stop_webhooks(self):
        d = self.daemon.start()
        idle = []
        self.addCleanup(lambda: [s.close() for s in idle])
        for _ in range(1000):
            s = socket.create_connection(("127.0.0.1", d.port))
            s.sendall(b"POST /twilio/voice HTTP/1.1\r\nHost: x\r\n")  # and never finishes
            idle.append(s)
        start = time.time()
        status, body, _ = arrive(d, "CAslow")
        self.assertEqual(status, 200)
        self.assertIn("<Gather", body)
        self.assertLess(time.time() - start, 5)  # not queued behind the idle ones' 10 s deadline

    def test_many_calls_at_once_are_all_answered_and_kept(self):
        d = self.daemon.start()
        sids = ["CAburst%03d" % i for i in range(120)]
        answers = {}

        def call(sid):
            status, body, _ = arrive(d, sid)
            answers[sid] = (status, "<Gather" in body)

        workers = [threading.Thread(target=call, args=(sid,)) for sid in sids]
        for w in workers:
            w.start()
        status, body, _ = d.get("/healthz")  # answered by the event loop while webhooks commit
        self.assertEqual((status, body), (200, "ok\n"))
        for w in workers:
            w.join(30)
        self.assertEqual(answers, {sid: (200, True) for sid in sids})
        listed = json.loads(d.cli("calls", "list", "--format", "json", "--limit", "500").stdout)
        self.assertEqual({c["id"] for c in listed} & set(sids), set(sids))

    def test_live_events_over_websocket(self):
        d = self.daemon.start()
        self.assertEqual(self._ws_handshake(d, None)[0], 401)
        status, ws = self._ws_handshake(d, EVENTS_TOKEN)
        self.assertEqual(status, 101)
        self.addCleanup(ws.close)
        arrive(d, "CAlive")
        event = json.loads(self._ws_read_text(ws))
        self.assertEqual(event["event"], "started")
        self.assertEqual(event["call"], "CAlive")
        # Events are sent once the turn is committed: the call is in the store already.
        self.assertEqual(d.cli("calls", "show", "CAlive").returncode, 0)
        self.assertEqual(json.loads(self._ws_read_text(ws))["event"], "turn")

    def _ws_handshake(self, d, token):
        s = socket.create_connection(("127.0.0.1", d.port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        request = ("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n" % key)
        if token:
            request += "Authorization: Bearer %s\r\n" % token
        s.sendall((request + "\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(1)
            if not chunk:
                break
            head += chunk
        status = int(head.split(b" ")[1])
        if status == 101:
            accept = base64.b64encode(hashlib.sha1(
                (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            self.assertIn(accept.encode(), head)
        else:
            s.close()
        return status, s

    def _ws_read_text(self, s):
        def exactly(n):
            data = b""
            while len(data) < n:
                chunk = s.recv(n - len(data))
                if not chunk:
                    raise AssertionError("websocket closed")
                data += chunk
            return data
        while True:
            b0, b1 = exactly(2)
            length = b1 & 0x7F
            if length == 126:
                length = int.from_bytes(exactly(2), "big")
            elif length == 127:
                length = int.from_bytes(exactly(8), "big")
            payload = exactly(length)
            if b0 & 0x0F == 1:
                return payload.decode()


class RollbackTest(unittest.TestCase):
    """voiceops rollback against the real daemon: each change on the very next webhook, with the
    daemon running or stopped, kept in the history with who and why."""

    def setUp(self):
        self.daemon = Daemon()

    def tearDown(self):
        self.daemon.cleanup()

    def test_forward_all_takes_the_next_call_and_clear_gives_it_back(self):
        d = self.daemon.start()
        status, body, _ = arrive(d, "CAbefore")
        self.assertIn("<Gather", body)
        changed = d.cli("rollback", "forward-all", "+15125550180", "--reason", "misrouting",
                        "--yes")
        self.assertEqual(changed.returncode, 0, changed.stderr)
        status, body, _ = arrive(d, "CAforwarded")
        self.assertEqual(status, 200)
        self.assertIn("<Number>+15125550180</Number>", body)
        self.assertNotIn("<Gather", body)
        # The call already under way goes on with the agent: no --now.
        status, body, _ = say(d, "CAbefore", "my furnace is blowing cold air")
        self.assertIn("<Gather", body)
        shown = json.loads(d.cli("rollback", "status", "--format", "json").stdout)
        self.assertEqual(shown["workflows"]["after-hours-service"]["forward_to"], "+15125550180")
        history = json.loads(d.cli("rollback", "history", "--format", "json").stdout)
        self.assertEqual(history[0]["action"], "forward-all")
        self.assertEqual(history[0]["reason"], "misrouting")
        self.assertTrue(history[0]["who"])
        self.assertEqual(history[0]["before"], {})
        self.assertEqual(history[0]["via"], "daemon")  # the running daemon took it
        status, metrics, _ = d.get("/metrics")
        self.assertIn('voiceops_rollback_changes_total{action="forward-all"} 1', metrics)
        self.assertIn("rollback forward-all +15125550180 for every workflow", d.log())
        cleared = d.cli("rollback", "clear", "--reason", "fixed", "--yes")
        self.assertEqual(cleared.returncode, 0, cleared.stderr)
        status, body, _ = arrive(d, "CAafter")
        self.assertIn("<Gather", body)

    def test_now_moves_a_call_in_progress_at_its_next_webhook(self):
        d = self.daemon.start()
        arrive(d, "CAmoving")
        changed = d.cli("rollback", "forward-all", "+15125550180", "--now", "--reason", "r",
                        "--yes")
        self.assertEqual(changed.returncode, 0, changed.stderr)
        status, body, _ = say(d, "CAmoving", "my furnace is blowing cold air")
        self.assertIn("<Number>+15125550180</Number>", body)

    def test_a_change_made_while_the_daemon_is_down_holds_when_it_starts(self):
        d = self.daemon
        changed = d.cli("rollback", "disable-intent", "no_heat", "--reason", "bad tickets", "--yes")
        self.assertEqual(changed.returncode, 0, changed.stderr)
        d.start()
        arrive(d, "CAdisabled")
        status, body, _ = say(d, "CAdisabled", "my heat is out and the furnace won't start")
        self.assertEqual(status, 200)
        self.assertNotIn("<Gather", body)
        shown = json.loads(d.cli("calls", "show", "CAdisabled", "--format", "json").stdout)
        self.assertEqual(shown["event"], "rollback.intent_disabled")
        history = json.loads(d.cli("rollback", "history", "--format", "json").stdout)
        self.assertEqual(history[0]["via"], "direct")

    def test_disable_then_enable_an_intent_through_the_running_daemon(self):
        d = self.daemon.start()
        for action in ("disable-intent", "enable-intent"):
            run = d.cli("rollback", action, "no_heat", "--workflow", "after-hours-service",
                        "--reason", "r", "--yes")
            self.assertEqual(run.returncode, 0, run.stderr)
            sid = "CA" + action.replace("-", "")
            arrive(d, sid)
            status, body, _ = say(d, sid, "my heat is out and the furnace won't start")
            if action == "disable-intent":
                self.assertNotIn("<Gather", body)
            else:
                self.assertIn("<Gather", body)
        shown = json.loads(d.cli("rollback", "status", "--format", "json").stdout)
        self.assertEqual(shown["workflows"]["after-hours-service"], {})

    def test_a_change_written_without_telling_the_daemon_still_takes_the_next_call(self):
        # As if the CLI had died between writing the state and telling the daemon: the daemon
        # reads the state on every call, so nothing needs telling.
        d = self.daemon.start()
        elsewhere = os.path.join(d.dir, "other.toml")
        with open(d.config) as f, open(elsewhere, "w") as out:
            out.write(f.read().replace(d.socket, os.path.join(d.dir, "nobody.sock")))
        run = subprocess.run([VOICEOPS, "--config", elsewhere, "rollback", "forward-all",
                              "+15125550180", "--reason", "r", "--yes"], env=d.env,
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("not running", run.stderr)
        self.assertIn("writing the rollback state directly", run.stderr)
        status, body, _ = arrive(d, "CAuntold")
        self.assertIn("<Number>+15125550180</Number>", body)

    def test_bad_changes_are_refused_with_the_reason(self):
        d = self.daemon
        for args, code, words in [
                (["forward-all", "5125550180"], 65, "E.164"),
                (["forward-all", "+15125550101"], 65, "loop"),
                (["disable-intent", "teleport"], 65, "no_heat"),
                (["enable-intent", "no_heat", "--workflow", "nonesuch"], 65,
                 "after-hours-service")]:
            run = d.cli("rollback", *args, "--reason", "r", "--yes")
            self.assertEqual(run.returncode, code, (args, run.stderr))
            self.assertIn(words, run.stderr, args)
        no_reason = d.cli("rollback", "clear", "--yes")
        self.assertEqual(no_reason.returncode, 64, no_reason.stderr)
        history = d.cli("rollback", "history", "--format", "json")
        self.assertEqual(json.loads(history.stdout), [])

    def test_the_plan_and_the_fallback_twiml(self):
        d = self.daemon
        plan = d.cli("rollback", "plan", "--workflow", "after-hours-service")
        self.assertEqual(plan.returncode, 0, plan.stderr)
        self.assertIn("voiceops rollback forward-all +15125550180", plan.stdout)
        self.assertIn("disable-intent thermostat_problem", plan.stdout)
        twiml = d.cli("rollback", "plan", "--fallback-twiml", "--workflow", "after-hours-service")
        self.assertEqual(twiml.returncode, 0, twiml.stderr)
        self.assertIn("<Dial>", twiml.stdout)
        self.assertIn("<Number>+15125550180</Number>", twiml.stdout)


class SystemdNotifyTest(unittest.TestCase):
    """sd_notify as systemd 252 sees it: a datagram socket in NOTIFY_SOCKET."""

    def test_ready_reloading_watchdog_and_stopping(self):
        d = Daemon()
        self.addCleanup(d.cleanup)
        path = os.path.join(d.dir, "notify.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(listener.close)
        listener.bind(path)
        listener.settimeout(10)
        d.env["NOTIFY_SOCKET"] = path
        d.env["WATCHDOG_USEC"] = "400000"  # pings every 0.2 s
        log = open(d.log_path, "a")
        d.process = subprocess.Popen([VOICEOPSD, "--config", d.config], stdout=log, stderr=log,
                                     env=d.env)

        def until(wanted):
            seen = []
            while True:
                message = listener.recv(4096).decode()
                seen.append(message)
                if wanted in message:
                    return message, seen

        ready, _ = until("READY=1")
        self.assertIn("STATUS=serving 3 contract(s)", ready)
        until("WATCHDOG=1")
        d.process.send_signal(signal.SIGHUP)
        reloading, _ = until("RELOADING=1")
        self.assertRegex(reloading, r"MONOTONIC_USEC=\d+")
        until("READY=1")
        d.process.send_signal(signal.SIGTERM)
        until("STOPPING=1")
        self.assertEqual(d.process.wait(15), 0)


class ConfigurationTest(unittest.TestCase):
    def run_daemon(self, config_text, env=None):
        folder = tempfile.mkdtemp(prefix="voiceopsd-config-")
        self.addCleanup(shutil.rmtree, folder, True)
        path = os.path.join(folder, "voiceops.toml")
        with open(path, "w") as f:
            f.write(config_text.replace("@DIR@", folder).replace("@SRC@", SOURCE))
        environment = dict(os.environ, TWILIO_AUTH_TOKEN=TOKEN)
        environment.update(env or {})
        return subprocess.run([VOICEOPSD, "--config", path], capture_output=True, text=True,
                              timeout=30, env=environment), path

    BASE = """[server]
listen = "127.0.0.1:8750"
public_url = "https://voice.example.com"
control_socket = "@DIR@/control.sock"
[store]
path = "@DIR@/voiceops.db"
[contracts]
paths = ["@SRC@/contracts/*.toml"]
"""

    def test_unknown_keys_are_refused_with_file_and_line(self):
        r, path = self.run_daemon(self.BASE + "[server2]\nlisten = 1\n")
        self.assertEqual(r.returncode, 78)
        self.assertIn(path + ":9:", r.stderr)

    def test_handler_threads_out_of_range_is_refused(self):
        r, path = self.run_daemon(self.BASE.replace('[store]', 'handler_threads = 0\n[store]'))
        self.assertEqual(r.returncode, 78)
        self.assertIn(path + ":5:", r.stderr)
        self.assertIn("handler_threads", r.stderr)

    def test_an_unwritable_store_is_a_configuration_error(self):
        r, _ = self.run_daemon(self.BASE.replace('"@DIR@/voiceops.db"', '"/proc/voiceops/voiceops.db"'))
        self.assertEqual(r.returncode, 78)
        self.assertIn("/proc/voiceops/voiceops.db", r.stderr)
        self.assertIn("[store] path", r.stderr)

    def test_a_newer_store_schema_is_refused(self):
        folder = tempfile.mkdtemp(prefix="voiceopsd-schema-")
        self.addCleanup(shutil.rmtree, folder, True)
        with sqlite3.connect(os.path.join(folder, "voiceops.db")) as db:
            db.execute("PRAGMA user_version = 999")
        r, _ = self.run_daemon(self.BASE.replace('"@DIR@/voiceops.db"', '"%s/voiceops.db"' % folder))
        self.assertEqual(r.returncode, 78)
        self.assertIn("newer", r.stderr)

    def test_missing_token_and_contracts_are_named(self):
        r, _ = self.run_daemon(self.BASE.replace("contracts/*.toml", "no-such-dir/*.toml"),
                               env={"TWILIO_AUTH_TOKEN": ""})
        self.assertEqual(r.returncode, 78)
        self.assertIn("TWILIO_AUTH_TOKEN", r.stderr)
        self.assertIn("matches no contract file", r.stderr)
        self.assertNotIn(TOKEN, r.stderr)

    def test_check_config(self):
        folder = tempfile.mkdtemp(prefix="voiceopsd-check-")
        self.addCleanup(shutil.rmtree, folder, True)
        path = os.path.join(folder, "voiceops.toml")
        with open(path, "w") as f:
            f.write(self.BASE.replace("@DIR@", folder).replace("@SRC@", SOURCE))
        r = subprocess.run([VOICEOPSD, "--config", path, "--check-config"], capture_output=True,
                           text=True, env=dict(os.environ, TWILIO_AUTH_TOKEN=TOKEN))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("3 contract(s) OK", r.stdout)

    def test_signature_validation_off_warns_at_start(self):
        d = Daemon(validate=False)
        self.addCleanup(d.cleanup)
        d.start()
        self.assertRegex(d.log(), r"<4>.*validate_signatures is false")
        self.assertEqual(d.post("/twilio/voice", {"CallSid": "CAx", "To": AFTER_HOURS_NUMBER},
                                sign=False)[0], 200)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
