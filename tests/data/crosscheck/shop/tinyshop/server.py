"""The shop's web server: ``python -m tinyshop.server [--port N]`` listens on 127.0.0.1 (on a
free port by default) and prints ``listening on http://127.0.0.1:PORT`` once it accepts requests."""

import html
import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tinyshop import defects
from tinyshop.cart import add_item, cart_summary
from tinyshop.catalog import PRODUCTS, find
from tinyshop.checkout import format_price, total_cents
from tinyshop.search import search

CARTS = {}
REVIEW_REQUESTS = []
LOCK = threading.Lock()

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav><a href="/">Catalog</a> <a href="/checkout">Checkout</a> <a href="/orders">Orders</a>
<span>Cart: <span data-testid="cart-count">{count}</span></span></nav>
<h1>{title}</h1>{body}
<script>
async function addToCart(sku) {{
  await fetch('/api/cart', {{method: 'POST', body: JSON.stringify({{sku}})}});
  const cart = await (await fetch('/api/cart')).json();
  document.querySelector('[data-testid=cart-count]').textContent = String(cart.count);
}}
</script></body></html>"""


def catalog_body():
    items = "".join(
        f"<li>{html.escape(p.name)} {format_price(p.price_cents)} "
        f"<button onclick=\"addToCart('{p.sku}')\">Add {html.escape(p.name)}</button></li>"
        for p in PRODUCTS
    )
    form = '<form action="/search"><label>Search <input name="q"></label></form>'
    return f"{form}<ul>{items}</ul>"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def cart(self):
        cookie = self.headers.get("Cookie", "")
        visitor = cookie.partition("visitor=")[2].split(";")[0] or None
        with LOCK:
            if visitor not in CARTS:
                visitor = uuid.uuid4().hex
                CARTS[visitor] = {}
        return visitor, CARTS[visitor]

    def send(self, status, body, visitor, content_type="text/html; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Set-Cookie", f"visitor={visitor}; Path=/")
        self.end_headers()
        self.wfile.write(data)

    def page(self, title, body, visitor, cart, status=200):
        count = cart_summary(cart).get("count", "")
        self.send(status, PAGE.format(title=title, body=body, count=count), visitor)

    def do_GET(self):
        visitor, cart = self.cart()
        url = urlparse(self.path)
        if url.path == "/healthz":
            return self.send(200, "ok", visitor, "text/plain")
        if url.path == "/api/cart":
            return self.send(200, json.dumps(cart_summary(cart)), visitor, "application/json")
        if url.path == "/":
            return self.page("Tiny shop", catalog_body(), visitor, cart)
        if url.path == "/checkout":
            total = format_price(total_cents(cart))
            return self.page(
                "Checkout", f'<p>Total <b data-testid="total">{total}</b></p>', visitor, cart
            )
        if url.path == "/search":
            query = parse_qs(url.query).get("q", [""])[0]
            found = "".join(f"<li>{html.escape(p.name)}</li>" for p in search(query))
            return self.page("Search results", f"<ul>{found}</ul>", visitor, cart)
        if url.path == "/orders":
            if defects.active("orders-500"):
                return self.send(500, "<h1>Internal Server Error</h1>", visitor)
            return self.page("Your orders", "<p>No orders yet.</p>", visitor, cart)
        if url.path == "/reviews":
            with LOCK:
                REVIEW_REQUESTS.append(1)
                first = len(REVIEW_REQUESTS) == 1
            if first and defects.active("reviews-cold-start"):
                return self.send(503, "<h1>Warming up</h1>", visitor)
            return self.page("Reviews", "<p>Blue mug: 5 stars</p>", visitor, cart)
        return self.send(404, "<h1>Not found</h1>", visitor)

    def do_POST(self):
        visitor, cart = self.cart()
        if self.path != "/api/cart":
            return self.send(404, "not found", visitor, "text/plain")
        length = int(self.headers.get("Content-Length", "0"))
        sku = json.loads(self.rfile.read(length) or b"{}").get("sku")
        if find(sku) is None:
            return self.send(400, json.dumps({"error": "unknown sku"}), visitor, "application/json")
        with LOCK:
            add_item(cart, sku)
        return self.send(201, json.dumps(cart_summary(cart)), visitor, "application/json")


def main():
    if defects.active("crash-on-start"):
        print("tinyshop: cannot connect to the database", file=sys.stderr)
        sys.exit(3)
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
