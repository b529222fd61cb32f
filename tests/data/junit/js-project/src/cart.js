// A tiny cart, enough for real Vitest and Jest runs to report passes, failures and skips.
function addItem(cart, sku, quantity = 1) {
  const count = (cart[sku] || 0) + quantity;
  return { ...cart, [sku]: count };
}

function itemCount(cart) {
  return Object.values(cart).reduce((sum, n) => sum + n, 0);
}

async function fetchPrice(sku) {
  const response = await fetch(`http://127.0.0.1:9/api/prices/${sku}`);
  return (await response.json()).price;
}

module.exports = { addItem, itemCount, fetchPrice };
