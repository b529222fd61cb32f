"""A two-page app: ``python -m app.server --port N`` serves / (a greeting) and /counter (a
button that counts), and /healthz. APP_DEFECT=greeting or counter breaks one of them;
APP_DEFECT=flaky fails the first request for /counter (a retry passes); APP_DEFECT=boot makes it
exit before it listens; /stop makes it exit 7 at once (the environment dies under a journey);
/hang makes it stop answering; /form and POST /echo take a value and log it in many spellings
(what the secrets tests search)."""

import argparse
import base64
import html
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, quote_plus

from app.greeting import greeting_for

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>"""
COUNTER = """<p>Count: <span data-testid="count">0</span></p>
<button onclick="bump()">Add one</button>
<script>function bump() {{
  const el = document.querySelector('[data-testid=count]');
  el.textContent = String(Number(el.textContent) + {step});
}}</script>"""


FIRST_COUNTER = threading.Event()
HUNG = threading.Event()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        print(f"{self.command} {self.path}", flush=True)

    def do_GET(self):
        if HUNG.is_set():  # a server that stopped answering: every request waits forever
            threading.Event().wait()
        if self.path == "/hang":
            HUNG.set()
            return self.send(200, PAGE.format(title="Hanging", body="from now on"))
        if self.path == "/healthz":
            return self.send(200, "ok")
        if self.path == "/":
            body = f'<p data-testid="greeting">{greeting_for("visitor")}</p>'
            body += '<a href="/counter">Counter</a>'
            # a console line of its own: Chromium logs the favicon 404 once per browser only
            body += '<script>console.info("home page shown")</script>'
            return self.send(200, PAGE.format(title="Home", body=body))
        if self.path == "/counter" and not FIRST_COUNTER.is_set():
            FIRST_COUNTER.set()
            if os.environ.get("APP_DEFECT") == "flaky":
                return self.send(503, PAGE.format(title="Busy", body="try again"))
        if self.path == "/counter":
            step = 2 if os.environ.get("APP_DEFECT") == "counter" else 1
            return self.send(200, PAGE.format(title="Counter", body=COUNTER.format(step=step)))
        if self.path == "/form":
            field = '<label>Token <input id="t" name="t"></label>'
            return self.send(200, PAGE.format(title="Form", body=field))
        if self.path == "/stop":  # the app stops itself: a stack that dies under a journey
            print("stopping: asked by /stop", flush=True)
            self.send(200, PAGE.format(title="Stopping", body="bye"))
            os._exit(7)
        if self.path == "/hostile":  # a title made of markup: reports must show it as text
            title = "<script>window.pwned = 1</script>"
            return self.send(200, PAGE.format(title=title, body="<p>hostile</p>"))
        return self.send(404, PAGE.format(title="Not found", body=""))

    def do_POST(self):
        """/echo logs the form field ``t`` the way careless apps do: raw, URL- and form-encoded,
        JSON- and HTML-escaped, and inside a Basic auth header."""
        length = int(self.headers.get("Content-Length", "0"))
        value = parse_qs(self.rfile.read(length).decode()).get("t", [""])[0]
        basic = base64.b64encode(f"qa:{value}".encode()).decode()
        print(f"echo raw={value} url={quote(value)} form={quote_plus(value)}", flush=True)
        print(f"echo json={json.dumps(value)} html={html.escape(value)}", flush=True)
        print(f"echo Authorization: Basic {basic}", flush=True)
        return self.send(200, json.dumps({"t": value}))

    def send(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")  # 0.0.0.0 in a container
    given = parser.parse_args()
    port = given.port
    if os.environ.get("APP_DEFECT") == "boot":
        print("cannot start: APP_DEFECT=boot", flush=True)
        sys.exit(3)
    server = ThreadingHTTPServer((given.host, port), Handler)
    print(f"listening on http://{given.host}:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
