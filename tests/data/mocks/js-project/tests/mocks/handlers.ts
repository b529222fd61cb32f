import { http, HttpResponse } from 'msw';
import cart from '../fixtures/cart.json';

export const handlers = [
  http.get('http://api.test/api/cart', () => HttpResponse.json(cart)), // mock: msw GET http://api.test/api/cart @tests/fixtures/cart.json:1
];
