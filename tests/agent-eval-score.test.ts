/**
 * The scorer behind `npm run eval:agent`, on hand-made specs: what counts as found, missing,
 * junk, mistyped or linked, and the 0–3 score. Also: the whole development corpus parses.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appSpecState, type AppSpec } from "../lib/artifacts/schemas.ts";
import { expectation, type Expectation } from "../eval/agent/case-schema.ts";
import { loadCorpus } from "../eval/agent/load-corpus.ts";
import { normaliseName, scoreTurn } from "../eval/agent/score.ts";

const expect = (raw: unknown): Expectation => expectation.parse(raw);
const spec = (entities: unknown[]): { type: "spec"; spec: AppSpec } => ({
  type: "spec",
  spec: appSpecState.parse({ name: "Test", summary: "", features: [], pages: [], entities }),
});

const leave = expect({
  entities: [
    { name: "Employee|Staff", fields: [{ name: "name", type: "string" }] },
    {
      name: "LeaveRequest|Request|VacationRequest",
      fields: [
        { name: "startDate|start", type: "date" },
        { name: "days", type: "integer|number" },
        { name: "status", type: "enum", values: ["pending", "approved|accepted", "rejected"] },
      ],
    },
    { name: "User", optional: true },
  ],
  relations: [{ from: "LeaveRequest", field: "employee", to: "Employee", cardinality: "many-to-one" }],
});

const employee = { name: "Employee", fields: [{ name: "name", type: "string" }] };
const perfectRequest = {
  name: "LeaveRequest",
  fields: [
    { name: "employee", type: "reference", references: "Employee" },
    { name: "startDate", type: "date" },
    { name: "days", type: "integer" },
    { name: "status", type: "enum", values: ["pending", "accepted", "rejected"] },
  ],
};

describe("agent eval scorer", () => {
  it("gives a perfect spec 3 and 100 % everywhere", () => {
    const s = scoreTurn(leave, spec([employee, perfectRequest]));
    assert.equal(s.score, 3);
    assert.equal(s.recall, 1);
    assert.equal(s.precision, 1);
    assert.equal(s.typeAccuracy, 1);
    assert.equal(s.enumAccuracy, 1);
    assert.equal(s.relationRecall, 1);
    assert.deepEqual(s.entities.junk, []);
  });

  it("normalises names: case, plural, spaces, underscores, camelCase", () => {
    assert.equal(normaliseName("LeaveRequests"), normaliseName("leave_request"));
    assert.equal(normaliseName("Leave request"), normaliseName("leaveRequest"));
    assert.equal(normaliseName("People"), normaliseName("person"));
    assert.equal(normaliseName("Categories"), normaliseName("category"));
    assert.equal(normaliseName("Statuses"), normaliseName("status"));
    assert.notEqual(normaliseName("Employee"), normaliseName("Employer"));
  });

  it("accepts an alternative entity name and loosely named fields", () => {
    const renamed: Record<string, object> = {
      employee: { name: "employee", type: "reference", references: "Staff" },
      startDate: { name: "first_start_date", type: "date" },
      days: { name: "number_of_days", type: "integer" },
    };
    const request = { name: "VacationRequests", fields: perfectRequest.fields.map((f) => renamed[f.name] ?? f) };
    const s = scoreTurn(leave, spec([{ ...employee, name: "Staff" }, request]));
    assert.equal(s.recall, 1);
    assert.equal(s.fields.found, 4);
    assert.equal(s.relationRecall, 1);
    assert.equal(s.score, 3);
  });

  it("lowers recall for a missing entity (and loses the link to it)", () => {
    const s = scoreTurn(leave, spec([employee]));
    assert.equal(s.recall, 0.5);
    assert.deepEqual(s.entities.missing, ["LeaveRequest"]);
    assert.equal(s.relationRecall, 0);
    assert.ok(s.score < 2, `score ${s.score}`);
  });

  it("lowers precision for a junk entity, but not for an optional one", () => {
    const junk = { name: "Day", fields: [{ name: "name", type: "string" }] };
    const s = scoreTurn(leave, spec([employee, perfectRequest, junk]));
    assert.equal(s.precision, 2 / 3);
    assert.deepEqual(s.entities.junk, ["Day"]);
    assert.ok(s.score < 3);
    const withUser = scoreTurn(leave, spec([employee, perfectRequest, { name: "Users", fields: [{ name: "email", type: "email" }] }]));
    assert.equal(withUser.precision, 1);
    assert.deepEqual(withUser.entities.optionalFound, ["Users"]);
    assert.equal(withUser.score, 3);
  });

  it("lowers type accuracy for a wrong type, and enum accuracy for a status left as text", () => {
    const request = {
      ...perfectRequest,
      fields: perfectRequest.fields.map((f) => (f.name === "days" ? { name: "days", type: "string" } : f.name === "status" ? { name: "status", type: "string" } : f)),
    };
    const s = scoreTurn(leave, spec([employee, request]));
    assert.equal(s.typeAccuracy, 2 / 4);
    assert.equal(s.enumAccuracy, 0);
    assert.equal(s.fields.wrongTypes.length, 2);
    assert.equal(s.score, 2);
  });

  it("wants every expected enum value (synonyms allowed)", () => {
    const request = {
      ...perfectRequest,
      fields: perfectRequest.fields.map((f) => (f.name === "status" ? { name: "status", type: "enum", values: ["pending", "approved"] } : f)),
    };
    const s = scoreTurn(leave, spec([employee, request]));
    assert.equal(s.enumAccuracy, 0);
    assert.equal(s.typeAccuracy, 1);
  });

  it("takes an accepted non-enum type (a boolean paid) as right, not as a failed enum", () => {
    const invoice = expect({ entities: [{ name: "Invoice", fields: [{ name: "status|paid", type: "enum|boolean", values: ["paid", "unpaid"] }] }] });
    const asBoolean = scoreTurn(invoice, spec([{ name: "Invoice", fields: [{ name: "paid", type: "boolean" }] }]));
    assert.equal(asBoolean.typeAccuracy, 1);
    assert.equal(asBoolean.enums.expected, 0);
    assert.equal(asBoolean.score, 3);
    const asEnum = scoreTurn(invoice, spec([{ name: "Invoice", fields: [{ name: "status", type: "enum", values: ["paid", "open"] }] }]));
    assert.equal(asEnum.enumAccuracy, 0);
    assert.equal(asEnum.edits, 1);
  });

  it("misses a relation that is a plain string, or has the wrong cardinality", () => {
    const asString = { ...perfectRequest, fields: perfectRequest.fields.map((f) => (f.name === "employee" ? { name: "employee", type: "string" } : f)) };
    assert.equal(scoreTurn(leave, spec([employee, asString])).relationRecall, 0);
    const asMany = { ...perfectRequest, fields: perfectRequest.fields.map((f) => (f.name === "employee" ? { ...f, cardinality: "many-to-many" } : f)) };
    assert.equal(scoreTurn(leave, spec([employee, asMany])).relationRecall, 0);
  });

  const classes = expect({
    entities: [
      { name: "Student", fields: [{ name: "name", type: "string" }] },
      { name: "Class|Course", fields: [{ name: "name", type: "string" }] },
      { name: "Enrollment", optional: true },
    ],
    relations: [{ from: "Student", field: "classes", to: "Class", cardinality: "many-to-many" }],
  });
  const student = { name: "Student", fields: [{ name: "name", type: "string" }] };
  const course = { name: "Course", fields: [{ name: "name", type: "string" }] };

  it("counts a many-to-many through a join entity, and does not call the join entity junk", () => {
    const join = {
      name: "StudentCourse",
      fields: [
        { name: "student", type: "reference", references: "Student" },
        { name: "course", type: "reference", references: "Course" },
      ],
    };
    const s = scoreTurn(classes, spec([student, course, join]));
    assert.equal(s.relationRecall, 1);
    assert.deepEqual(s.entities.junk, []);
    assert.deepEqual(s.entities.joins, ["StudentCourse"]);
    assert.equal(s.score, 3);
  });

  it("counts a many-to-many list on either side", () => {
    const onTarget = { ...course, fields: [...course.fields, { name: "students", type: "reference", references: "Student", cardinality: "many-to-many" }] };
    assert.equal(scoreTurn(classes, spec([student, onTarget])).relationRecall, 1);
    const onSource = { ...student, fields: [...student.fields, { name: "courses", type: "reference", references: "Course", cardinality: "many-to-many" }] };
    assert.equal(scoreTurn(classes, spec([onSource, course])).relationRecall, 1);
    const manyToOne = { ...student, fields: [...student.fields, { name: "course", type: "reference", references: "Course" }] };
    assert.equal(scoreTurn(classes, spec([manyToOne, course])).relationRecall, 0);
  });

  it("pairs two links to the same entity by their names", () => {
    const match = expect({
      entities: [{ name: "Team", fields: [] }, { name: "Match", fields: [] }],
      relations: [
        { from: "Match", field: "homeTeam|home", to: "Team", cardinality: "many-to-one" },
        { from: "Match", field: "awayTeam|away", to: "Team", cardinality: "many-to-one" },
      ],
    });
    const team = { name: "Team", fields: [{ name: "name", type: "string" }] };
    const one = { name: "Match", fields: [{ name: "home", type: "reference", references: "Team" }] };
    assert.equal(scoreTurn(match, spec([team, one])).relations.found, 1);
    const two = { name: "Match", fields: [...one.fields, { name: "away", type: "reference", references: "Team" }] };
    assert.equal(scoreTurn(match, spec([team, two])).relations.found, 2);
  });

  it("marks a field that should have been removed", () => {
    const removed = expect({ entities: [{ name: "Deal", absent: ["notes"], fields: [{ name: "title", type: "string" }] }] });
    const s = scoreTurn(removed, spec([{ name: "Deal", fields: [{ name: "title", type: "string" }, { name: "notes", type: "text" }] }]));
    assert.deepEqual(s.stale, ["Deal.notes"]);
    assert.equal(s.edits, 1);
  });

  it("scores a question right on a description that names nothing, and a spec there 0", () => {
    const vague = expect({ question: true });
    const q = scoreTurn(vague, { type: "question" });
    assert.equal(q.score, 3);
    assert.equal(q.gotQuestion, true);
    const made = scoreTurn(vague, spec([{ name: "Thing", fields: [{ name: "name", type: "string" }] }]));
    assert.equal(made.score, 0);
    assert.deepEqual(made.entities.junk, ["Thing"]);
  });

  it("scores a question 0 where a spec was due", () => {
    const s = scoreTurn(leave, { type: "question" });
    assert.equal(s.score, 0);
    assert.equal(s.recall, 0);
  });

  it("loads the whole development corpus (schema-valid, ids unique, at least 64 descriptions)", () => {
    const cases = loadCorpus();
    assert.ok(cases.length >= 64, `${cases.length} cases`);
    assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
    assert.ok(cases.some((c) => "question" in c.expect));
    assert.ok(cases.some((c) => c.refinements.length > 0));
  });
});

describe("agent eval runner", () => {
  it("sends the description, then each refinement with the spec so far, and pools the figures", async () => {
    const { runCase } = await import("../eval/agent/run-corpus.ts");
    const { summarise, targets } = await import("../eval/agent/summary.ts");
    const { corpusCase } = await import("../eval/agent/case-schema.ts");
    const c = corpusCase.parse({
      id: "fixture",
      domain: "test",
      description: "deals and companies",
      expect: { entities: [{ name: "Deal", fields: [] }, { name: "Company", fields: [] }] },
      refinements: [{ message: "add a client entity", expect: { entities: [{ name: "Deal", fields: [] }, { name: "Client", fields: [] }] } }],
    });
    // Test fixture agent: answers from a script and records what it was given.
    const seen: Array<{ users: string[]; current: string[] | null }> = [];
    const first = spec([{ name: "Deal", fields: [{ name: "title", type: "string" }] }]).spec;
    const fixtureAgent = {
      name: "fixture",
      label: "fixture",
      async proposeSpec(input: { conversation: Array<{ role: string; text: string }>; current: AppSpec | null }) {
        seen.push({ users: input.conversation.filter((t) => t.role === "user").map((t) => t.text), current: input.current?.entities.map((e) => e.name) ?? null });
        return seen.length === 1
          ? { type: "spec" as const, spec: first, message: "made it", changes: [] }
          : { type: "question" as const, message: "which client?" };
      },
    };
    const turns = await runCase(fixtureAgent, c);
    assert.deepEqual(seen, [
      { users: ["deals and companies"], current: null },
      { users: ["deals and companies", "add a client entity"], current: ["Deal"] },
    ]);
    assert.deepEqual(turns.map((t) => [t.step, t.score.score]), [[0, 1], [1, 0]]);
    const summary = summarise(turns);
    assert.equal(summary.turns, 2);
    assert.equal(summary.entityRecall, 1 / 4);
    assert.equal(summary.unneededQuestions, 1);
    const byName = Object.fromEntries(targets(summary).map((t) => [t.name, t.met]));
    assert.equal(byName["entity recall"], false);
    assert.equal(byName["junk entities"], true);
  });
});
