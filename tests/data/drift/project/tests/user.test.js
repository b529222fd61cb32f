// The web client's unit test, written when GET /api/users/:id answered the user itself.
import { describe, expect, it, vi } from "vitest";
import { api } from "../src/api.js";
import { greeting } from "../src/greeting.js";

vi.mock("../src/api.js");

describe("user", () => {
  it("shows the name", async () => {
    api.getUser.mockResolvedValue({ id: 1, name: "Test" });
    expect(await greeting(1)).toBe("Hello, Test");
  });
});
