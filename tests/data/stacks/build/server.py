"""A tiny service for the stack tests; its behaviour comes from environment variables.

START_DELAY  seconds to wait before listening      EXIT_CODE   exit at once with this code
DIE_AFTER    seconds after listening, then exit 3   NAME        shown in every answer
"""

import http.server
import os
import signal
import sys
import threading
import time

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
name = os.environ.get("NAME", "app")
print(f"{name}: starting", flush=True)
if "EXIT_CODE" in os.environ:
    print(f"{name}: boom, exiting with {os.environ['EXIT_CODE']}", flush=True)
    sys.exit(int(os.environ["EXIT_CODE"]))
time.sleep(float(os.environ.get("START_DELAY", "0")))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"ok {name} {os.environ.get('MESSAGE', '')}".strip().encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def die_later(seconds: float) -> None:
    time.sleep(seconds)
    print(f"{name}: dying now", flush=True)
    os._exit(3)


if "DIE_AFTER" in os.environ:
    threading.Thread(target=die_later, args=(float(os.environ["DIE_AFTER"]),), daemon=True).start()
server = http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8000"))), Handler)
print(f"{name}: listening on {server.server_address[1]}", flush=True)
server.serve_forever()
