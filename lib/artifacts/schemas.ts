import { z } from "zod";

/**
 * The state of each artifact type. The store refuses to create an artifact, or to apply a
 * patch, whose result does not parse here, so a card in the UI can trust what it renders.
 * Types not listed here must still hold a JSON object (readable by the fallback card).
 */
const name = z.string().trim().min(1).max(120);

export const FIELD_TYPES = [
  "string",
  "text",
  "number",
  "integer",
  "boolean",
  "date",
  "datetime",
  "email",
  "url",
  "reference",
] as const;

export const appSpecField = z.strictObject({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, "field names are identifiers"),
  type: z.enum(FIELD_TYPES),
  required: z.boolean().default(true),
  /** For type "reference": the entity it points at. */
  references: z.string().optional(),
});

export const appSpecEntity = z.strictObject({
  name: z.string().regex(/^[A-Z][a-zA-Z0-9]{0,63}$/, "entity names are PascalCase identifiers"),
  description: z.string().max(500).optional(),
  fields: z.array(appSpecField).min(1).max(100),
});

export const appSpecPage = z.strictObject({
  name,
  path: z.string().regex(/^\/[a-z0-9\-/[\]]*$/, "page paths start with / and use lower-case"),
  purpose: z.string().max(500).optional(),
  entity: z.string().optional(),
});

export const appSpecState = z.strictObject({
  name,
  summary: z.string().max(2000),
  features: z.array(z.string().trim().min(1).max(300)).max(100),
  entities: z.array(appSpecEntity).max(100),
  pages: z.array(appSpecPage).max(100),
});

export const buildProgressState = z.strictObject({
  percent: z.number().min(0).max(100),
  step: z.string().max(200),
  steps: z
    .array(z.strictObject({ name: z.string().max(200), status: z.enum(["pending", "running", "done", "failed"]) }))
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

export function artifactStateSchema(type: string): z.ZodType<Record<string, unknown>> {
  return (ARTIFACT_STATE_SCHEMAS as Record<string, z.ZodType<Record<string, unknown>>>)[type] ?? anyObject;
}
