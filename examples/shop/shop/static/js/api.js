// The shop's API client: every page script talks to the JSON API through these functions.
// The cart endpoints answer with the cart itself: {lines, count, total, total_cents}.
"use strict";

async function apiRequest(method, url, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  const data = await response.json();
  if (!response.ok) {
    throw new Error(data.error || `${method} ${url} answered ${response.status}`);
  }
  return data;
}

window.shopApi = {
  getCart: () => apiRequest("GET", "/api/cart"),
  addToCart: (sku, quantity) => apiRequest("POST", "/api/cart", { sku, quantity }),
  setQuantity: (sku, quantity) =>
    apiRequest("PATCH", `/api/cart/${encodeURIComponent(sku)}`, { quantity }),
  removeFromCart: (sku) => apiRequest("DELETE", `/api/cart/${encodeURIComponent(sku)}`),
};

window.setCartCount = (count) => {
  document.querySelector("[data-testid=cart-count]").textContent = String(count);
};
