import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import * as api from '../../src/api';
import { fetchUser, greeting, loadCart, orderTotal } from '../../src/users';
import { handlers } from '../mocks/handlers';
import user from '../fixtures/user.json';

vi.mock('../../src/api', () => ({
  getUser: vi.fn(async () => ({ id: 1, name: 'Module' })), // mock: vi.fn
  getOrders: vi.fn(),
}));

const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ORDERS = [{ id: 7, total: 1200 }, { id: 8, total: 300 }]; // mock: vi.fn

describe('users', () => {
  it('greets through the module mock', async () => {
    expect(await greeting()).toBe('Hello, Module');
  });

  it('greets the user', async () => {
    vi.mocked(api.getUser).mockResolvedValue({ id: 1, name: 'Test' }); // mock: vi.fn
    expect(await greeting()).toBe('Hello, Test');
  });

  describe('orders', () => {
    beforeEach(() => {
      vi.mocked(api.getOrders).mockResolvedValue(ORDERS);
    });

    it('adds the totals', async () => {
      expect(await orderTotal()).toBe(1500);
    });

    it('adds them once more', async () => {
      expect(await orderTotal()).toBeGreaterThan(0);
    });
  });

  it('uses an implementation', async () => {
    vi.mocked(api.getUser).mockImplementation(async () => ({ id: 2, name: 'Impl' })); // mock: vi.fn
    expect(await greeting()).toBe('Hello, Impl');
  });

  it('greets from a plain return value', async () => {
    vi.mocked(api.getUser).mockReturnValue(Promise.resolve({ id: 5, name: 'Plain' })); // mock: vi.fn
    expect(await greeting()).toBe('Hello, Plain');
  });
});

describe('http', () => {
  it('fetches a user through msw', async () => {
    server.use(
      http.get('http://api.test/api/users/:id', () =>
        HttpResponse.json({ id: 3, name: 'Msw' }, { status: 200 }), // mock: msw GET http://api.test/api/users/:id 200
      ),
    );
    expect((await fetchUser(3)).name).toBe('Msw');
  });

  it('reads the cart from the shared handlers', async () => {
    expect((await loadCart()).count).toBe(2);
  });

  it('stubs fetch', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ id: 4, name: 'Spy' }), { status: 200 }), // mock: fetch 200
    );
    expect((await fetchUser(4)).name).toBe('Spy');
    vi.restoreAllMocks();
  });

  it('reads a fixture', () => {
    expect(user.name).toBe('Fixture'); // mock: fixture @tests/fixtures/user.json:1
  });
});
