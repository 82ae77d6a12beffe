#!/usr/bin/python3
"""`voiceops testcalls run --target` against the real voiceopsd on a free loopback port.

With [testing] scripted_integrations on, every shipped call passes, or is skipped only because
the daemon's wall clock puts it in the other hours than its script; with the switch off, every
call is skipped, never passed. Also: exit 64 for another scheme, 69 with a TLS hint for https to
the plain listener, 69 for a daemon that is not there, and
signature failures (a wrong --public-url) fail the calls.

    testcalls_target_test.py --cli build/cli/voiceops --daemon build/daemon/voiceopsd
(run from the repository root)
"""
import argparse
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

TOKEN = "target-test-token"
HOURS_REASON = "on the daemon's clock"
IGNORED_REASON = "daemon does not honour scripted integrations"

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, binary, folder, scripted):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.config = os.path.join(folder, "voiceops-%s.toml" % ("on" if scripted else "off"))
        with open(self.config, "w") as f:
            f.write(
                '[server]\nlisten = "127.0.0.1:%d"\npublic_url = "%s"\ncontrol_socket = "%s"\n'
                '[store]\npath = "%s"\n[contracts]\npaths = ["%s"]\n[testing]\n'
                "scripted_integrations = %s\n"
                % (self.port, self.url, os.path.join(folder, "control-%d.sock" % self.port),
                   os.path.join(folder, "voiceops-%d.db" % self.port),
                   os.path.join(os.getcwd(), "contracts", "*.toml"),
                   "true" if scripted else "false"))
        self.log = open(os.path.join(folder, "daemon-%d.log" % self.port), "w")
        env = dict(os.environ, TWILIO_AUTH_TOKEN=TOKEN)
        self.process = subprocess.Popen([binary, "--config", self.config], env=env,
                                        stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("voiceopsd exited with %d; see %s" %
                                 (self.process.returncode, self.log.name))
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit("voiceopsd did not become ready within 20 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def run_cli(cli, config, *arguments, token=TOKEN):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("TWILIO_AUTH_TOKEN", None)
    if token:
        env["TWILIO_AUTH_TOKEN"] = token
    return subprocess.run([cli, "--config", config, "testcalls", "run", *arguments],
                          env=env, capture_output=True, text=True, timeout=240)


def calls_of(report):
    return [call for pack in report["packs"] for call in pack["calls"]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--daemon", required=True)
    args = parser.parse_args()
    packs = sorted(glob.glob("testcalls/*/"))
    if not packs:
        raise SystemExit("run from the repository root: no testcalls/*/")

    with tempfile.TemporaryDirectory(prefix="voiceops-target-") as folder:
        daemon = Daemon(args.daemon, folder, scripted=True)
        try:
            junit = os.path.join(folder, "target.xml")
            run = run_cli(args.cli, daemon.config, *packs, "--target", daemon.url,
                          "--format", "json", "--junit", junit)
            check(run.returncode == 0, "scripted on: exit %d, stderr: %s" %
                  (run.returncode, run.stderr[-2000:]))
            report = json.loads(run.stdout)
            calls = calls_of(report)
            passed = [c for c in calls if c["passed"]]
            skipped = [c for c in calls if "skipped" in c]
            check(len(calls) > 100, "scripted on: only %d calls reported" % len(calls))
            check(len(passed) > 0, "scripted on: no call passed")
            for call in calls:
                if call["passed"]:
                    continue
                reason = call.get("skipped", "")
                check(HOURS_REASON in reason,
                      "scripted on: %s neither passed nor was skipped for the hours: %s %s" %
                      (call["name"], reason, call["failures"]))
            check(report.get("skipped", 0) == len(skipped), "scripted on: skipped count")
            # The daemon says which escalation rows fired: escalations are checked, not listed
            # as unchecked.
            check(all("escalation" not in c.get("unchecked", []) for c in passed),
                  "scripted on: an escalation expectation went unchecked")
            check(any(c.get("escalation") for c in passed),
                  "scripted on: no passed call escalated")
            for pack in report["packs"]:
                check("coverage_skipped" in pack, "coverage is not judged over --target")
            with open(junit) as f:
                xml = f.read()
            # Coverage is always skipped over --target; skipped calls add their own.
            check(xml.count("<skipped") == len(skipped) + len(report["packs"]),
                  "JUnit shows the skipped calls and coverage")

            # Again, in text: fresh CallSids, so the daemon's store sees new calls.
            again = run_cli(args.cli, daemon.config, *packs, "--target", daemon.url)
            check(again.returncode == 0, "second run: exit %d: %s" %
                  (again.returncode, again.stdout[-2000:] + again.stderr[-2000:]))
            last = again.stdout.strip().splitlines()[-1]
            expected = "%d passed, 0 failed" % len(passed)
            if skipped:
                expected += ", %d skipped" % len(skipped)
            check(last == expected, "second run's closing line is %r, not %r" % (last, expected))

            # A daemon signing for another public URL refuses every webhook: the calls fail.
            forged = run_cli(args.cli, daemon.config, packs[0], "--target", daemon.url,
                             "--public-url", "https://elsewhere.example")
            check(forged.returncode == 1, "wrong --public-url: exit %d" % forged.returncode)
            check("public_url" in forged.stdout, "wrong --public-url: no hint in the report")

            # https:// is spoken, but this listener is plain HTTP: the handshake fails.
            https = run_cli(args.cli, daemon.config, packs[0], "--target",
                            "https://127.0.0.1:%d" % daemon.port)
            check(https.returncode == 69, "https --target: exit %d" % https.returncode)
            check("TLS handshake failed" in https.stderr, "https --target: " + https.stderr)

            ftp = run_cli(args.cli, daemon.config, packs[0], "--target",
                          "ftp://127.0.0.1:%d" % daemon.port)
            check(ftp.returncode == 64, "ftp --target: exit %d" % ftp.returncode)
            check("only http:// and https://" in ftp.stderr, "ftp --target: " + ftp.stderr)

            no_token = run_cli(args.cli, daemon.config, packs[0], "--target", daemon.url,
                               token=None)
            check(no_token.returncode == 78, "no auth token: exit %d" % no_token.returncode)
        finally:
            daemon.stop()

        gone = run_cli(args.cli, daemon.config, packs[0], "--target", daemon.url)
        check(gone.returncode == 69, "stopped daemon: exit %d" % gone.returncode)
        check("unreachable" in gone.stderr, "stopped daemon: " + gone.stderr)

        daemon = Daemon(args.daemon, folder, scripted=False)
        try:
            run = run_cli(args.cli, daemon.config, *packs, "--target", daemon.url,
                          "--format", "json")
            # Every call skipped: nothing was tested, so the run has not passed (exit 1, with
            # why). Until issue 10 this expected 0, which let a smoke test that ran nothing
            # pass in CI; that was wrong for a real user.
            check(run.returncode == 1, "scripted off: exit %d: %s" %
                  (run.returncode, run.stderr[-2000:]))
            check("every call was skipped" in run.stderr, "scripted off: " + run.stderr[-2000:])
            calls = calls_of(json.loads(run.stdout))
            for call in calls:
                reason = call.get("skipped", "")
                check(not call["passed"] and (IGNORED_REASON in reason or HOURS_REASON in reason),
                      "scripted off: %s was not skipped: %s" % (call["name"], call))
            check(any(IGNORED_REASON in c.get("skipped", "") for c in calls),
                  "scripted off: no call skipped for the switch")
        finally:
            daemon.stop()

    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("testcalls --target: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
