#!/usr/bin/env python3
"""Serves a folder over HTTP on 127.0.0.1 for the demo and end-to-end tests.

Usage: serve.py DIR [PORT]. Port 0 (the default) picks a free port; the
first line printed on stdout is the port actually bound, so the caller can
read it before making requests. Logs go to stderr. Stops on SIGTERM.
"""
import functools
import http.server
import signal
import sys


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    # A plain "text/html" with no charset: pages declare theirs in <meta>,
    # as many real sites do, so the crawler's charset sniffing is exercised.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".txt": "text/plain",
    }

    def log_message(self, format, *args):
        sys.stderr.write("serve.py: " + (format % args) + "\n")


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: serve.py DIR [PORT]")
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
