import type { Db } from "./db";
import { createRecord, listRecords } from "./records";
import { sampleInput, seedOrder } from "./samples";
import { appSchema } from "./schema";

/** A few plausible rows per entity, created in an order where every reference has its target. */
export const SEED_ROWS = 3;

export function seedDatabase(db: Db): void {
  const ids = (key: string) => listRecords(db, appSchema.entities.find((e) => e.key === key)!).map((r) => r.id);
  for (const entity of seedOrder(appSchema)) {
    for (let i = 0; i < SEED_ROWS; i++) {
      const result = createRecord(db, entity, sampleInput(entity, i, ids));
      if (!result.ok) throw new Error(`seed row ${i + 1} of ${entity.name} is invalid: ${JSON.stringify(result.errors)}`);
    }
  }
}
