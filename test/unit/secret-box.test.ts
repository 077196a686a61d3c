import { describe, expect, it } from "vitest";
import { maskSecret } from "../../src/store/secret-box.js";

describe("maskSecret", () => {
  it.each(["", "a", "abcd", "abcde", "abcdefgh", "abcdefghijk"])("shows nothing of a secret shorter than 12 characters: %j", (secret) => {
    expect(maskSecret(secret)).toBe("••••");
  });

  it.each([
    ["abcdefghijkl", "••••ijkl"],
    ["gw-secret-9876", "••••9876"],
    ["Dm0LojaDemoAcc3ssC0de2026AbCdEfGhIjKlMnO", "••••lMnO"],
  ])("shows the last four characters of a secret of 12 or more: %j", (secret, hint) => {
    expect(maskSecret(secret)).toBe(hint);
  });

  it("never shows more than a third of a 12-character secret", () => {
    const secret = "0123456789AB";
    expect(maskSecret(secret).replace(/•/g, "").length).toBeLessThanOrEqual(secret.length / 3);
  });
});
