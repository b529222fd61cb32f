// The web client's API: GET /api/users/:id.
export const api = {
  getUser: async (id) => (await fetch(`/api/users/${id}`)).json(),
};
