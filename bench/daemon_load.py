#!/usr/bin/python3
"""voiceopsd under load, against nginx on the same machine in the same run.

1. wrk against the daemon's webhook path: every request is a new call arriving
   (POST /twilio/voice, signed, answered by the engine, written to SQLite), beside wrk against a
   static file of the same size served by nginx. Prints both, the ratio (aim: at least 0.25 of
   nginx's requests per second) and the daemon's p99 (aim: under 5 ms).
2. Memory per active call: resident memory before and after 1,000 calls are left in progress.

    bench/daemon_load.py VOICEOPSD [SECONDS]

BENCH_STORE_DIR puts the store elsewhere (e.g. /dev/shm, to see what the disk costs);
BENCH_THREADS sets the daemon's --threads (default 2); BENCH_CONNECTIONS wrk's -c (default 32).
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


def wrk(url, script=None):
    args = ["wrk", "-t1", "-c%d" % CONNECTIONS, "-d%ds" % SECONDS, "--latency"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
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
            for i in range(200_000):
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
local i = 0
request = function()
  i = i %% #requests + 1
  return requests[i]
end
""" % lines)

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
local i = 0
request = function()
  i = i % #requests + 1
  return requests[i]
end
""")
        nginx_rps, nginx_p99, _ = wrk("http://127.0.0.1:%d/answer.xml" % nginx_port, static_script)
        daemon_rps, daemon_p99, errors = wrk(url + "/twilio/voice", script)
        print("nginx static file      %9.0f req/s   p99 %6.2f ms" % (nginx_rps, nginx_p99))
        print("voiceopsd new calls    %9.0f req/s   p99 %6.2f ms   (%d non-2xx)" %
              (daemon_rps, daemon_p99, errors))
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
        print("  the daemon's own time per webhook (its histogram): p50 <= %.2f ms, p99 <= %.2f ms" %
              (quantile(0.5), quantile(0.99)))
        ratio = daemon_rps / nginx_rps
        print("ratio voiceopsd/nginx  %9.2f   (aim >= 0.25)   p99 aim < 5 ms: %s" %
              (ratio, "met" if daemon_p99 < 5 else "NOT met"))

        # Memory per call in progress.
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
