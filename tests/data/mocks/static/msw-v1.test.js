// msw v1 handlers, jest-fetch-mock, axios and a few other shapes, read statically.
import { rest } from 'msw';
import axios from 'axios';
import * as orders from './fixtures/order.json';

const server = setupServer(
  rest.get('/api/users/:id', (req, res, ctx) => res(ctx.status(404), ctx.json({ error: 'gone' }))), // mock: msw GET /api/users/:id 404
  rest.post(`${BASE}/api/orders`, (req, res, ctx) => {
    return res(ctx.json({ id: 1, total: 1200 })); // mock: msw POST {BASE}/api/orders
  }),
);

describe('more', () => {
  test.each([1, 2])('axios %i', async (id) => {
    axios.get.mockResolvedValueOnce({ data: { id, name: 'Axios' }, status: 200 }); // mock: vi.fn 200
  });

  it('axios through vi.mocked', () => {
    vi.mocked(axios).get.mockResolvedValue({ data: [{ id: 1 }], status: 200 }); // mock: vi.fn 200
  });

  it('fetch-mock', () => {
    fetchMock.mockResponseOnce(JSON.stringify({ count: 2 })); // mock: fetch
  });

  it('stubs the global fetch', () => {
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ ok: 1 }, { status: 202 }))); // mock: fetch 202
  });

  it('builds responses', () => {
    server.use(
      http.all('*/api/any', () => new HttpResponse(JSON.stringify({ any: true }), { status: 418 })), // mock: msw */api/any 418
    );
  });

  it('nocks through a scope', () => {
    const scope = nock('http://api.test');
    scope.intercept('/api/cart', 'PATCH').reply(200, [{ sku: 'M1' }]); // mock: nock PATCH http://api.test/api/cart 200
  });

  it('reads a namespace import', () => {
    expect(orders).toBeDefined(); // mock: fixture @fixtures/order.json:1
  });
});
