import { getOrders, getUser } from './api';

export async function greeting(): Promise<string> {
  return `Hello, ${(await getUser(1)).name}`;
}

export async function orderTotal(): Promise<number> {
  return (await getOrders()).reduce((sum, order) => sum + order.total, 0);
}

export async function fetchUser(id: number): Promise<{ id: number; name: string }> {
  return (await fetch(`http://api.test/api/users/${id}`)).json();
}

export async function loadCart(): Promise<{ count: number }> {
  return (await fetch('http://api.test/api/cart')).json();
}
