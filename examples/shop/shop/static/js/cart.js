// The cart page: renders the lines and the total from GET /api/cart, and changes them in place.
"use strict";

function cartLineRow(line) {
  const row = document.createElement("tr");
  row.dataset.testid = "cart-line";
  row.innerHTML = `
    <td><a></a></td>
    <td><input type="number" min="0" max="99" class="qty"></td>
    <td class="line-total"></td>
    <td><button type="button" class="link">Remove</button></td>`;
  const link = row.querySelector("a");
  link.href = line.url;
  link.textContent = line.name;
  const quantity = row.querySelector("input");
  quantity.value = line.quantity;
  quantity.setAttribute("aria-label", `Quantity of ${line.name}`);
  quantity.addEventListener("change", () =>
    updateCart(window.shopApi.setQuantity(line.sku, Number(quantity.value))));
  row.querySelector(".line-total").textContent = line.line_total;
  const remove = row.querySelector("button");
  remove.setAttribute("aria-label", `Remove ${line.name}`);
  remove.addEventListener("click", () => updateCart(window.shopApi.removeFromCart(line.sku)));
  return row;
}

function renderCart(cart) {
  const empty = cart.lines.length === 0;
  document.getElementById("cart-empty").hidden = !empty;
  document.getElementById("cart-filled").hidden = empty;
  document.getElementById("cart-lines").replaceChildren(...cart.lines.map(cartLineRow));
  document.getElementById("cart-total").textContent = cart.total;
  window.setCartCount(cart.count);
}

async function updateCart(pending) {
  const loading = document.getElementById("cart-loading");
  const problem = document.getElementById("cart-error");
  try {
    renderCart(await pending);
    problem.hidden = true;
  } catch (error) {
    console.error("could not show the cart:", error);
    problem.textContent = "Sorry, we could not load your cart. Please try again.";
    problem.hidden = false;
  } finally {
    loading.hidden = true;
  }
}

document.addEventListener("DOMContentLoaded", () => updateCart(window.shopApi.getCart()));
