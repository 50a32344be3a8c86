import type { FieldDef, Value } from "./schema-types";

/** Human text for a value (money in its currency, numbers with their unit, enums humanised). */
export function humanize(slug: string): string {
  const text = slug.replace(/[-_]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatValue(field: FieldDef, value: Value): string {
  if (value === null || value === undefined || value === "") return "—";
  switch (field.type) {
    case "boolean":
      return value ? "Yes" : "No";
    case "money":
      try {
        return new Intl.NumberFormat("en-US", { style: "currency", currency: field.currency ?? "USD" }).format(Number(value));
      } catch {
        return `${Number(value).toFixed(2)} ${field.currency ?? ""}`.trim();
      }
    case "number":
    case "integer":
    case "decimal":
      return `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 }).format(Number(value))}${field.unit ? ` ${field.unit}` : ""}`;
    case "enum":
      return humanize(String(value));
    default:
      return String(value);
  }
}

/** "New player": the first letter lower-cased unless the label starts with an acronym. */
export function lowerFirst(label: string): string {
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
