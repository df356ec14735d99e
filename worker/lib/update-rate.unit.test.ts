import { expect, it } from "vitest";
import { UpdateRate } from "./update-rate";

it("counts updates of the last minute only", () => {
  let now = 1_000_000;
  const rate = new UpdateRate(() => now);
  rate.add(5);
  now += 30_000;
  rate.add(3);
  expect(rate.perMinute()).toBe(8);
  now += 31_000; // the first 5 are now older than a minute
  expect(rate.perMinute()).toBe(3);
  now += 120_000;
  expect(rate.perMinute()).toBe(0);
});
