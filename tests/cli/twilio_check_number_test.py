#!/usr/bin/python3
"""`voiceops twilio check-number` against the fake carrier REST API of
tests/support/fake_twilio.py: a number with a wrong voice URL (exit 1, naming the right one), one
set up right (exit 0), one not on the account, a TwiML App in the way, the fallback, credentials
refused (77), the carrier down (69), the configuration missing (78), usage (64).

    twilio_check_number_test.py VOICEOPS SOURCE_DIR [unittest args]
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from fake_twilio import (ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, AUTH_TOKEN,  # noqa: E402
                         FakeTwilio)

VOICEOPS = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 2 else "build/cli/voiceops"
SOURCE = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else os.getcwd()

PUBLIC_URL = "https://voice.example.com"
VOICE_URL = PUBLIC_URL + "/twilio/voice"
STATUS_URL = PUBLIC_URL + "/twilio/status"
BIN_URL = "https://handler.twilio.com/twiml/EH0123456789abcdef0123456789abcdef"
AGENT_LINE = "+15125550101"  # contracts/after-hours-service.toml's [answers] numbers
OPS_LINE = "+15125550190"    # contracts/ops-line.toml's
AFTER_HOURS = os.path.join(SOURCE, "contracts", "after-hours-service.toml")


def set_up(**changes):
    """An IncomingPhoneNumber's fields as voiceopsd needs them, with `changes`."""
    fields = {"voice_url": VOICE_URL, "voice_method": "POST", "voice_fallback_url": BIN_URL,
              "voice_fallback_method": "POST", "status_callback": STATUS_URL,
              "status_callback_method": "POST"}
    fields.update(changes)
    return fields


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CheckNumberCase(unittest.TestCase):
    def setUp(self):
        self.fake = FakeTwilio()
        self.fake.start()
        self.addCleanup(self.fake.stop)
        self.dir = tempfile.TemporaryDirectory(prefix="voiceops-check-number-")
        self.addCleanup(self.dir.cleanup)
        self.token_file = self.write("twilio-token", AUTH_TOKEN + "\n")

    def write(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(path, 0o600)
        return path

    def config(self, twilio=None, server=None, contracts=(AFTER_HOURS,)):
        """A voiceops.toml for the fake; `twilio` and `server` replace those tables' lines."""
        if twilio is None:
            twilio = (f'account_sid = "{ACCOUNT_SID}"\napi_url = "{self.fake.url}"\n'
                      f'auth_token_file = "{self.token_file}"\ntimeout_ms = 3000\n')
        if server is None:
            server = f'public_url = "{PUBLIC_URL}"\n'
        paths = ", ".join(json.dumps(p) for p in contracts)
        return self.write("voiceops.toml", f"[server]\n{server}[twilio]\n{twilio}"
                                           f"[contracts]\npaths = [{paths}]\n")

    def check(self, *args, config=None, env=None):
        environment = {k: v for k, v in os.environ.items()
                       if not k.startswith(("TWILIO_", "VOICEOPS_"))}
        environment["NO_COLOR"] = "1"
        environment.update(env or {})
        return subprocess.run([VOICEOPS, "--config", config or self.config(), "twilio",
                               "check-number", *args],
                              capture_output=True, text=True, env=environment, timeout=60)

    def assertExit(self, run, status):
        self.assertEqual(run.returncode, status, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")

    def assertNoSecret(self, run):
        for secret in (AUTH_TOKEN, API_KEY_SECRET):
            self.assertNotIn(secret, run.stdout + run.stderr)


class NumbersTest(CheckNumberCase):
    def test_a_wrong_voice_url_exits_1_and_names_the_right_one(self):
        self.fake.add_number(AGENT_LINE, **set_up(voice_url="https://old.example.com/voice"))
        run = self.check()
        self.assertExit(run, 1)
        self.assertIn(VOICE_URL, run.stdout)
        self.assertIn(f"set Voice URL to {VOICE_URL} (now https://old.example.com/voice)",
                      run.stdout)
        self.assertIn("WRONG", run.stdout)
        self.assertIn(f"Phone Numbers > Manage > Active numbers > {AGENT_LINE}", run.stdout)
        self.assertIn(f'"A call comes in": Webhook, URL {VOICE_URL}', run.stdout)
        self.assertIn("1 of 1 number to fix", run.stdout)
        self.assertNoSecret(run)

    def test_a_number_set_up_right_exits_0(self):
        self.fake.add_number(AGENT_LINE, **set_up())
        run = self.check()
        self.assertExit(run, 0)
        self.assertIn(f"{AGENT_LINE}", run.stdout)
        self.assertIn("sends its calls to voiceopsd", run.stdout)
        self.assertNotIn("WRONG", run.stdout)
        self.assertIn("after-hours-service", run.stdout)
        # Read-only, and one filtered read per number.
        requests = self.fake.requests()
        self.assertTrue(requests)
        self.assertEqual({r["method"] for r in requests}, {"GET"})
        self.assertTrue(all(r["path"].endswith("/IncomingPhoneNumbers.json") for r in requests))
        self.assertEqual(requests[0]["query"].get("PhoneNumber"), AGENT_LINE)
        self.assertEqual(requests[0]["user"], ACCOUNT_SID)

    def test_json_names_each_setting_with_its_value_to_set(self):
        self.fake.add_number(AGENT_LINE, **set_up(voice_url="https://old.example.com/voice",
                                                  status_callback=""))
        run = self.check("--format", "json")
        self.assertExit(run, 1)
        out = json.loads(run.stdout)
        self.assertEqual(out["status"], 1)
        self.assertFalse(out["ok"])
        self.assertEqual(out["public_url"], PUBLIC_URL)
        (number,) = out["numbers"]
        self.assertEqual(number["phone_number"], AGENT_LINE)
        self.assertTrue(number["on_account"])
        self.assertTrue(number["sid"].startswith("PN"))
        self.assertEqual([w["id"] for w in number["workflows"]], ["after-hours-service"])
        findings = {f["setting"]: f for f in number["findings"]}
        self.assertEqual(findings["voice_url"]["status"], "wrong")
        self.assertEqual(findings["voice_url"]["expected"], VOICE_URL)
        self.assertEqual(findings["voice_url"]["now"], "https://old.example.com/voice")
        self.assertEqual(findings["status_callback"]["status"], "wrong")
        self.assertEqual(findings["status_callback"]["expected"], STATUS_URL)
        self.assertEqual(findings["voice_method"]["status"], "ok")
        self.assertEqual(findings["fallback_url"]["status"], "ok")
        self.assertEqual(number["fallback_workflow"], "after-hours-service")
        self.assertIn("<Number>+15125550180</Number>", number["fallback_twiml"])
        self.assertEqual(run.stderr, "")

    def test_a_number_not_on_the_account(self):
        self.fake.add_number("+15125550102", **set_up())
        run = self.check()
        self.assertExit(run, 1)
        self.assertIn(f"{AGENT_LINE}: not a number of the account {ACCOUNT_SID}", run.stdout)
        self.assertIn("the account's numbers: +15125550102", run.stdout)

        given = self.check("+15125550199", "--format", "json")
        self.assertExit(given, 1)
        (number,) = json.loads(given.stdout)["numbers"]
        self.assertFalse(number["on_account"])
        self.assertEqual(json.loads(given.stdout)["account_numbers"], ["+15125550102"])

    def test_numbers_given_are_checked_instead_of_the_contracts(self):
        self.fake.add_number(AGENT_LINE, **set_up())
        self.fake.add_number("+15125550102", **set_up(voice_method="GET"))
        run = self.check("+15125550102")
        self.assertExit(run, 1)
        self.assertIn("set Voice method to POST (now GET)", run.stdout)
        self.assertNotIn(f"{AGENT_LINE} ", run.stdout)
        # No contract answers it: voiceopsd would only apologise.
        self.assertIn("no loaded contract answers +15125550102", run.stdout)
        self.assertExit(self.check(AGENT_LINE), 0)

    def test_every_number_of_the_contracts(self):
        self.fake.add_number(AGENT_LINE, **set_up())
        self.fake.add_number(OPS_LINE, **set_up(status_callback_method="GET"))
        contracts = os.path.join(SOURCE, "contracts", "*.toml")
        run = self.check("--format", "json", config=self.config(contracts=(contracts,)))
        self.assertExit(run, 1)
        numbers = {n["phone_number"]: n for n in json.loads(run.stdout)["numbers"]}
        self.assertEqual(sorted(numbers), [AGENT_LINE, OPS_LINE])
        self.assertTrue(numbers[AGENT_LINE]["ok"])
        self.assertEqual(sorted(w["id"] for w in numbers[AGENT_LINE]["workflows"]),
                         ["after-hours-service", "missed-call-booking"])
        self.assertFalse(numbers[OPS_LINE]["ok"])
        wrong = [f["setting"] for f in numbers[OPS_LINE]["findings"] if f["status"] == "wrong"]
        self.assertEqual(wrong, ["status_callback_method"])

    def test_a_twiml_app_takes_the_calls(self):
        self.fake.add_number(AGENT_LINE, **set_up(
            voice_application_sid="AP0123456789abcdef0123456789abcdef"))
        run = self.check()
        self.assertExit(run, 1)
        self.assertIn("TwiML App AP0123456789abcdef0123456789abcdef", run.stdout)
        self.assertIn('"Configure with"', run.stdout)

    def test_a_missing_fallback_shows_the_twiml_to_host(self):
        self.fake.add_number(AGENT_LINE, **set_up(voice_fallback_url=""))
        run = self.check()
        self.assertExit(run, 1)
        self.assertIn("voiceops rollback plan --fallback-twiml --workflow after-hours-service",
                      run.stdout)
        self.assertIn("<Number>+15125550180</Number>", run.stdout)
        self.assertIn('"Primary handler fails"', run.stdout)

    def test_a_fallback_on_the_daemons_own_server(self):
        self.fake.add_number(AGENT_LINE, **set_up(voice_fallback_url=PUBLIC_URL + "/fallback"))
        run = self.check()
        self.assertExit(run, 1)
        self.assertIn("voiceopsd's own server", run.stdout)

    def test_the_configured_fallback_url_is_required(self):
        other = "https://handler.twilio.com/twiml/EHffffffffffffffffffffffffffffffff"
        self.fake.add_number(AGENT_LINE, **set_up(voice_fallback_url=other))
        twilio = (f'account_sid = "{ACCOUNT_SID}"\napi_url = "{self.fake.url}"\n'
                  f'auth_token_file = "{self.token_file}"\nfallback_url = "{BIN_URL}"\n')
        run = self.check(config=self.config(twilio=twilio))
        self.assertExit(run, 1)
        self.assertIn(f"set Fallback URL to {BIN_URL} (now {other}", run.stdout)
        self.assertNotIn("<Number>", run.stdout)  # hosted already: no TwiML to show

    def test_an_api_key_instead_of_the_auth_token(self):
        self.fake.add_number(AGENT_LINE, **set_up())
        twilio = (f'account_sid = "{ACCOUNT_SID}"\napi_url = "{self.fake.url}"\n'
                  f'api_key_sid = "{API_KEY_SID}"\n')
        run = self.check(config=self.config(twilio=twilio),
                         env={"TWILIO_API_KEY_SECRET": API_KEY_SECRET})
        self.assertExit(run, 0)
        self.assertEqual({r["user"] for r in self.fake.requests()}, {API_KEY_SID})
        self.assertNoSecret(run)


class FailuresTest(CheckNumberCase):
    def test_a_refused_token_exits_77(self):
        self.fake.add_number(AGENT_LINE, **set_up())
        self.token_file = self.write("wrong-token", "0" * 32 + "\n")
        run = self.check()
        self.assertExit(run, 77)
        self.assertIn("401", run.stderr)
        self.assertIn("[twilio] account_sid", run.stderr)
        self.assertEqual(run.stdout, "")
        self.assertNotIn("0" * 32, run.stdout + run.stderr)

    def test_the_carrier_down_exits_69(self):
        twilio = (f'account_sid = "{ACCOUNT_SID}"\napi_url = "http://127.0.0.1:{closed_port()}"\n'
                  f'auth_token_file = "{self.token_file}"\n')
        run = self.check(config=self.config(twilio=twilio))
        self.assertExit(run, 69)
        self.assertIn("[twilio] api_url", run.stderr)

    def test_the_carrier_failing_exits_69(self):
        self.fake.add_number(AGENT_LINE, **set_up())
        self.fake.fail("http_500")
        self.assertExit(self.check(), 69)

    def test_missing_configuration_exits_78(self):
        no_sid = f'api_url = "{self.fake.url}"\nauth_token_file = "{self.token_file}"\n'
        run = self.check(config=self.config(twilio=no_sid))
        self.assertExit(run, 78)
        self.assertIn("[twilio] account_sid is not set", run.stderr)

        run = self.check(config=self.config(server=""))
        self.assertExit(run, 78)
        self.assertIn("[server] public_url is not set", run.stderr)

        no_token = f'account_sid = "{ACCOUNT_SID}"\napi_url = "{self.fake.url}"\n'
        run = self.check(config=self.config(twilio=no_token))
        self.assertExit(run, 78)
        self.assertIn("TWILIO_AUTH_TOKEN", run.stderr)
        self.assertEqual(self.fake.requests(), [])

        self.fake.add_number(AGENT_LINE, **set_up())
        from_environment = self.check(config=self.config(twilio=no_token),
                                      env={"TWILIO_AUTH_TOKEN": AUTH_TOKEN})
        self.assertExit(from_environment, 0)

    def test_contracts_that_do_not_load(self):
        missing = os.path.join(self.dir.name, "none", "*.toml")
        run = self.check(config=self.config(contracts=(missing,)))
        self.assertExit(run, 78)
        self.assertIn("matches no contract file", run.stderr)
        # Numbers named still get checked, without the contracts.
        self.fake.add_number(AGENT_LINE, **set_up())
        run = self.check(AGENT_LINE, config=self.config(contracts=(missing,)))
        self.assertExit(run, 0)
        self.assertIn("the contracts did not load", run.stdout)

    def test_usage(self):
        self.assertExit(self.check("5125550101"), 64)
        self.assertExit(self.check("--format", "yaml"), 64)
        self.assertEqual(self.fake.requests(), [])


if __name__ == "__main__":
    unittest.main()
