// The API client the Vitest suite mocks with vi.mock.
export async function getUser(id: number): Promise<{ id: number; name: string }> {
  return (await fetch(`http://api.test/api/users/${id}`)).json();
}

export async function getOrders(): Promise<Array<{ id: number; total: number }>> {
  return (await fetch('http://api.test/api/orders')).json();
}
