#!/usr/bin/python3
"""voiceopsd when the disk, the descriptors and the input misbehave: the real daemon on a loopback
port, with store faults made through a tmpfs in a private mount namespace or file attributes,
descriptor limits through prlimit, and trickled requests through raw sockets.

    robustness_test.py VOICEOPSD VOICEOPS SOURCE_DIR [unittest args]
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import daemon_test
from daemon_test import Daemon, arrive, eventually, say


def can(command):
    try:
        return subprocess.run(command, capture_output=True, timeout=10).returncode == 0
    except OSError:
        return False


def in_namespace(d, script):
    """Runs `script` in the daemon's mount namespace, where its store's tmpfs is."""
    return subprocess.run(["nsenter", "-t", str(d.process.pid), "-m", "--", "sh", "-c", script],
                          capture_output=True, text=True, timeout=30)


def listed_ids(d):
    out = d.cli("calls", "list", "--format", "json", "--limit", "100000")
    assert out.returncode == 0, out.stderr
    return {c["id"] for c in json.loads(out.stdout)}


def metric(d, name):
    for line in d.get("/metrics")[1].splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


class StoreFaultTest(unittest.TestCase):
    def check_call_by_call(self, d, outcomes):
        """Every call answered normally is in the store; every call not stored got the fallback."""
        stored = listed_ids(d)
        for sid, normal in outcomes.items():
            if normal:
                self.assertIn(sid, stored, "%s was answered normally but is not in the store" % sid)
            else:
                self.assertNotIn(sid, stored, "%s got the fallback yet is in the store" % sid)

    def test_a_full_disk_gets_the_fallback_and_readyz_503_until_there_is_room(self):
        if not can(["unshare", "-m", "--propagation", "private", "true"]):
            self.skipTest("no private mount namespaces here (needs CAP_SYS_ADMIN)")
        disk = tempfile.mkdtemp(prefix="voiceopsd-disk-")
        self.addCleanup(shutil.rmtree, disk, True)
        d = Daemon(store_dir=disk, wrap=[
            "unshare", "-m", "--propagation", "private", "sh", "-c",
            'mount -t tmpfs -o size=8m tmpfs "$0" && exec "$@"', disk])
        self.addCleanup(d.cleanup)
        d.start()
        outcomes = {}
        for i in range(5):
            status, body, _ = arrive(d, "CAroom%d" % i)
            self.assertEqual(status, 200)
            self.assertIn("<Gather", body)
            outcomes["CAroom%d" % i] = True
        self.assertEqual(d.get("/readyz")[0], 200)

        in_namespace(d, 'cat /dev/zero > "%s/fill" 2>/dev/null; true' % disk)
        fallbacks = 0
        for i in range(600):
            sid = "CAfull%03d" % i
            status, body, _ = arrive(d, sid)
            self.assertEqual(status, 200, body)  # never a 5xx to the carrier
            normal = "<Gather" in body
            if not normal:
                self.assertTrue("<Dial" in body or "<Say>" in body, body)  # never silence
                fallbacks += 1
            outcomes[sid] = normal
            if fallbacks >= 5:
                break
        self.assertGreater(fallbacks, 0, "a full disk never failed a commit")
        status, body, _ = d.get("/readyz")
        self.assertEqual(status, 503)
        self.assertIn("store", body)
        self.assertEqual(metric(d, "voiceops_store_writable"), 0)
        self.assertGreaterEqual(metric(d, "voiceops_store_faults_total"), 1)
        self.assertGreaterEqual(metric(d, 'voiceops_fallbacks_total{reason="store_error"}'), 1)
        self.assertLessEqual(d.log().count("store fault:"), 3)  # said once, not once per call

        # A final status the store cannot take: the carrier is told to retry, and it is kept.
        status, _, headers = d.post("/twilio/status", {"CallSid": "CAroom0",
                                                       "CallStatus": "completed",
                                                       "CallDuration": "30"})
        self.assertEqual(status, 503)
        self.assertIn("Retry-After", headers)

        in_namespace(d, 'rm -f "%s/fill"' % disk)
        self.assertTrue(eventually(lambda: d.get("/readyz")[0] == 200, 15), d.log())
        self.assertEqual(metric(d, "voiceops_store_writable"), 1)
        status, body, _ = arrive(d, "CAagain")
        self.assertIn("<Gather", body)
        outcomes["CAagain"] = True
        self.check_call_by_call(d, outcomes)
        # The kept status callback went in once the store took writes again.
        self.assertTrue(eventually(lambda: json.loads(
            d.cli("calls", "show", "CAroom0", "--format", "json").stdout)["status"] == "completed",
            10))
        self.assertIn("takes writes again", d.log())

    def test_an_unwritable_shared_memory_file_never_kills_the_daemon(self):
        d = Daemon()
        self.addCleanup(d.cleanup)
        d.start()
        outcomes = {}
        for i in range(3):
            arrive(d, "CAshm%d" % i)
            outcomes["CAshm%d" % i] = True
        shm = d.store + "-shm"
        if not can(["chattr", "+i", shm]):
            self.skipTest("chattr +i is not supported on this file system")
        self.addCleanup(subprocess.run, ["chattr", "-i", shm])
        subprocess.run(["sync"])  # written back, so the next write to a page asks the kernel
        unready_seen = False
        deadline = time.time() + 6
        i = 0
        while time.time() < deadline:
            sid = "CAimm%03d" % i
            status, body, _ = arrive(d, sid)
            self.assertEqual(status, 200)
            outcomes[sid] = "<Gather" in body
            if not outcomes[sid]:
                self.assertTrue("<Dial" in body or "<Say>" in body, body)
                unready_seen = unready_seen or d.get("/readyz")[0] == 503
            i += 1
            time.sleep(0.02)
        self.assertIsNone(d.process.poll(), "voiceopsd died:\n" + d.log())
        if "SIGBUS" in d.log():
            self.assertTrue(unready_seen or not all(outcomes.values()))
        subprocess.run(["chattr", "-i", shm], check=True)
        self.assertTrue(eventually(lambda: d.get("/readyz")[0] == 200, 15), d.log())
        status, body, _ = arrive(d, "CAshmback")
        self.assertIn("<Gather", body)
        outcomes["CAshmback"] = True
        self.assertIsNone(d.process.poll())
        self.check_call_by_call(d, outcomes)

    def test_the_wal_returns_to_a_bounded_size_after_a_burst(self):
        d = Daemon()
        self.addCleanup(d.cleanup)
        d.start()
        sids = ["CAwal%04d" % i for i in range(2000)]
        failures = []

        def worker(part):
            for sid in part:
                status, body, _ = arrive(d, sid)
                if status != 200 or "<Gather" not in body:
                    failures.append(sid)

        threads = [threading.Thread(target=worker, args=(sids[k::16],)) for k in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(failures, [])
        wal = d.store + "-wal"
        limit = 4 * 1024 * 1024
        self.assertTrue(eventually(lambda: os.path.getsize(wal) <= limit, 20),
                        "WAL still %d bytes" % os.path.getsize(wal))
        self.assertEqual(len(listed_ids(d) & set(sids)), len(sids))


class ConnectionTest(unittest.TestCase):
    def test_out_of_descriptors_backs_off_and_keeps_serving_open_connections(self):
        if not can(["prlimit", "--nofile=128:128", "true"]):
            self.skipTest("prlimit is not available")
        d = Daemon(wrap=["prlimit", "--nofile=128:128", "--"])
        self.addCleanup(d.cleanup)
        d.start()
        keep = socket.create_connection(("127.0.0.1", d.port), timeout=10)
        self.addCleanup(keep.close)

        def get_on_keep(path):
            keep.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
            data = b""
            while b"\r\n\r\n" not in data:
                data += keep.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(body) < length:
                body += keep.recv(65536)
            return head.split(b" ")[1], body.decode()

        self.assertEqual(get_on_keep("/healthz")[0], b"200")
        idle = []
        self.addCleanup(lambda: [s.close() for s in idle])
        for _ in range(200):
            idle.append(socket.create_connection(("127.0.0.1", d.port), timeout=10))
        ticks = os.sysconf("SC_CLK_TCK")

        def cpu_seconds():
            with open("/proc/%d/stat" % d.process.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        time.sleep(1)
        before = cpu_seconds()
        time.sleep(3)
        self.assertLess(cpu_seconds() - before, 1.0, "accepting spins while out of descriptors")
        log = d.log()
        self.assertIn("cannot accept connections", log)
        self.assertLessEqual(log.count("cannot accept connections"), 3)
        status, body = get_on_keep("/metrics")  # the connection already open is still served
        self.assertEqual(status, b"200")
        self.assertRegex(body, r"\nvoiceops_accept_failures_total [1-9]")
        for s in idle:
            s.close()
        idle.clear()
        self.assertTrue(eventually(lambda: d.get("/healthz")[0] == 200, 15))

    def test_each_request_has_its_own_deadline_and_a_short_body_gets_408(self):
        d = Daemon()
        self.addCleanup(d.cleanup)
        d.start()
        kept = socket.create_connection(("127.0.0.1", d.port), timeout=30)
        self.addCleanup(kept.close)
        kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        first = b""
        while b"ok\n" not in first:
            first += kept.recv(4096)
        short = socket.create_connection(("127.0.0.1", d.port), timeout=30)
        self.addCleanup(short.close)
        short.sendall(b"POST /twilio/voice HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: 100\r\n\r\nCallSid=CA")
        short_sent = time.time()
        time.sleep(2)  # idle between requests: not part of the next request's time
        second = (b"POST /twilio/voice HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: 60\r\n\r\n" + b"CallSid=CAtrickle&To=%2B15125550101&From=%2B1512555014")
        started = time.time()
        stop = threading.Event()

        def trickle():
            for byte in second:
                if stop.is_set():
                    return
                try:
                    kept.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.25)

        sender = threading.Thread(target=trickle)
        sender.start()
        self.addCleanup(lambda: (stop.set(), sender.join()))
        answer = kept.recv(4096)
        took = time.time() - started
        stop.set()
        self.assertIn(b" 408 ", answer)
        self.assertGreater(took, 8.5)
        self.assertLess(took, 13, "the trickled request was not held to its own 10 s")
        answer = short.recv(4096)
        self.assertIn(b" 408 ", answer)
        self.assertLess(time.time() - short_sent, 13)


class LateWebhookTest(unittest.TestCase):
    def test_late_webhooks_are_never_silent(self):
        d = Daemon()
        self.addCleanup(d.cleanup)
        d.start()
        arrive(d, "CAlate")
        status, body, _ = say(d, "CAlate", "there's a really strong gas smell in the kitchen")
        self.assertIn("<Dial", body)  # the safety transfer has started
        status, body, _ = say(d, "CAlate", "hello? are you there?")
        self.assertEqual(status, 200)
        self.assertNotIn("<Say></Say>", body)
        self.assertNotRegex(body, r"<Gather[^>]*/>")
        self.assertRegex(body, r"<Say[^>]*>[^<]+</Say>")
        self.assertIn("<Dial", body)  # the transfer goes on
        d.post("/twilio/status", {"CallSid": "CAlate", "CallStatus": "completed",
                                  "CallDuration": "40"})
        status, body, _ = say(d, "CAlate", "hello?")
        self.assertEqual(status, 200)
        self.assertNotIn("<Say></Say>", body)
        self.assertIn("<Hangup", body)
        metrics = d.get("/metrics")[1]
        self.assertIn('voiceops_late_webhooks_total{kind="during_transfer"} 1', metrics)
        self.assertIn('voiceops_late_webhooks_total{kind="after_end"} 1', metrics)

    def test_a_retried_gather_is_answered_again_not_taken_twice(self):
        from twilio.request_validator import RequestValidator
        import urllib.parse
        d = Daemon()
        self.addCleanup(d.cleanup)
        d.start()
        arrive(d, "CAretry")
        form = {"CallSid": "CAretry", "SpeechResult": "my furnace is blowing cold air",
                "Confidence": "0.9"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": RequestValidator(daemon_test.TOKEN).compute_signature(
                       d.url + "/twilio/gather", form),
                   "I-Twilio-Idempotency-Token": "retry-token-1"}
        body = urllib.parse.urlencode(form)
        first = d.request("POST", "/twilio/gather", body, headers)
        again = d.request("POST", "/twilio/gather", body, headers)
        self.assertEqual((first[0], again[0]), (200, 200))
        self.assertRegex(again[1], r"<Say[^>]*>[^<]+</Say>")
        call = json.loads(d.cli("calls", "show", "CAretry", "--format", "json").stdout)
        said = [line["text"] for line in call["transcript"] if line["speaker"] == "caller"]
        self.assertEqual(said, ["my furnace is blowing cold air"])
        self.assertIn('voiceops_late_webhooks_total{kind="duplicate"} 1', d.get("/metrics")[1])


class SmallWrongAnswersTest(unittest.TestCase):
    def test_json_duplicates_absolute_targets_nul_bytes_and_open_token_files(self):
        token_file = tempfile.NamedTemporaryFile("w", delete=False, prefix="voiceops-token-")
        token_file.write(daemon_test.TOKEN)
        token_file.close()
        os.chmod(token_file.name, 0o644)
        self.addCleanup(os.unlink, token_file.name)
        d = Daemon(extra="")
        with open(d.config) as f:
            config = f.read()
        config = config.replace("[twilio]\n", '[twilio]\nauth_token_file = "%s"\n' % token_file.name)
        with open(d.config, "w") as f:
            f.write(config)
        del d.env["TWILIO_AUTH_TOKEN"]
        self.addCleanup(d.cleanup)
        d.start()
        self.assertRegex(d.log(), r"<4>.*voiceops-token-.*can be read by any user")

        status, _, _ = d.request("POST", "/twilio/voice", json.dumps(
            {"CallSid": "CAjson", "To": daemon_test.AFTER_HOURS_NUMBER}),
            {"Content-Type": "application/json"})
        self.assertEqual(status, 415)

        params = [("CallSid", "CAdup1"), ("CallSid", "CAdup2"),
                  ("To", daemon_test.AFTER_HOURS_NUMBER), ("From", "+15125550142")]
        from twilio.request_validator import RequestValidator
        import urllib.parse
        signature = RequestValidator(daemon_test.TOKEN).compute_signature(
            d.url + "/twilio/voice", {})  # any: refused before or after the signature
        status, body, _ = d.request("POST", "/twilio/voice", urllib.parse.urlencode(params),
                                    {"Content-Type": "application/x-www-form-urlencoded",
                                     "X-Twilio-Signature": signature})
        self.assertIn(status, (400, 403))
        if status == 400:
            self.assertIn("duplicate", body)

        # The absolute form of the target is served like its origin form.
        form = {"CallSid": "CAabsolute", "From": "+15125550142",
                "To": daemon_test.AFTER_HOURS_NUMBER}
        signature = RequestValidator(daemon_test.TOKEN).compute_signature(
            d.url + "/twilio/voice", form)
        with socket.create_connection(("127.0.0.1", d.port), timeout=10) as s:
            body = urllib.parse.urlencode(form).encode()
            s.sendall(b"POST http://127.0.0.1:%d/twilio/voice HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n"
                      b"X-Twilio-Signature: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                      % (d.port, signature.encode(), len(body)) + body)
            answer = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        self.assertIn(b" 200 ", answer.split(b"\r\n")[0])
        self.assertIn(b"<Gather", answer)

        # A NUL in a value that reaches the log is escaped, never written raw.
        status, _, _ = d.post("/twilio/voice", {"CallSid": "CAnul\x00x", "From": "+15125550142",
                                                "To": daemon_test.AFTER_HOURS_NUMBER})
        self.assertEqual(status, 200)
        with open(d.log_path, "rb") as f:
            raw = f.read()
        self.assertNotIn(b"\x00", raw)
        self.assertIn(b"CAnul\\x00x", raw)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:], verbosity=2)
