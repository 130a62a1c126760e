#!/usr/bin/env python3
"""scripts/serve.py for the crawl resume and schedule tests, plus two knobs.

Usage: serve.py DIR LOG [DELAY_MS]. Serves DIR on a free 127.0.0.1 port and
prints the port on its first stdout line (as scripts/serve.py does). Each
request's path is appended to LOG, one line per request and flushed, the
moment the request arrives (before any delay), so a request whose client is
killed while waiting is still counted. DELAY_MS (default 0) delays every
response, so a crawl is slow enough to be killed mid-way.
"""
import functools
import http.server
import os
import signal
import sys
import threading
import time


class LoggingHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".txt": "text/plain",
    }
    log_lock = threading.Lock()
    log_file = None
    delay_seconds = 0.0

    def do_GET(self):
        with LoggingHandler.log_lock:
            LoggingHandler.log_file.write(self.path + "\n")
            LoggingHandler.log_file.flush()
        if LoggingHandler.delay_seconds > 0:
            time.sleep(LoggingHandler.delay_seconds)
        super().do_GET()

    def log_message(self, format, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A crawler killed mid-response leaves a broken pipe: expected here.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: serve.py DIR LOG [DELAY_MS]")
    directory, log = sys.argv[1], sys.argv[2]
    LoggingHandler.log_file = open(log, "a", buffering=1)
    if len(sys.argv) > 3:
        LoggingHandler.delay_seconds = int(sys.argv[3]) / 1000.0
    handler = functools.partial(LoggingHandler, directory=directory)
    server = QuietServer(("127.0.0.1", 0), handler)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
