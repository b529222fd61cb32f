import { api } from "./api.js";

export async function greeting(id) {
  const user = await api.getUser(id);
  return `Hello, ${user.name}`;
}
