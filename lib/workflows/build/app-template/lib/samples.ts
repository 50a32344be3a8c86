import type { AppSchema, EntityDef, FieldDef } from "./schema-types";

/**
 * Plausible sample values from field names and types: the seed rows, the app's own tests and
 * Tabflow's check of the app use them. Pure (no database, no generated data imported).
 */
const FIRST = ["Alice", "Ben", "Chloe", "David", "Emma"];
const LAST = ["Martin", "Okafor", "Nguyen", "Schmidt", "Rossi"];
const CITIES = ["Lyon", "Toronto", "Osaka", "Leeds", "Porto"];
const COUNTRIES = ["France", "Canada", "Japan", "United Kingdom", "Portugal"];
const COLORS = ["Blue", "Green", "Red", "Yellow", "Purple"];
const PEOPLE = /(person|people|user|member|player|employee|customer|client|contact|student|teacher|author|coach|patient|staff|owner|guest|driver|worker|volunteer|manager|lead|parent|child|friend|participant|attendee|candidate|tenant|agent)/i;

function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

function textValue(entity: EntityDef, field: FieldDef, i: number): string {
  const k = words(field.key);
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[i % LAST.length]!;
  if (/first ?name|given/.test(k)) return first;
  if (/last ?name|surname|family/.test(k)) return last;
  if (/(^| )(full )?name$/.test(k) && PEOPLE.test(entity.name)) return `${first} ${last}`;
  if (/email/.test(k)) return `${first.toLowerCase()}.${last.toLowerCase()}@example.com`;
  if (/city|town/.test(k)) return CITIES[i % CITIES.length]!;
  if (/country/.test(k)) return COUNTRIES[i % COUNTRIES.length]!;
  if (/colou?r/.test(k)) return COLORS[i % COLORS.length]!;
  if (/address|street/.test(k)) return `${12 + i * 7} ${["Oak", "High", "Station"][i % 3]} Street`;
  if (/phone|mobile/.test(k)) return `+1 555 010${i % 10}`;
  if (/code|sku|number|ref/.test(k)) return `${entity.name.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(3, "0")}`;
  if (field.type === "text" || /description|notes?|comment|details|bio|summary|body|message/.test(k)) return `Sample ${words(entity.name)} ${i + 1}: a few words so the page has something to show.`;
  return `${entity.label} ${i + 1}${/name|title|label/.test(k) ? "" : ` ${field.label.toLowerCase()}`}`;
}

/** One sample value for a field, as the JSON API takes it; `targetIds` lists rows a reference may use. */
export function sampleValue(entity: EntityDef, field: FieldDef, i: number, targetIds: (key: string) => number[]): unknown {
  const k = words(field.key);
  switch (field.type) {
    case "enum":
      return field.values![i % field.values!.length];
    case "boolean":
      return i % 2 === 0;
    case "integer":
      if (/age/.test(k)) return 24 + i * 9;
      if (/year/.test(k)) return 2024 + i;
      return (i + 1) * 3;
    case "number":
    case "decimal":
      return Math.round((i + 1) * 12.5 * 100) / 100;
    case "money":
      return [49.99, 120, 15.5, 300, 9.95][i % 5];
    case "date":
      return `2026-0${(i % 9) + 1}-${String(10 + i).padStart(2, "0")}`;
    case "datetime":
      return `2026-0${(i % 9) + 1}-${String(10 + i).padStart(2, "0")}T${String(9 + i).padStart(2, "0")}:30`;
    case "time":
      return ["09:00", "13:30", "17:45", "08:15", "20:00"][i % 5];
    case "email":
      return `${FIRST[i % 5]!.toLowerCase()}.${LAST[i % 5]!.toLowerCase()}@example.com`;
    case "url":
      return `https://example.com/${entity.key}/${i + 1}`;
    case "image":
      return `https://example.com/images/${entity.key}-${i + 1}.jpg`;
    case "phone":
      return `+1 555 010${i % 10}`;
    case "reference": {
      const ids = targetIds(field.references!);
      if (!ids.length) return field.many ? [] : null;
      const id = ids[i % ids.length]!;
      return field.many ? [id] : id;
    }
    default:
      return textValue(entity, field, i);
  }
}

export function sampleInput(entity: EntityDef, i: number, targetIds: (key: string) => number[]): Record<string, unknown> {
  const input: Record<string, unknown> = Object.create(null);
  for (const f of entity.fields) input[f.key] = sampleValue(entity, f, i, targetIds);
  return input;
}

/** Entities in an order where each one's required references come after their targets. */
export function seedOrder(schema: AppSchema): EntityDef[] {
  const done = new Set<string>();
  const order: EntityDef[] = [];
  while (order.length < schema.entities.length) {
    const next =
      schema.entities.find((e) => !done.has(e.key) && e.fields.every((f) => f.type !== "reference" || !f.required || f.references === e.key || done.has(f.references!))) ??
      schema.entities.find((e) => !done.has(e.key))!;
    done.add(next.key);
    order.push(next);
  }
  return order;
}
