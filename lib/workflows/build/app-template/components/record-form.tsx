"use client";

import { useActionState } from "react";
import type { FormState, FormValues } from "../lib/form-input";
import type { EntityDef, FieldDef } from "../lib/schema-types";
import { humanize } from "../lib/format";

type Choices = Record<string, { id: number; label: string }[]>;

const INPUT_TYPES: Partial<Record<FieldDef["type"], string>> = {
  date: "date", datetime: "datetime-local", time: "time", number: "number", integer: "number", decimal: "number",
  money: "number", email: "email", url: "url", image: "url", phone: "tel",
};

function Control({ field, value, choices, describedBy, invalid }: { field: FieldDef; value: FormValues[string] | undefined; choices: Choices; describedBy?: string; invalid: boolean }) {
  const id = `field-${field.key}`;
  const common = { id, name: field.key, "aria-invalid": invalid || undefined, "aria-describedby": describedBy, required: field.required && field.type !== "boolean" };
  if (field.type === "boolean") return <input type="checkbox" {...common} defaultChecked={value === true} />;
  if (field.type === "enum") {
    return (
      <select {...common} defaultValue={String(value ?? "")}>
        <option value="">{field.required ? "Choose…" : "(none)"}</option>
        {field.values!.map((v) => <option key={v} value={v}>{humanize(v)}</option>)}
      </select>
    );
  }
  if (field.type === "reference") {
    const options = choices[field.key] ?? [];
    if (field.many) {
      return (
        <select {...common} multiple defaultValue={Array.isArray(value) ? value : []} size={Math.min(Math.max(options.length, 2), 8)}>
          {options.map((o) => <option key={o.id} value={String(o.id)}>{o.label}</option>)}
        </select>
      );
    }
    return (
      <select {...common} defaultValue={String(value ?? "")}>
        <option value="">{field.required ? "Choose…" : "(none)"}</option>
        {options.map((o) => <option key={o.id} value={String(o.id)}>{o.label}</option>)}
      </select>
    );
  }
  if (field.type === "text") return <textarea {...common} rows={4} defaultValue={String(value ?? "")} />;
  const step = field.type === "integer" ? "1" : field.type === "money" ? "0.01" : field.type === "number" || field.type === "decimal" ? "any" : undefined;
  return <input type={INPUT_TYPES[field.type] ?? "text"} step={step} {...common} defaultValue={String(value ?? "")} />;
}

export function RecordForm(props: {
  entity: EntityDef;
  choices: Choices;
  initial: FormValues;
  submitLabel: string;
  action: (state: FormState, form: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState(props.action, { errors: {}, values: props.initial });
  const count = Object.keys(state.errors).length;
  return (
    <form key={state.attempt ?? 0} action={formAction} noValidate className="record-form">
      {count > 0 && (
        <p role="alert" className="form-error">
          {state.errors._form ?? `Please fix ${count === 1 ? "the field" : `the ${count} fields`} below.`}
        </p>
      )}
      {props.entity.fields.map((field) => {
        const error = state.errors[field.key];
        const errorId = error ? `error-${field.key}` : undefined;
        const hint = [field.required && field.type !== "boolean" ? "Required" : "", field.type === "money" ? `Amount in ${field.currency ?? "USD"}` : field.unit ? `In ${field.unit}` : ""].filter(Boolean).join(" · ") || undefined;
        const describedBy = [hint ? `hint-${field.key}` : "", errorId ?? ""].filter(Boolean).join(" ") || undefined;
        return (
          <div className="form-field" key={field.key}>
            <label htmlFor={`field-${field.key}`}>{field.label}</label>
            <Control field={field} value={state.values[field.key]} choices={props.choices} describedBy={describedBy} invalid={Boolean(error)} />
            {hint && <small id={`hint-${field.key}`} className="muted">{hint}</small>}
            {error && <p role="alert" id={errorId} className="field-error">{error}</p>}
          </div>
        );
      })}
      <button type="submit" disabled={pending}>{props.submitLabel}</button>
    </form>
  );
}
