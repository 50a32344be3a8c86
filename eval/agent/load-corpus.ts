/**
 * Reads every eval/agent/corpus/*.json file and validates it against the case schema; a file
 * that does not parse, or an id used twice, stops the load with the file and the path.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { corpusFile, type CorpusCase } from "./case-schema.ts";

export const CORPUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "corpus");

export class CorpusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorpusError";
  }
}

export function loadCorpus(dir: string = CORPUS_DIR): CorpusCase[] {
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  if (files.length === 0) throw new CorpusError(`no corpus files in ${dir}`);
  const cases: CorpusCase[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    } catch (err) {
      throw new CorpusError(`${file}: not JSON (${(err as Error).message})`);
    }
    const parsed = corpusFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CorpusError(`${file}: ${issue.path.join(".")}: ${issue.message}`);
    }
    for (const c of parsed.data.cases) {
      const other = seen.get(c.id);
      if (other) throw new CorpusError(`${file}: case id "${c.id}" is also used in ${other}`);
      seen.set(c.id, file);
      cases.push(c);
    }
  }
  return cases;
}
