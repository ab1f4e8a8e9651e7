import { describe, expect, it } from "vitest";
import { outputDifferences } from "../../orchestrator/releases/outputs-diff";

describe("outputs after a rollback against the release", () => {
  const recorded = {
    url: { secret: false as const, value: "https://a.example.com" },
    ports: { secret: false as const, value: [80, 443] },
    token: { secret: true as const },
  };

  it("match when every recorded value is back, secrets compared by presence only", () => {
    const now = {
      url: { value: "https://a.example.com", secret: false },
      ports: { value: [80, 443], secret: false },
      token: { value: "whatever-it-is-now", secret: true },
    };
    expect(outputDifferences(recorded, now)).toEqual([]);
  });

  it("name every value that differs, went missing or appeared", () => {
    const now = {
      url: { value: "https://b.example.com", secret: false },
      token: { value: "x", secret: false },
      extra: { value: 1, secret: false },
    };
    expect(outputDifferences(recorded, now)).toEqual([
      'url: recorded "https://a.example.com", now "https://b.example.com"',
      "ports: recorded, now missing",
      "token: was secret, now is not secret",
      "extra: not recorded, now present",
    ]);
  });
});
