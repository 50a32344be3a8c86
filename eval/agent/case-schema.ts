/**
 * The format of a development-corpus case (eval/agent/corpus/*.json): a description, the spec
 * a careful analyst would write for it, and optional follow-up messages with the spec expected
 * after each. Names and types with alternatives are written "A|B" (any one is accepted).
 */
import { z } from "zod";
import { CARDINALITIES, FIELD_TYPES } from "../../lib/artifacts/schemas.ts";

const alternatives = z
  .string()
  .trim()
  .min(1)
  .transform((s) => s.split("|").map((x) => x.trim()).filter(Boolean))
  .refine((xs) => xs.length > 0, "at least one name");

const fieldTypes = z
  .string()
  .transform((s) => s.split("|").map((x) => x.trim()))
  .pipe(z.array(z.enum(FIELD_TYPES)).min(1));

export const expectedField = z
  .strictObject({
    /** "price|pricePaid": the name an analyst would give, then acceptable others. */
    name: alternatives,
    /**
     * "money|decimal": the expected type, then acceptable others. "reference" only as an
     * alternative (a field that may also be its own entity, like a room); links are relations.
     */
    type: fieldTypes,
    /** For enum fields: each value an analyst would list, with synonyms "approved|accepted" (required when enum comes first). */
    values: z.array(alternatives).min(1).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.type[0] === "reference") ctx.addIssue({ code: "custom", message: `field ${f.name[0]}: links are written as relations` });
    if (f.type[0] === "enum" && !f.values) ctx.addIssue({ code: "custom", message: `field ${f.name[0]}: an enum field lists its "values"` });
    if (f.values && !f.type.includes("enum")) ctx.addIssue({ code: "custom", message: `field ${f.name[0]}: "values" goes with an enum type only` });
  });

export const expectedEntity = z.strictObject({
  /** "LeaveRequest|Request|VacationRequest" */
  name: alternatives,
  /** Fine to have or not (a User when roles are mentioned): neither a miss nor a junk entity. */
  optional: z.boolean().default(false),
  fields: z.array(expectedField).default([]),
  /** Field names that must no longer be there (after "remove the notes field"). */
  absent: z.array(z.string().min(1)).default([]),
});

export const expectedRelation = z.strictObject({
  /** The first name of an expected entity. */
  from: z.string().min(1),
  /** The field's name-ish ("owner|user"): preferred when several links join the same two entities. */
  field: alternatives,
  to: z.string().min(1),
  cardinality: z
    .string()
    .transform((s) => s.split("|").map((x) => x.trim()))
    .pipe(z.array(z.enum(CARDINALITIES)).min(1)),
});

export const expectedSpec = z
  .strictObject({
    entities: z.array(expectedEntity).min(1),
    relations: z.array(expectedRelation).default([]),
  })
  .superRefine((spec, ctx) => {
    const primary = new Set(spec.entities.map((e) => e.name[0]));
    if (primary.size !== spec.entities.length) ctx.addIssue({ code: "custom", message: "an expected entity is listed twice" });
    spec.relations.forEach((r, i) => {
      for (const end of [r.from, r.to]) {
        if (!primary.has(end)) ctx.addIssue({ code: "custom", path: ["relations", i], message: `relation end "${end}" is not the first name of an expected entity` });
      }
    });
  });

/** Either a spec, or `{ "question": true }` when the right answer is a clarifying question. */
export const expectation = z.union([z.strictObject({ question: z.literal(true) }), expectedSpec]);

export const corpusCase = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "case ids are kebab-case"),
  domain: z.string().min(1),
  /** How it is phrased: "one-line", "paragraph", "bullets", "lower-case", "typos", "british", "first-person", "terse", "verbose"… */
  style: z.array(z.string().min(1)).default([]),
  description: z.string().min(1),
  expect: expectation,
  /** Follow-up messages, each with the whole spec expected after it. */
  refinements: z.array(z.strictObject({ message: z.string().min(1), expect: expectation })).default([]),
});

export const corpusFile = z.strictObject({
  domain: z.string().min(1),
  cases: z.array(corpusCase).min(1),
});

export type ExpectedField = z.output<typeof expectedField>;
export type ExpectedEntity = z.output<typeof expectedEntity>;
export type ExpectedRelation = z.output<typeof expectedRelation>;
export type ExpectedSpec = z.output<typeof expectedSpec>;
export type Expectation = z.output<typeof expectation>;
export type CorpusCase = z.output<typeof corpusCase>;

export function isQuestion(e: Expectation): e is { question: true } {
  return "question" in e;
}
