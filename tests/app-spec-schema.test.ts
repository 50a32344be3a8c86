/**
 * App spec schema v2: the consistency rules a field cannot check alone, the JSON Schema given
 * to model agents, and stored v1 specs (written as rows, the way v1 wrote them) still loading
 * through the store on both databases.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { appSpecState, readAppSpec, upgradeAppSpec } from "../lib/artifacts/schemas.ts";
import type { Scope } from "../lib/store/index.ts";
import { createTestDatabase, postgresSkipReason, PROVIDERS, type TestDatabase } from "./helpers/databases.ts";

const base = { name: "Team", summary: "A team", features: [], pages: [] };
const withFields = (fields: unknown[], extra: unknown[] = []) => ({
  ...base,
  entities: [{ name: "Player", fields }, ...extra],
});
const issuesOf = (value: unknown) => {
  const r = appSpecState.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("app spec schema v2", () => {
  it("accepts enums with values, money with a currency, units, phones, images and both cardinalities", () => {
    const spec = withFields(
      [
        { name: "name", type: "string", label: "Full name" },
        { name: "status", type: "enum", values: ["active", "injured", "left"] },
        { name: "fee", type: "money", currency: "EUR" },
        { name: "height", type: "decimal", unit: "cm" },
        { name: "phone", type: "phone", required: false },
        { name: "photo", type: "image", required: false },
        { name: "kickoff", type: "time" },
        { name: "team", type: "reference", references: "Squad" },
        { name: "skills", type: "reference", references: "Skill", cardinality: "many-to-many" },
      ],
      [
        { name: "Squad", label: "Squad", pluralLabel: "Squads", fields: [{ name: "name", type: "string" }] },
        { name: "Skill", fields: [{ name: "name", type: "string" }] },
      ],
    );
    assert.deepEqual(issuesOf(spec), []);
  });

  it("refuses what a renderer could not build, each with a reason", () => {
    assert.match(issuesOf(withFields([{ name: "status", type: "enum" }])).join(), /needs its "values"/);
    assert.match(issuesOf(withFields([{ name: "status", type: "enum", values: ["a", "a"] }])).join(), /twice/);
    assert.match(issuesOf(withFields([{ name: "status", type: "enum", values: ["In progress"] }])).join(), /slugs/);
    assert.match(issuesOf(withFields([{ name: "name", type: "string", values: ["a"] }])).join(), /enum fields only/);
    assert.match(issuesOf(withFields([{ name: "team", type: "reference" }])).join(), /needs "references"/);
    assert.match(issuesOf(withFields([{ name: "team", type: "reference", references: "Ghost" }])).join(), /not an entity/);
    assert.match(issuesOf(withFields([{ name: "fee", type: "number", currency: "EUR" }])).join(), /money fields only/);
    assert.match(issuesOf(withFields([{ name: "title", type: "string" }, { name: "Title", type: "text" }])).join(), /twice/);
    assert.match(issuesOf(withFields([{ name: "name", type: "string", label: "a\nb" }])).join(), /one line/);
    const twice = { ...base, entities: [{ name: "Player", fields: [{ name: "a", type: "string" }] }, { name: "Player", fields: [{ name: "b", type: "string" }] }] };
    assert.match(issuesOf(twice).join(), /defined twice/);
  });

  it("gives model agents a JSON Schema that lists every v2 type and the enum/money keys", () => {
    const schema = JSON.stringify(z.toJSONSchema(appSpecState, { io: "input", unrepresentable: "any" }));
    for (const word of ['"enum"', '"money"', '"phone"', '"image"', '"decimal"', '"values"', '"currency"', '"cardinality"', '"many-to-many"', '"pluralLabel"']) {
      assert.ok(schema.includes(word), `JSON Schema lacks ${word}`);
    }
  });

  it("upgrades a v1 spec: references without a known target become strings, the rest is untouched", () => {
    const v1 = {
      ...base,
      entities: [
        { name: "Player", fields: [{ name: "coach", type: "reference", required: true }, { name: "team", type: "reference", required: true, references: "Team" }] },
        { name: "Team", fields: [{ name: "name", type: "string", required: true }] },
      ],
    };
    const read = readAppSpec(v1);
    assert.deepEqual(read.entities[0]?.fields, [
      { name: "coach", type: "string", required: true },
      { name: "team", type: "reference", required: true, references: "Team" },
    ]);
    const v2 = withFields([{ name: "name", type: "string", required: true }]);
    assert.equal(upgradeAppSpec(v2), v2, "a current spec is returned as it is");
  });
});

const owner: Scope = { enterpriseId: "e-v1", appId: "a-v1", userId: "u-v1" };

for (const provider of PROVIDERS) {
  describe(`stored v1 specs on ${provider}`, { skip: provider === "postgresql" ? await postgresSkipReason() : undefined }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(provider);
    });
    after(async () => {
      await t?.cleanup();
    });

    it("load through the store as v2 and can be patched", async () => {
      const valid = await t.store.createArtifactInstance(owner, {
        type: "app_spec",
        title: "Old spec",
        state: { ...base, entities: [{ name: "Player", fields: [{ name: "name", type: "string", required: true }] }] },
      });
      // What v1 could store and v2 refuses: a reference with no target. Written as a raw row.
      const v1State = {
        ...base,
        entities: [{ name: "Player", fields: [{ name: "name", type: "string", required: true }, { name: "coach", type: "reference", required: true }] }],
      };
      await t.database.prisma.artifactInstance.update({ where: { id: valid.id }, data: { state: v1State } });

      const read = await t.store.getArtifactInstance(owner, valid.id);
      assert.deepEqual(read.state.entities, [
        { name: "Player", fields: [{ name: "name", type: "string", required: true }, { name: "coach", type: "string", required: true }] },
      ]);
      assert.doesNotThrow(() => appSpecState.parse(read.state));

      const patched = await t.store.updateArtifactState(owner, valid.id, { expectedVersion: read.version, patch: { summary: "Still a team" } });
      assert.equal(patched.state.summary, "Still a team");
      assert.equal((patched.state.entities as Array<{ fields: Array<{ type: string }> }>)[0]?.fields[1]?.type, "string");
    });
  });
}
