// The product page: "Add to cart" posts to the cart API and updates the header's count.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("add-to-cart");
  const status = document.getElementById("add-status");
  const sku = document.querySelector("[data-sku]").dataset.sku;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const quantity = Number(form.elements.quantity.value);
    try {
      const cart = await window.shopApi.addToCart(sku, quantity);
      window.setCartCount(cart.count);
      status.textContent = `Added ${quantity} to your cart.`;
    } catch (error) {
      status.textContent = `Sorry, that did not work: ${error.message}`;
    }
  });
  form.querySelector("button").disabled = false; // usable once this handler is in place
});
