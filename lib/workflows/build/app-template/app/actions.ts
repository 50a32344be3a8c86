"use server";

import { redirect } from "next/navigation";
import { getDb } from "../lib/db";
import { readForm, type FormState } from "../lib/form-input";
import { createRecord, deleteRecord, updateRecord } from "../lib/records";
import { entityByKey } from "../lib/schema";

/** Create (id null) or save one row from its form; on success, go to its page. */
export async function saveRecord(entityKey: string, id: number | null, previous: FormState, form: FormData): Promise<FormState> {
  const entity = entityByKey(entityKey);
  if (!entity) return { errors: { _form: "This kind of record does not exist." }, values: {} };
  const values = readForm(entity, form);
  const result = id === null ? createRecord(getDb(), entity, values) : updateRecord(getDb(), entity, id, values);
  // Plain objects: React cannot send null-prototype ones to the form.
  if (!result.ok) return { errors: { ...result.errors }, values: { ...values }, attempt: (previous.attempt ?? 0) + 1 };
  redirect(`/${entity.key}/${result.id}`);
}

export async function removeRecord(entityKey: string, id: number, _previous: { error?: string }, _form: FormData): Promise<{ error?: string }> {
  const entity = entityByKey(entityKey);
  if (!entity) return { error: "This kind of record does not exist." };
  const result = deleteRecord(getDb(), entity, id);
  if (!result.ok) return { error: result.error };
  redirect(`/${entity.key}`);
}
