// The checkout page: shows the order summary from GET /api/cart, and the form once there is
// something to pay for.
"use strict";

function renderSummary(cart) {
  const form = document.getElementById("checkout-form");
  const empty = cart.lines.length === 0;
  document.getElementById("summary-empty").hidden = !empty;
  document.getElementById("summary-lines").replaceChildren(...cart.lines.map((line) => {
    const item = document.createElement("li");
    item.textContent = `${line.name} × ${line.quantity}: ${line.line_total}`;
    return item;
  }));
  document.getElementById("summary-total").textContent = cart.total;
  form.hidden = empty;
}

document.addEventListener("DOMContentLoaded", async () => {
  const problem = document.getElementById("summary-error");
  try {
    renderSummary(await window.shopApi.getCart());
  } catch (error) {
    console.error("could not show the order summary:", error);
    problem.textContent = "Sorry, we could not load your order summary. Please try again.";
    problem.hidden = false;
  } finally {
    document.getElementById("summary-loading").hidden = true;
  }
});
