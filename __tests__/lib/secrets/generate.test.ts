import { ADMIN_PASSWORD_SYMBOLS, generateSecretValue, meetsAdminPasswordPolicy } from "../../../lib/secrets/generate";

describe("secret generators", () => {
  test("token: 32 random bytes, base64url", () => {
    const v = generateSecretValue("token");
    expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(v, "base64url")).toHaveLength(32);
    expect(generateSecretValue("token")).not.toBe(v);
  });

  test("fernet: urlsafe base64 of 32 bytes, padded (Fernet.generate_key format)", () => {
    const v = generateSecretValue("fernet");
    expect(v).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(Buffer.from(v, "base64url")).toHaveLength(32);
  });

  test("password: always meets the chart's initial admin password policy", () => {
    for (let i = 0; i < 200; i++) {
      const v = generateSecretValue("password");
      expect(v).toHaveLength(24);
      expect(meetsAdminPasswordPolicy(v)).toBe(true);
      expect([...v].every((c) => /[A-Za-z0-9]/.test(c) || ADMIN_PASSWORD_SYMBOLS.includes(c))).toBe(true);
    }
  });

  test("the policy check rejects weak passwords", () => {
    expect(meetsAdminPasswordPolicy("short1A!")).toBe(false);
    expect(meetsAdminPasswordPolicy("alllowercase1!")).toBe(false);
    expect(meetsAdminPasswordPolicy("NoSymbolsHere123")).toBe(false);
    expect(meetsAdminPasswordPolicy("Good-Password-1")).toBe(true);
  });

  test("alphanumeric: 32 characters [A-Za-z0-9]", () => {
    expect(generateSecretValue("alphanumeric")).toMatch(/^[A-Za-z0-9]{32}$/);
  });
});
