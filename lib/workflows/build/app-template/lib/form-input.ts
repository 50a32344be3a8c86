import type { EntityDef, Row } from "./schema-types";

/** What a form sends back and shows again after an error: text per field, a list for multi-selects. */
export type FormValues = Record<string, string | string[] | boolean>;
export interface FormState {
  errors: Record<string, string>;
  values: FormValues;
  /** Counts the answers: the form is drawn afresh with each (React keeps a select's first default). */
  attempt?: number;
}

export function readForm(entity: EntityDef, form: FormData): FormValues {
  const values: FormValues = Object.create(null);
  for (const f of entity.fields) {
    if (f.many) values[f.key] = form.getAll(f.key).map(String);
    else if (f.type === "boolean") values[f.key] = form.get(f.key) === "on";
    else values[f.key] = String(form.get(f.key) ?? "");
  }
  return values;
}

export function formValuesOf(entity: EntityDef, row?: Row): FormValues {
  const values: FormValues = {};
  for (const f of entity.fields) {
    const v = row?.values[f.key];
    if (f.many) values[f.key] = Array.isArray(v) ? v.map(String) : [];
    else if (f.type === "boolean") values[f.key] = v === true;
    else values[f.key] = v === null || v === undefined ? "" : String(v);
  }
  return values;
}
