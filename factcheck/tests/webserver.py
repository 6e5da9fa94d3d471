"""A loopback web server with one route per kind of answer the outside world gives, for the fetcher, link
check and archive tests (and the link-check benchmark). Counts the requests it receives."""

import contextlib
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE = (
    "<!doctype html><html><head><title>Minister's statement</title><style>p{color:red}</style>"
    "<script>alert('x')</script></head><body><h1>Statement</h1><p>Exports rose by 4% in 2024.</p>"
    "<p>Árvíztűrő tükörfúrógép – ما هذا</p></body></html>"
).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location, status=301):
        self.send(status, b"", headers=[("Location", location)])

    def do_GET(self):
        self.server.hits.append((self.path, dict(self.headers.items())))
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        path = parts.path
        if path in ("/", "/ok"):
            self.send(200, PAGE)
        elif path.startswith("/chain/"):
            # /chain/3 -> /chain/2 -> /chain/1 -> /chain/0 -> 200
            left = int(path.rsplit("/", 1)[1])
            if left:
                self.redirect(f"/chain/{left - 1}")
            else:
                self.send(200, PAGE)
        elif path == "/redirect":
            self.redirect(query["to"][0], int(query.get("status", ["302"])[0]))
        elif path == "/loop":
            self.redirect("/loop-b")
        elif path == "/loop-b":
            self.redirect("/loop")
        elif path == "/404":
            self.send(404, b"<h1>Not found</h1>")
        elif path == "/410":
            self.send(410, b"<h1>Gone</h1>")
        elif path == "/500":
            self.send(500, b"<h1>Server error</h1>")
        elif path == "/slow":
            time.sleep(float(query.get("seconds", ["3"])[0]))
            self.send(200, PAGE)
        elif path == "/drip":
            # Headers at once, then a byte every half second: only a total deadline stops it.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.5)
        elif path == "/huge":
            # No Content-Length: the fetcher must count as it reads.
            size = int(query.get("bytes", [str(50_000_000)])[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            block = b"a" * 65536
            with contextlib.suppress(OSError):
                sent = 0
                while sent < size:
                    self.wfile.write(block)
                    sent += len(block)
            self.close_connection = True
        elif path == "/sized":
            size = int(query["bytes"][0])
            body = (PAGE + b" " * size)[:size]
            self.send(200, body)
        elif path == "/gzip-bomb":
            self.send(200, gzip.compress(b"\0" * 20_000_000), headers=[("Content-Encoding", "gzip")])
        elif path == "/binary":
            self.send(200, bytes(range(256)) * 16, content_type="application/pdf")
        elif path == "/cookies":
            self.send(200, PAGE, headers=[("Set-Cookie", "session=abc123; Path=/; HttpOnly")])
        elif path == "/headers":
            self.send(200, repr(dict(self.headers.items())).encode(), content_type="text/plain")
        else:
            self.send(404, b"no such route")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address):
        self.hits = []
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        pass  # a client that hung up (timeouts, size caps) or refused the test certificate: expected here

    def url(self, path="/"):
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}{path}"


@contextlib.contextmanager
def web_server(host="127.0.0.1"):
    if ":" in host:
        class Server6(Server):
            address_family = __import__("socket").AF_INET6
        server = Server6((host, 0))
    else:
        server = Server((host, 0))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
