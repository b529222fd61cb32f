const { addItem, itemCount } = require('../src/cart.js');

jest.mock('../src/prices.js', () => ({ priceOf: jest.fn(() => 12) }), { virtual: true });

const expected = process.env.DIALECT_FAIL === '1' ? 3 : 2;

describe('Cart', () => {
  test('adds an item', () => {
    expect(itemCount(addItem({}, 'M1', 2))).toBe(expected);
  });

  test('counts every sku', () => {
    const spy = jest.spyOn(Object, 'values');
    expect(itemCount({ A: 1, B: 1 })).toBe(2);
    spy.mockRestore();
  });

  test.skip('removes an item', () => {});
});
