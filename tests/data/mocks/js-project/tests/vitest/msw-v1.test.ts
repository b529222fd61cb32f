import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rest } from 'msw1';
import { setupServer } from 'msw1/node';
import { fetchUser } from '../../src/users';

const server = setupServer(
  rest.get('http://api.test/api/users/:id', (req, res, ctx) =>
    res(ctx.json({ id: 6, name: 'Rest' })), // mock: msw GET http://api.test/api/users/:id
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('msw v1', () => {
  it('fetches a user through rest handlers', async () => {
    expect((await fetchUser(6)).name).toBe('Rest');
  });
});
