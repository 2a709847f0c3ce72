"""A local HTTP server that serves list files and misbehaves on request (per path prefix).

``/ok/NAME`` serves the file; ``/500/``, ``/reset/``, ``/drip/``, ``/short/`` (a Content-Length
larger than the body), ``/loop/`` (redirects to itself), ``/html/`` (200 with an error page),
``/hang/`` (headers, then silence) and ``/gzbomb/`` misbehave. Requests are counted per path,
so tests can tell whether the client retried.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HTML = (b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
        b"<body><h1>Maintenance</h1></body></html>")


class FaultServer:
    """Start with ``with FaultServer(files) as server:``; ``server.url`` is the base URL."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.hits: Counter[str] = Counter()
        self.stop_hanging = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                outer.hits[self.path] += 1
                _, mode, *rest = self.path.split("/")
                name = rest[-1] if rest else ""
                body = outer.files.get(name, b"")
                try:
                    outer.respond(self, mode, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                return  # clients killed mid-download are the point of these tests

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def respond(self, handler: BaseHTTPRequestHandler, mode: str, body: bytes) -> None:
        """Answer one request the way ``mode`` says."""
        if mode == "500":
            self._send(handler, 500, b"internal error")
        elif mode == "reset":
            # Linger 0 makes close() send RST; every reference to the socket must go first.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                          struct.pack("ii", 1, 0))
            handler.close_connection = True
            handler.rfile.close()
            handler.wfile.close()
            handler.connection.close()
        elif mode == "html":
            self._send(handler, 200, HTML, content_type="text/html")
        elif mode == "loop":
            handler.send_response(302)
            handler.send_header("Location", handler.path)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        elif mode == "short":
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body) * 2))
            handler.end_headers()
            handler.wfile.write(body)
            handler.wfile.flush()
            handler.close_connection = True
        elif mode == "drip":
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            for index in range(0, min(len(body), 64)):
                handler.wfile.write(body[index:index + 1])
                handler.wfile.flush()
                time.sleep(0.05)
            self.stop_hanging.wait(10)
            handler.close_connection = True
        elif mode == "hang":
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.flush()
            self.stop_hanging.wait(10)
            handler.close_connection = True
        else:
            self._send(handler, 200, body)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes,
              content_type: str = "application/octet-stream") -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_hanging.set()
        self.server.shutdown()
        self.server.server_close()
