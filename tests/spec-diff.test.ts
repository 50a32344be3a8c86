/** The history view's readable diffs: app specs by entities and fields, other states by path. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appSpecState } from "../lib/artifacts/schemas.ts";
import { diffArtifactStates } from "../lib/artifacts/spec-diff.ts";

const spec = (entities: unknown[], extra: Record<string, unknown> = {}) =>
  appSpecState.parse({ name: "Shop", summary: "Sell things", features: ["Browse"], entities, pages: [{ name: "Home", path: "/" }], ...extra });

describe("artifact diffs", () => {
  it("names added, removed, renamed and retyped entities and fields of an app spec", () => {
    const before = spec([
      { name: "Product", fields: [{ name: "title", type: "string" }, { name: "price", type: "number" }, { name: "sku", type: "string" }] },
      { name: "Client", fields: [{ name: "name", type: "string" }, { name: "email", type: "email" }] },
      { name: "Coupon", fields: [{ name: "code", type: "string" }] },
    ]);
    const after = spec(
      [
        { name: "Product", fields: [{ name: "name", type: "string" }, { name: "price", type: "money", currency: "EUR" }, { name: "sku", type: "string", required: false }, { name: "photo", type: "image" }] },
        { name: "Customer", fields: [{ name: "name", type: "string" }, { name: "email", type: "email" }] },
        { name: "Order", fields: [{ name: "customer", type: "reference", references: "Customer" }] },
      ],
      { name: "Shop 2", features: ["Browse", "Checkout"] },
    );
    const lines = diffArtifactStates("app_spec", before, after).map((c) => c.text);
    assert.deepEqual(lines, [
      'Renamed the app from "Shop" to "Shop 2"',
      "Renamed field title on Product to name",
      "Changed Product.price from number to money, EUR",
      "Made Product.sku optional",
      "Added field photo (image) to Product",
      "Renamed entity Client to Customer",
      "Added entity Order (customer)",
      "Removed entity Coupon",
      "Added feature: Checkout",
    ]);
    assert.deepEqual(diffArtifactStates("app_spec", after, after), [], "no change, no lines");
  });

  it("diffs other states path by path, never as raw JSON", () => {
    const lines = diffArtifactStates("build_progress", { percent: 10, step: "plan", steps: [{ name: "plan" }] }, { percent: 60, step: "generate", steps: [{ name: "plan" }, { name: "generate" }] });
    assert.deepEqual(
      lines.map((c) => [c.kind, c.text]),
      [
        ["changed", "Changed percent: 10 → 60"],
        ["changed", 'Changed step: "plan" → "generate"'],
        ["added", 'Added steps.1: {"name":"generate"}'],
      ],
    );
  });
});
