"""The HTTP side every fake server of the tests shares (fake_odoo.py, fake_twilio.py,
fake_mailgun.py): a threaded HTTP/1.1 server on loopback with keep-alive and
Expect: 100-continue, bodies by Content-Length or chunked up to the fake's ``max_body``, replies
that can hang or drop the connection, a stop() that ends hangs and closes every connection, and
the command line's serve-until-signal.  Standard library only.

A fake subclasses ``LoopbackFake`` and defines ``_handle(command, target, headers, body)``, which
returns a reply with ``status``, ``body``, ``headers`` and ``action`` (None, "hang" or "drop")
and, optionally, ``content_type`` (else the fake's ``content_type``).
"""
import contextlib
import http.server
import os
import signal
import socket
import sys
import threading


class BadBody(Exception):
    """A request body the server will not read: (status, reason)."""


class LoopbackFake:
    """Start/stop, the port and URL, hangs that stop() ends, and connection tracking."""
    name = "fake"                 # the serving thread's name
    server_header = "nginx"       # the Server header the real service sends
    content_type = "application/json; charset=utf-8"
    max_body = 64 * 1024 * 1024

    def __init__(self, host="127.0.0.1", port=0):
        self.hang_seconds = 30
        self._address = (host, port)
        self._stopping = threading.Event()
        self._connections, self._connections_lock = set(), threading.Lock()
        self._server = None

    def start(self):
        """Listens, serves from a thread, and returns the port."""
        handler = type("Handler", (_Handler,), {"server_version": self.server_header})
        self._server = _Server(self._address, handler)
        self._server.fake = self
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name=self.name, daemon=True).start()
        return self.port

    def stop(self):
        """Stops listening, ends hangs and closes every open connection."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._connections_lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return f"http://{self._address[0]}:{self.port}"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def reply_headers(self):
        """Headers the real service adds to every reply."""
        return ()

    def _hang(self):
        self._stopping.wait(self.hang_seconds)

    def _track(self, connection, is_open):
        with self._connections_lock:
            (self._connections.add if is_open else self._connections.discard)(connection)


def serve_until_signal(fake, port_file=None):
    """Serves `fake` until SIGTERM or SIGINT, its port written to `port_file` once listening."""
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # the serving threads inherit the mask
    port = fake.start()
    if port_file:
        with open(port_file + ".tmp", "w", encoding="ascii") as out:
            out.write(f"{port}\n")
        os.replace(port_file + ".tmp", port_file)
    signal.sigwait(stop_signals)
    fake.stop()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """Quiet about clients that go away, loud about bugs in the fake."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive and Expect: 100-continue; bodies by Content-Length or chunked."""
    protocol_version = "HTTP/1.1"
    sys_version = ""

    def log_message(self, format, *args):
        """Quiet: the output is the tests'."""

    def setup(self):
        super().setup()
        self.server.fake._track(self.connection, True)

    def finish(self):
        self.server.fake._track(self.connection, False)
        super().finish()

    def do_GET(self):
        self._serve(b"")

    def do_POST(self):
        try:
            body = self._read_body()
        except BadBody as exc:
            self.send_error(*exc.args)
            return
        self._serve(body)

    do_DELETE = do_PUT = do_POST

    def _too_large(self):
        return BadBody(413, f"The body is over {self.server.fake.max_body // (1024 * 1024)} MiB")

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length", "0").strip()
        if not length.isdigit():
            raise BadBody(400, "Bad Content-Length")
        if int(length) > self.server.fake.max_body:
            raise self._too_large()
        return self.rfile.read(int(length))

    def _read_chunked(self):
        body = bytearray()
        while True:
            try:
                size = int(self.rfile.readline(1024).split(b";")[0], 16)
            except ValueError:
                raise BadBody(400, "Bad chunk size") from None
            if len(body) + size > self.server.fake.max_body:
                raise self._too_large()
            if size == 0:
                break
            body += self.rfile.read(size)
            self.rfile.readline(1024)
        while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return bytes(body)

    def _serve(self, body):
        fake = self.server.fake
        reply = fake._handle(self.command, self.path, self.headers, body)
        if reply.action == "hang":
            fake._hang()
        if reply.action:  # hang or drop: close the connection without a word
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", getattr(reply, "content_type", None) or fake.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in tuple(fake.reply_headers()) + tuple(reply.headers):
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)
