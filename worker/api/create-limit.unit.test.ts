import { describe, expect, it } from "vitest";
import { CREATE_DOCS_PER_MINUTE } from "../../shared/limits";
import { clientKey, createsPerMinute } from "./create-limit";

const from = (ip?: string) =>
  new Request("https://quire.test/api/docs", { method: "POST", headers: ip === undefined ? {} : { "cf-connecting-ip": ip } });

describe("clientKey", () => {
  it("keys IPv4 by address and IPv6 by its /64, so one host cannot rotate through its prefix", () => {
    expect(clientKey(from("203.0.113.7"))).toBe("203.0.113.7");
    expect(clientKey(from("2001:db8:1:2::1"))).toBe("2001:db8:1:2::/64");
    expect(clientKey(from("2001:0db8:0001:0002:ffff:0:0:9"))).toBe("2001:db8:1:2::/64");
    expect(clientKey(from("2001:db8:1:3::1"))).toBe("2001:db8:1:3::/64");
    // An IPv4 client seen through an IPv6 socket is the same IPv4 client.
    expect(clientKey(from("::ffff:203.0.113.7"))).toBe("203.0.113.7");
  });

  it("puts requests without a usable address in one shared budget", () => {
    expect(clientKey(from())).toBe("no-address");
    expect(clientKey(from("not an address"))).toBe("no-address");
    expect(clientKey(from(""))).toBe("no-address");
  });
});

describe("createsPerMinute", () => {
  it("takes a positive integer from the var, else the default", () => {
    const env = (v: unknown) => ({ CREATE_DOCS_PER_MINUTE: v }) as unknown as Env;
    expect(createsPerMinute(env("100000"))).toBe(100_000);
    expect(createsPerMinute(env(12))).toBe(12);
    for (const bad of [undefined, "", "0", "-3", "2.5", "lots"]) expect(createsPerMinute(env(bad))).toBe(CREATE_DOCS_PER_MINUTE);
  });
});
