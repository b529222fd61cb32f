const nock = require('nock');
const { getCart, cartCount } = require('../../src/cart.js');
const cartFixture = require('../fixtures/cart.json');

describe('Cart', () => {
  afterEach(() => {
    nock.cleanAll();
    jest.restoreAllMocks();
  });

  test('reads the cart through nock', async () => {
    nock('http://api.test')
      .get('/api/cart')
      .reply(200, { lines: [], count: 3 }); // mock: nock GET http://api.test/api/cart 200
    expect((await getCart()).body.count).toBe(3);
  });

  test('reads a fixture file through nock', async () => {
    nock('http://api.test')
      .get('/api/cart')
      .replyWithFile(200, `${__dirname}/../fixtures/cart.json`); // mock: nock GET http://api.test/api/cart 200 @tests/fixtures/cart.json:1
    expect((await getCart()).body.count).toBe(2);
  });

  test('counts with a mocked client', async () => {
    const api = { getCart: jest.fn().mockResolvedValue({ lines: [], count: 4 }) }; // mock: jest.fn
    expect(await cartCount(api)).toBe(4);
  });

  test('counts with the fixture', async () => {
    const api = { getCart: jest.fn().mockResolvedValueOnce(cartFixture) }; // mock: jest.fn @tests/fixtures/cart.json:1
    expect(await cartCount(api)).toBe(2);
  });

  describe('with fetch stubbed', () => {
    beforeEach(() => {
      global.fetch = jest.fn(() =>
        Promise.resolve({ ok: true, status: 201, json: () => Promise.resolve({ lines: [], count: 5 }) }), // mock: fetch 201
      );
    });

    test('reads the stubbed response', async () => {
      expect((await getCart()).body.count).toBe(5);
    });
  });
});
