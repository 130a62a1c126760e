#!/usr/bin/env python3
"""A 127.0.0.1 server for tests/hostile_input_test.cc's limit tests.

Usage: serve_limits.py. Binds a free port and prints it as the first line on
stdout. Paths:
  /chain/N      redirects (302) to /chain/N-1; /chain/0 is a small article
  /bytes/N      an HTML article of exactly N bytes (N >= 512)
  /links/N      a page with N distinct same-site links (to /chain/0?i=K)
anything else is 404 (so robots.txt allows everything). Stops on SIGTERM.
"""
import http.server
import signal
import sys

ARTICLE = ("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
           "<title>limits</title></head><body><article><h1>limits</h1>"
           "<p>NVIDIAは韓国に26万枚のGPUを供給する。</p>")


def article(size):
    head = ARTICLE.encode("utf-8")
    tail = b"</article></body></html>\n"
    padding = size - len(head) - len(tail) - len(b"<!---->")
    if padding < 0:
        return None
    return head + b"<!--" + b"x" * padding + b"-->" + tail


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send_body(self, body, status=200):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        try:
            n = int(parts[1]) if len(parts) == 2 else -1
        except ValueError:
            n = -1
        if parts[0] == "chain" and n > 0:
            self.send_response(302)
            self.send_header("Location", "/chain/%d" % (n - 1))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts[0] == "chain" and n == 0:
            self.send_body(article(2048))
        elif parts[0] == "bytes" and n >= 512:
            self.send_body(article(n))
        elif parts[0] == "links" and n >= 0:
            links = "".join('<a href="/chain/0?i=%d">%d</a> ' % (i, i) for i in range(n))
            self.send_body((ARTICLE + "<p>" + links + "</p></article></body></html>").encode())
        else:
            self.send_body(b"not found", 404)


class QuietServer(http.server.ThreadingHTTPServer):
    # The crawler hangs up on a body past its limit; that is the point.
    def handle_error(self, request, client_address):
        pass


def main():
    server = QuietServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
