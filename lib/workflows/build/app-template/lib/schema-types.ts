/**
 * The shape of lib/app-schema.json: the one source the tables, the types, the validation and
 * the pages are derived from. Every name in it was checked by the generator: keys, tables and
 * columns are plain identifiers; labels and descriptions are data, only ever rendered by React.
 */
export type FieldType =
  | "string" | "text" | "number" | "integer" | "decimal" | "money" | "boolean" | "date"
  | "datetime" | "time" | "email" | "url" | "phone" | "image" | "enum" | "reference";

export interface FieldDef {
  /** The field's name in forms and the JSON API. */
  key: string;
  /** Its SQL column (many-to-one references: the id column; many-to-many: unused). */
  column: string;
  label: string;
  type: FieldType;
  required: boolean;
  values?: string[];
  currency?: string;
  unit?: string;
  /** References: the target entity's key. */
  references?: string;
  /** References: many-to-many, stored in `joinTable` (source_id, target_id). */
  many?: boolean;
  joinTable?: string;
}

export interface EntityDef {
  /** URL segment and API name ("leave-requests"). */
  key: string;
  name: string;
  table: string;
  label: string;
  pluralLabel: string;
  description: string;
  /** The field shown when a row is referenced (a select option, a link); null: "#id". */
  labelField: string | null;
  fields: FieldDef[];
}

export interface AppSchema {
  name: string;
  summary: string;
  entities: EntityDef[];
}

/** A stored value as the app handles it: many-to-many references are lists of ids. */
export type Value = string | number | boolean | null | number[];

export interface Row {
  id: number;
  createdAt: string;
  values: Record<string, Value>;
}
