// The API client the Jest suite mocks: fetch, with nock or with a stub.
async function getCart() {
  const response = await fetch('http://api.test/api/cart');
  return { status: response.status, body: await response.json() };
}

async function cartCount(api) {
  return (await api.getCart()).count;
}

module.exports = { getCart, cartCount };
