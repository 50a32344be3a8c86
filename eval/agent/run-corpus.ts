/**
 * Runs corpus cases through a SpecAgent by its public interface, the way the Generator does:
 * the description first, then each follow-up message with the spec so far as `current`,
 * timing every turn and scoring it.
 */
import { performance } from "node:perf_hooks";
import type { AppSpec } from "../../lib/artifacts/schemas.ts";
import type { AgentTurn, SpecAgent, SpecReply } from "../../lib/workflows/agents/types.ts";
import type { CorpusCase, Expectation } from "./case-schema.ts";
import { scoreTurn, type Prediction, type TurnScore } from "./score.ts";

export interface TurnResult {
  caseId: string;
  /** 0 for the description, 1… for the refinements. */
  step: number;
  text: string;
  /** A description of paragraph length (the latency target is about these). */
  paragraph: boolean;
  ms: number;
  expect: Expectation;
  reply: { type: "spec"; spec: AppSpec; message: string; changes: string[] } | { type: "question"; message: string } | { type: "error"; message: string };
  score: TurnScore;
}

/** At least 30 words, or written as a paragraph. */
export function isParagraph(c: CorpusCase): boolean {
  return c.style.includes("paragraph") || c.description.trim().split(/\s+/).length >= 30;
}

export async function runCase(agent: SpecAgent, c: CorpusCase): Promise<TurnResult[]> {
  const conversation: AgentTurn[] = [];
  let current: AppSpec | null = null;
  const steps = [{ text: c.description, expect: c.expect }, ...c.refinements.map((r) => ({ text: r.message, expect: r.expect }))];
  const results: TurnResult[] = [];
  for (const [step, { text, expect }] of steps.entries()) {
    conversation.push({ role: "user", text });
    let reply: TurnResult["reply"];
    const started = performance.now();
    try {
      const answer: SpecReply = await agent.proposeSpec({ conversation: [...conversation], current });
      reply = answer;
    } catch (err) {
      reply = { type: "error", message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    const ms = performance.now() - started;
    const prediction: Prediction = reply.type === "spec" ? { type: "spec", spec: reply.spec } : { type: "question" };
    // An agent that failed answered nothing: scored like a question (0 where a spec was due), flagged as an error.
    const score = reply.type === "error" ? { ...scoreTurn(expect, { type: "question" }), gotQuestion: false, score: 0 as const } : scoreTurn(expect, prediction);
    if (reply.type === "spec") current = reply.spec;
    conversation.push({ role: "agent", text: reply.message });
    results.push({ caseId: c.id, step, text, paragraph: step === 0 && isParagraph(c), ms, expect, reply, score });
  }
  return results;
}
