import { z } from "zod";

/**
 * The state of each artifact type. The store refuses to create an artifact, or to apply a
 * patch, whose result does not parse here, so a card in the UI can trust what it renders.
 * Types not listed here must still hold a JSON object (readable by the fallback card).
 */
const name = z.string().trim().min(1).max(120);

/**
 * App spec schema v2. v1 had the first ten field types and no labels, enums or cardinality;
 * every v1 state is a v2 state except for references without a (known) target, which
 * `upgradeAppSpec` turns into plain strings, so stored v1 specs still load.
 */
export const APP_SPEC_VERSION = 2;

export const FIELD_TYPES = [
  "string",
  "text",
  "number",
  "integer",
  "decimal",
  "money",
  "boolean",
  "date",
  "datetime",
  "time",
  "email",
  "url",
  "phone",
  "image",
  "enum",
  "reference",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const CARDINALITIES = ["many-to-one", "many-to-many"] as const;

const label = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), "labels are one line of text");

/** Enum values are stored as they are written here: lower-case slugs, shown humanised. */
export const enumValue = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, "enum values are lower-case slugs (a-z, 0-9, _ and -)");

const identifierField = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, "field names are identifiers");
const entityName = z.string().regex(/^[A-Z][a-zA-Z0-9]{0,63}$/, "entity names are PascalCase identifiers");

export const appSpecField = z.strictObject({
  name: identifierField,
  /** Human label ("Birth date"); derived from the name when absent. */
  label: label.optional(),
  type: z.enum(FIELD_TYPES),
  required: z.boolean().default(true),
  /** For type "enum": the allowed values, in display order. */
  values: z.array(enumValue).min(1).max(50).optional(),
  /** For type "money": an ISO 4217 code; USD when absent. */
  currency: z.string().regex(/^[A-Z]{3}$/, "currencies are ISO 4217 codes like EUR").optional(),
  /** For numeric types: the unit of the quantity ("km", "kg"), shown beside the value. */
  unit: z.string().trim().min(1).max(20).regex(/^[^\u0000-\u001f<>]*$/, "units are short plain text").optional(),
  /** For type "reference": the entity it points at. */
  references: entityName.optional(),
  /** For type "reference": many-to-one (the default: one target row) or many-to-many (a list). */
  cardinality: z.enum(CARDINALITIES).optional(),
});

export const appSpecEntity = z.strictObject({
  name: entityName,
  /** Singular human label ("Leave request"); derived from the name when absent. */
  label: label.optional(),
  /** Plural human label ("Leave requests"); derived from the label when absent. */
  pluralLabel: label.optional(),
  description: z.string().max(500).optional(),
  fields: z.array(appSpecField).min(1).max(100),
});

export const appSpecPage = z.strictObject({
  name,
  path: z.string().regex(/^\/[a-z0-9\-/[\]]*$/, "page paths start with / and use lower-case"),
  purpose: z.string().max(500).optional(),
  entity: z.string().optional(),
});

type SpecShape = {
  entities: Array<{ name: string; fields: Array<z.infer<typeof appSpecField>> }>;
};

/** The rules a single field or entity cannot check alone: types and their extra keys, links, duplicates. */
function checkSpecConsistency(spec: SpecShape, ctx: z.RefinementCtx): void {
  const entityNames = new Set<string>();
  spec.entities.forEach((entity, e) => {
    const key = entity.name.toLowerCase();
    if (entityNames.has(key)) ctx.addIssue({ code: "custom", path: ["entities", e, "name"], message: `entity "${entity.name}" is defined twice` });
    entityNames.add(key);
  });
  const known = new Set(spec.entities.map((x) => x.name));
  spec.entities.forEach((entity, e) => {
    const seen = new Set<string>();
    entity.fields.forEach((field, f) => {
      const at = ["entities", e, "fields", f];
      const issue = (message: string, key?: string) => ctx.addIssue({ code: "custom", path: key ? [...at, key] : at, message });
      const lower = field.name.toLowerCase();
      if (seen.has(lower)) issue(`${entity.name}.${field.name} is defined twice`, "name");
      seen.add(lower);
      if (field.type === "enum") {
        if (!field.values?.length) issue(`${entity.name}.${field.name} is an enum and needs its "values"`, "values");
        else if (new Set(field.values).size !== field.values.length) issue(`${entity.name}.${field.name} lists a value twice`, "values");
      } else if (field.values) issue(`"values" belongs to enum fields only (${entity.name}.${field.name} is ${field.type})`, "values");
      if (field.currency && field.type !== "money") issue(`"currency" belongs to money fields only`, "currency");
      if (field.unit && !["number", "integer", "decimal"].includes(field.type)) issue(`"unit" belongs to number, integer and decimal fields only`, "unit");
      if (field.type === "reference") {
        if (!field.references) issue(`${entity.name}.${field.name} is a reference and needs "references"`, "references");
        else if (!known.has(field.references)) issue(`${entity.name}.${field.name} references "${field.references}", which is not an entity of this spec`, "references");
      } else {
        if (field.references) issue(`"references" belongs to reference fields only`, "references");
        if (field.cardinality) issue(`"cardinality" belongs to reference fields only`, "cardinality");
      }
    });
  });
}

export const appSpecState = z
  .strictObject({
    name,
    summary: z.string().max(2000),
    features: z.array(z.string().trim().min(1).max(300)).max(100),
    entities: z.array(appSpecEntity).max(100),
    pages: z.array(appSpecPage).max(100),
  })
  .superRefine(checkSpecConsistency);

/**
 * Brings a stored spec of an older shape to v2 before it is parsed: a v1 reference without a
 * target, or with one that is not an entity of the spec, becomes a plain string field (what
 * it held). Anything else passes through untouched, so a v2 spec is returned as it is.
 */
export function upgradeAppSpec(raw: unknown): unknown {
  if (!isObject(raw) || !Array.isArray(raw.entities)) return raw;
  const known = new Set(raw.entities.filter(isObject).map((e) => e.name));
  let changed = false;
  const entities = raw.entities.map((entity) => {
    if (!isObject(entity) || !Array.isArray(entity.fields)) return entity;
    const fields = entity.fields.map((field) => {
      if (!isObject(field) || field.type !== "reference" || (typeof field.references === "string" && known.has(field.references))) return field;
      changed = true;
      const { references: _dropped, cardinality: _alsoDropped, ...rest } = field;
      return { ...rest, type: "string" };
    });
    return { ...entity, fields };
  });
  return changed ? { ...raw, entities } : raw;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A stored spec (any version) as a v2 spec; throws a ZodError when it is not one. */
export function readAppSpec(raw: unknown): AppSpec {
  return appSpecState.parse(upgradeAppSpec(raw));
}

export const buildProgressState = z.strictObject({
  percent: z.number().min(0).max(100),
  step: z.string().max(200),
  steps: z
    .array(
      z.strictObject({
        name: z.string().max(200),
        status: z.enum(["pending", "running", "done", "failed"]),
        /** How long the step took (done / failed) or has run so far. */
        elapsedMs: z.number().int().min(0).max(86_400_000).optional(),
      }),
    )
    .max(50)
    .optional(),
});

export const buildReportState = z.strictObject({
  status: z.enum(["succeeded", "failed"]),
  files: z.array(z.strictObject({ path: z.string().max(500), bytes: z.number().int().min(0) })).max(10_000),
  totalBytes: z.number().int().min(0),
  downloadUrl: z.string().max(500).optional(),
  error: z.string().max(2000).optional(),
});

const anyObject = z.record(z.string(), z.json());

export const ARTIFACT_STATE_SCHEMAS = {
  app_spec: appSpecState,
  build_progress: buildProgressState,
  build_report: buildReportState,
} as const;

export type KnownArtifactType = keyof typeof ARTIFACT_STATE_SCHEMAS;
export type AppSpec = z.infer<typeof appSpecState>;
export type BuildProgress = z.infer<typeof buildProgressState>;
export type BuildReport = z.infer<typeof buildReportState>;

export const artifactTypeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "artifact types are snake_case");

/** Upgrades of stored states to the current shape, applied by the store when it reads or patches one. */
const ARTIFACT_STATE_UPGRADES: Partial<Record<KnownArtifactType, (raw: unknown) => unknown>> = {
  app_spec: upgradeAppSpec,
};

export function upgradeArtifactState(type: string, state: unknown): unknown {
  const upgrade = ARTIFACT_STATE_UPGRADES[type as KnownArtifactType];
  return upgrade ? upgrade(state) : state;
}

export function artifactStateSchema(type: string): z.ZodType<Record<string, unknown>> {
  return (ARTIFACT_STATE_SCHEMAS as Record<string, z.ZodType<Record<string, unknown>>>)[type] ?? anyObject;
}
