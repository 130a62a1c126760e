#!/usr/bin/env python3
"""A loopback HTTP/1.1 server for the fetcher and crawler tests, misbehaving on request.

Usage: serve.py DIR [--robots-status CODE] [--robots-file NAME] [--encoded-dir DIR]

Binds 127.0.0.1 on a free port and prints the port as the first line on
stdout. Files under DIR are served with an ETag (sha1 of the bytes) and
Last-Modified, honouring If-None-Match and If-Modified-Since with 304.
--robots-status answers /robots.txt with that status instead of the file;
--robots-file serves DIR/NAME as /robots.txt.

Special paths:
  /gzip-bomb          50 MB of zeros, Content-Encoding: gzip (about 50 KB on the wire)
  /redirect-loop?n=N  302 to itself with n+1, forever
  /redirect?to=PATH&body=TEXT
                      301 to PATH, with TEXT (default none) as its body
  /slow?seconds=S     waits S seconds (default 5), then a small page
  /status/CODE        an empty response with that status (Retry-After: 1 on 429/503)
  /gzipped-page       a small HTML page sent with Content-Encoding: gzip
  /encoded/ENC/FILE?cut=N
                      FILE from --encoded-dir DIR, sent as is with Content-Encoding: ENC
                      (e.g. the samples in ../shared/data/http-compression); with cut,
                      only its first N bytes (Content-Length says N)
  /client-port        the client's TCP port: shows whether a connection was reused
  /flaky?key=K&fail=N&status=S&retry_after=R
                      the first N requests for key K get status S (default 503) with
                      Retry-After: R when R is given; later ones a small page naming K
  /requests?key=K     how many requests /flaky (or /count) got for key K, as text
  /count?key=K        a small page naming K; counts its requests
  /truncated-gzip?chunked=1
                      a gzip-encoded page whose stream stops halfway (Content-Length
                      matching what is sent, or chunked framing)
  /big?mb=M           M MB of HTML (default 50), chunked without Content-Length
  /charset-lie/NAME   a page whose Content-Type charset lies about its bytes
                      (UTF-8 or CP932); see CHARSET_LIES
  /sitemap-index-big.xml      a sitemap index naming /sitemap-big.xml
  /sitemap-big.xml?n=N        a urlset of N (default 50,000) /sitemap-page/I.html entries
  /sitemap-page/I.html        a small page
  /not-a-feed.rss     application/rss+xml whose body is not XML
  /pages/I.html?links=K       a page linking to /pages/(I*K+1..I*K+K).html
Logs go to stderr. Stops on SIGTERM.
"""
import email.utils
import functools
import gzip
import hashlib
import http.server
import mimetypes
import os
import signal
import sys
import threading
import time
import urllib.parse

BOMB_BYTES = 50 * 1024 * 1024

JA_TEXT = "韓国に26万枚のGPUを供給する"
# path -> (body bytes, Content-Type header): a charset header that lies.
CHARSET_LIES = {
    "/charset-lie/utf8-as-sjis": (
        ("<html><head><title>utf8</title></head><body><p>%s</p></body></html>" % JA_TEXT)
        .encode("utf-8"),
        "text/html; charset=shift_jis"),
    "/charset-lie/utf8-as-latin1": (
        ("<html><head><title>utf8 latin1</title></head><body><p>%s (latin1)</p></body></html>"
         % JA_TEXT).encode("utf-8"),
        "text/html; charset=iso-8859-1"),
    "/charset-lie/sjis-as-utf8": (
        ('<html><head><meta charset="shift_jis"><title>sjis</title></head>'
         "<body><p>%s (sjis)</p></body></html>" % JA_TEXT).encode("cp932"),
        "text/html; charset=utf-8"),
}

COUNTS = {}
COUNTS_LOCK = threading.Lock()


def count_request(key):
    with COUNTS_LOCK:
        COUNTS[key] = COUNTS.get(key, 0) + 1
        return COUNTS[key]


@functools.lru_cache(maxsize=None)
def truncated_gzip():
    page = ("<html><body>" + "".join("<p>paragraph %d of a page cut short</p>" % i
                                     for i in range(2000)) + "</body></html>").encode()
    compressed = gzip.compress(page)
    return compressed[: len(compressed) // 2]


@functools.lru_cache(maxsize=None)
def big_sitemap(n):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    parts.extend("<url><loc>/sitemap-page/%d.html</loc></url>\n" % i for i in range(n))
    parts.append("</urlset>\n")
    return "".join(parts).encode()


@functools.lru_cache(maxsize=None)
def gzip_bomb():
    return gzip.compress(b"\0" * BOMB_BYTES, compresslevel=9)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse can happen
    root = "."
    robots_status = 0
    robots_file = "robots.txt"
    encoded_dir = None

    def log_message(self, format, *args):
        sys.stderr.write("serve.py: " + (format % args) + "\n")

    def send_body(self, status, body, content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_chunked(self, body, content_type, headers):
        """Sends `body` (bytes, or an iterable of bytes) with chunked framing."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        pieces = [body[i:i + 4096] for i in range(0, len(body), 4096)] if isinstance(body, bytes) else body
        try:
            for piece in pieces:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = url.path
        if path == "/gzip-bomb":
            return self.send_body(200, gzip_bomb(), headers=[("Content-Encoding", "gzip")])
        if path == "/gzipped-page":
            page = b"<html><body><p>compressed hello</p></body></html>"
            return self.send_body(200, gzip.compress(page), headers=[("Content-Encoding", "gzip")])
        if path == "/client-port":
            return self.send_body(200, str(self.client_address[1]).encode(), "text/plain")
        if path.startswith("/encoded/") and self.encoded_dir:
            _, _, encoding, name = path.split("/", 3)
            full = os.path.join(self.encoded_dir, os.path.basename(name))
            if not os.path.isfile(full):
                return self.send_body(404, b"not found\n", "text/plain")
            with open(full, "rb") as f:
                body = f.read()
            if "cut" in query:
                body = body[:int(query["cut"][0])]
            encoding = urllib.parse.unquote(encoding)
            return self.send_body(200, body, headers=[("Content-Encoding", encoding)])
        if path == "/flaky":
            key = query.get("key", [""])[0]
            seen = count_request(key)
            if seen <= int(query.get("fail", ["1"])[0]):
                headers = []
                if "retry_after" in query:
                    headers.append(("Retry-After", query["retry_after"][0]))
                status = int(query.get("status", ["503"])[0])
                return self.send_body(status, b"try later\n", "text/plain", headers)
            return self.send_body(200, ("<html><body><p>flaky %s served</p></body></html>" % key).encode())
        if path == "/count":
            key = query.get("key", [""])[0]
            count_request(key)
            return self.send_body(200, ("<html><body><p>counted %s</p></body></html>" % key).encode())
        if path == "/requests":
            with COUNTS_LOCK:
                seen = COUNTS.get(query.get("key", [""])[0], 0)
            return self.send_body(200, str(seen).encode(), "text/plain")
        if path == "/truncated-gzip":
            body = truncated_gzip()
            if query.get("chunked", ["0"])[0] == "1":
                return self.send_chunked(body, "text/html; charset=utf-8",
                                         [("Content-Encoding", "gzip")])
            return self.send_body(200, body, headers=[("Content-Encoding", "gzip")])
        if path == "/big":
            megabytes = int(query.get("mb", ["50"])[0])
            block = b"<p>" + b"x" * 1017 + b"</p>\n"  # 1 KiB
            return self.send_chunked((b"<html><body>" + block * 1024 for _ in range(megabytes)),
                                     "text/html; charset=utf-8", [])
        if path in CHARSET_LIES:
            body, content_type = CHARSET_LIES[path]
            return self.send_body(200, body, content_type)
        if path == "/sitemap-index-big.xml":
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    "<sitemap><loc>/sitemap-big.xml</loc></sitemap></sitemapindex>\n").encode()
            return self.send_body(200, body, "application/xml")
        if path == "/sitemap-big.xml":
            return self.send_body(200, big_sitemap(int(query.get("n", ["50000"])[0])), "application/xml")
        if path.startswith("/sitemap-page/"):
            name = path[len("/sitemap-page/"):]
            return self.send_body(200, ("<html><body><p>sitemap page %s</p></body></html>" % name).encode())
        if path == "/not-a-feed.rss":
            body = b"Sorry, our feed is down for maintenance. {\"error\": true}\n"
            return self.send_body(200, body, "application/rss+xml")
        if path.startswith("/pages/"):
            index = int(path[len("/pages/"):].split(".")[0])
            links = int(query.get("links", ["2"])[0])
            hrefs = "".join('<a href="/pages/%d.html?links=%d">next</a>' % (index * links + k, links)
                            for k in range(1, links + 1))
            return self.send_body(200, ("<html><body><p>page %d</p>%s</body></html>" % (index, hrefs)).encode())
        if path == "/redirect-loop":
            n = int(query.get("n", ["0"])[0])
            return self.send_body(302, b"", headers=[("Location", "/redirect-loop?n=%d" % (n + 1))])
        if path == "/redirect":
            body = query.get("body", [""])[0].encode()
            return self.send_body(301, body, "text/plain",
                                  headers=[("Location", query.get("to", ["/"])[0])])
        if path == "/slow":
            time.sleep(float(query.get("seconds", ["5"])[0]))
            return self.send_body(200, b"<html><body>finally</body></html>")
        if path.startswith("/status/"):
            code = int(path[len("/status/"):])
            headers = [("Retry-After", "1")] if code in (429, 503) else []
            return self.send_body(code, b"", headers=headers)
        if path == "/robots.txt" and self.robots_status:
            return self.send_body(self.robots_status, b"robots unavailable\n", "text/plain")
        if path == "/robots.txt":
            path = "/" + self.robots_file
        return self.send_file(path)

    def send_file(self, path):
        relative = urllib.parse.unquote(path).lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        full = os.path.realpath(os.path.join(self.root, relative))
        if not full.startswith(os.path.realpath(self.root) + os.sep) or not os.path.isfile(full):
            return self.send_body(404, b"not found\n", "text/plain")
        with open(full, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        mtime = int(os.path.getmtime(full))
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            if etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*":
                return self.send_body(304, b"", headers=validators)
        elif self.headers.get("If-Modified-Since"):
            try:
                since = email.utils.parsedate_to_datetime(self.headers["If-Modified-Since"])
                if mtime <= since.timestamp():
                    return self.send_body(304, b"", headers=validators)
            except (TypeError, ValueError):
                pass
        content_type = mimetypes.guess_type(full)[0] or "application/octet-stream"
        if full.endswith(".rss"):
            content_type = "application/rss+xml"
        elif full.endswith(".xml"):
            content_type = "application/xml"
        elif full.endswith(".txt"):
            content_type = "text/plain"
        elif full.endswith(".html"):
            content_type = "text/html"  # no charset: pages declare theirs in <meta>
        return self.send_body(200, body, content_type, validators)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit("usage: serve.py DIR [--robots-status CODE] [--robots-file NAME] [--encoded-dir DIR]")
    Handler.root = args[0]
    if "--robots-status" in args:
        Handler.robots_status = int(args[args.index("--robots-status") + 1])
    if "--encoded-dir" in args:
        Handler.encoded_dir = args[args.index("--encoded-dir") + 1]
    if "--robots-file" in args:
        Handler.robots_file = args[args.index("--robots-file") + 1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
