#!/usr/bin/python3
"""voiceopsd under load, against nginx on the same machine in the same run.

1. Throughput: wrk as fast as it can against the daemon's webhook path, where every request is a
   new call arriving (POST /twilio/voice, signed, answered by the engine, committed to SQLite),
   beside wrk against a static file of the same size served by nginx. Prints both and the ratio
   (aim: at least 0.25 of nginx's requests per second).
2. Latency at that load: both again, paced at a quarter of nginx's rate (random gaps between
   requests on each connection, so arrivals do not come in lockstep), with their p99 (aim: the
   daemon under 5 ms). Flat out, a closed-loop client only measures its own queue: with 32
   connections, latency is 32 / (requests per second) whatever the server does.
3. Memory per active call: resident memory before and after 1,000 calls are left in progress.

    bench/daemon_load.py VOICEOPSD [SECONDS]

BENCH_STORE_DIR puts the store elsewhere (e.g. /dev/shm, to see what the disk costs);
BENCH_THREADS sets the daemon's --threads (default 2); BENCH_CONNECTIONS wrk's -c (default 32);
BENCH_ROUNDS the paced rounds (default 3).
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

from twilio.request_validator import RequestValidator

VOICEOPSD = sys.argv[1]
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 8
SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "bench-token"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


# Shared by both servers' wrk scripts: cycle through `requests` from $BENCH_FIRST, and when
# $BENCH_PACE_MS is set, leave a random gap (mean BENCH_PACE_MS) before each request.
LUA_COMMON = """
local i = tonumber(os.getenv("BENCH_FIRST") or "0") % #requests
request = function()
  i = i % #requests + 1
  return requests[i]
end
local pace_ms = tonumber(os.getenv("BENCH_PACE_MS") or "0")
if pace_ms > 0 then
  delay = function() return math.floor(math.random() * 2 * pace_ms) end
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port, path="/"):
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server on port %d did not come up" % port)


def wrk(url, script, first=0, pace_ms=0.0):
    """Runs wrk; `first` is where in the script's request list to start, `pace_ms` the mean gap
    each connection leaves between requests (0: none). Returns req/s, p99 ms, non-2xx count."""
    args = ["wrk", "-t1", "-c%d" % CONNECTIONS, "-d%ds" % SECONDS, "--latency", "-s", script]
    env = dict(os.environ, BENCH_FIRST=str(first), BENCH_PACE_MS=str(pace_ms))
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def main():
    work = tempfile.mkdtemp(prefix="voiceops-bench-")
    processes = []
    try:
        port = free_port()
        url = "http://127.0.0.1:%d" % port
        config = os.path.join(work, "voiceops.toml")
        with open(config, "w") as f:
            f.write(f"""[server]
listen = "127.0.0.1:{port}"
public_url = "{url}"
control_socket = "{work}/control.sock"
[store]
path = "{os.environ.get("BENCH_STORE_DIR", work)}/voiceops-bench.db"
[contracts]
paths = ["{SOURCE}/contracts/*.toml"]
""")
        log = open(os.path.join(work, "voiceopsd.log"), "w")
        daemon = subprocess.Popen([VOICEOPSD, "--config", config, "--threads",
                                   os.environ.get("BENCH_THREADS", "2")], stderr=log,
                                  env=dict(os.environ, TWILIO_AUTH_TOKEN=TOKEN))
        processes.append(daemon)
        wait_http(port, "/healthz")

        # Signed requests, one new call each, more than wrk can send in the time.
        validator = RequestValidator(TOKEN)
        lines = os.path.join(work, "requests.txt")
        with open(lines, "w") as f:
            for i in range(max(200_000, SECONDS * (12_000 + ROUNDS * 4_000))):
                params = {"CallSid": "CAbench%08d" % i, "From": "+15125550142",
                          "To": "+15125550101", "CallStatus": "ringing"}
                sig = validator.compute_signature(url + "/twilio/voice", params)
                f.write("%s %s\n" % (sig, urllib.parse.urlencode(params)))
        script = os.path.join(work, "voice.lua")
        with open(script, "w") as f:
            f.write("""
local requests = {}
for line in io.lines("%s") do
  local sig, body = line:match("^(%%S+) (.*)$")
  requests[#requests + 1] = wrk.format("POST", "/twilio/voice",
    {["Content-Type"] = "application/x-www-form-urlencoded", ["X-Twilio-Signature"] = sig}, body)
end
%s""" % (lines, LUA_COMMON))

        # nginx serving a file the size of the daemon's answer.
        conn = http.client.HTTPConnection("127.0.0.1", port)
        params = {"CallSid": "CAsize", "From": "+15125550142", "To": "+15125550101"}
        conn.request("POST", "/twilio/voice", urllib.parse.urlencode(params),
                     {"X-Twilio-Signature": validator.compute_signature(url + "/twilio/voice", params)})
        answer = conn.getresponse().read()
        html = os.path.join(work, "html")
        os.makedirs(html)
        with open(os.path.join(html, "answer.xml"), "wb") as f:
            f.write(answer)
        nginx_port = free_port()
        nginx_conf = os.path.join(work, "nginx.conf")
        with open(nginx_conf, "w") as f:
            f.write(f"""worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server {{ listen 127.0.0.1:{nginx_port}; root {html}; }}
}}
""")
        nginx = subprocess.Popen(["nginx", "-c", nginx_conf, "-p", work])
        processes.append(nginx)
        wait_http(nginx_port, "/answer.xml")

        # The same client work for both: wrk calls a Lua request() for every request.
        static_script = os.path.join(work, "static.lua")
        with open(static_script, "w") as f:
            f.write("""
local requests = {}
for i = 1, 1000 do requests[i] = wrk.format("GET", "/answer.xml") end
%s""" % LUA_COMMON)
        nginx_url = "http://127.0.0.1:%d/answer.xml" % nginx_port
        nginx_rps, nginx_p99, _ = wrk(nginx_url, static_script)
        daemon_rps, daemon_p99, errors = wrk(url + "/twilio/voice", script)
        print("flat out (%d connections):" % CONNECTIONS)
        print("  nginx static file    %9.0f req/s   p99 %6.2f ms" % (nginx_rps, nginx_p99))
        print("  voiceopsd new calls  %9.0f req/s   p99 %6.2f ms   (%d non-2xx)" %
              (daemon_rps, daemon_p99, errors))
        ratio = daemon_rps / nginx_rps
        print("  ratio voiceopsd/nginx %8.2f   (aim >= 0.25)" % ratio)

        # Paced at a quarter of nginx's rate, in alternating rounds (this machine's noise moves a
        # single p99 by milliseconds); the daemon's calls continue past those sent above.
        target = nginx_rps / 4
        pace_ms = 1000.0 * CONNECTIONS / target
        first = int(daemon_rps * SECONDS * 1.2) + 1000
        nginx_rounds, daemon_rounds = [], []
        for _ in range(ROUNDS):
            nginx_rounds.append(wrk(nginx_url, static_script, pace_ms=pace_ms))
            daemon_rounds.append(wrk(url + "/twilio/voice", script, first=first, pace_ms=pace_ms))
            first += int(target * SECONDS * 1.2) + 1000
            errors += daemon_rounds[-1][2]

        def median_p99(rounds):
            return sorted(r[1] for r in rounds)[len(rounds) // 2]

        print("paced at a quarter of nginx's rate (%.0f req/s offered), %d rounds each:" %
              (target, ROUNDS))
        for name, rounds in (("nginx static file", nginx_rounds),
                             ("voiceopsd new calls", daemon_rounds)):
            print("  %-20s %9.0f req/s   p99 %6.2f ms median   (rounds: %s)" %
                  (name, sum(r[0] for r in rounds) / len(rounds), median_p99(rounds),
                   ", ".join("%.2f" % r[1] for r in rounds)))
        paced_p99 = median_p99(daemon_rounds)
        print("  daemon p99 %.2f ms (aim < 5 ms: %s); %.1fx nginx's p99 at the same load" %
              (paced_p99, "met" if paced_p99 < 5 else "NOT met",
               paced_p99 / max(median_p99(nginx_rounds), 0.001)))
        metrics = http.client.HTTPConnection("127.0.0.1", port)
        metrics.request("GET", "/metrics")
        text = metrics.getresponse().read().decode()
        buckets = [(float(le), int(n)) for le, n in re.findall(
            r'voiceops_webhook_duration_seconds_bucket\{endpoint="/twilio/voice",le="([\d.e-]+)"\} (\d+)', text)]
        total = int(re.search(r'voiceops_webhook_duration_seconds_count\{endpoint="/twilio/voice"\} (\d+)', text).group(1))
        def quantile(q):
            for le, n in buckets:
                if n >= q * total:
                    return le * 1000
            return float("inf")
        print("the daemon's own time per webhook over both runs (its histogram): "
              "p50 <= %.2f ms, p99 <= %.2f ms" % (quantile(0.5), quantile(0.99)))

        # Memory per call in progress (a new connection: the first one has idled out by now).
        conn = http.client.HTTPConnection("127.0.0.1", port)
        before = rss_kib(daemon.pid)
        for i in range(1000):
            params = {"CallSid": "CAmem%05d" % i, "From": "+15125550142", "To": "+15125550101"}
            conn.request("POST", "/twilio/voice", urllib.parse.urlencode(params),
                         {"X-Twilio-Signature": validator.compute_signature(url + "/twilio/voice", params)})
            conn.getresponse().read()
            params = {"CallSid": "CAmem%05d" % i, "SpeechResult": "my furnace is blowing cold air",
                      "Confidence": "0.9"}
            conn.request("POST", "/twilio/gather", urllib.parse.urlencode(params),
                         {"X-Twilio-Signature": validator.compute_signature(url + "/twilio/gather", params)})
            conn.getresponse().read()
        after = rss_kib(daemon.pid)
        print("memory: %d KiB resident before, %d KiB with 1,000 more calls in progress: "
              "%.1f KiB per call (call state lives in SQLite, not in the process)" %
              (before, after, (after - before) / 1000.0))
        return 0 if errors == 0 else 1
    finally:
        for p in processes:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
