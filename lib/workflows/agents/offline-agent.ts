/**
 * The default spec agent: deterministic, no network and no model. It reads the conversation
 * with an NLP tagger (compromise) and domain data (offline/), so the same words always give the
 * same spec.
 */
import { type AppSpec, appSpecState } from "../../artifacts/schemas.ts";
import { draftSpec } from "./offline/draft.ts";
import { joinList } from "./offline/inflect.ts";
import { mainEntity } from "./offline/model.ts";
import { refineSpec } from "./offline/refine.ts";
import type { AgentTurn, SpecAgent, SpecReply } from "./types.ts";

export { draftSpec } from "./offline/draft.ts";
export { refineSpec } from "./offline/refine.ts";
export { diffSpecs } from "./offline/diff.ts";
export { inferType, parseFieldPhrase } from "./offline/fields.ts";
export { plural, singular } from "./offline/inflect.ts";

const EXAMPLE =
  '"A recipe sharing app where users post recipes with ingredients, steps and cooking time, and comment on each other\'s recipes."';

export const FIRST_QUESTION =
  "I need a bit more to go on. What should the app keep track of, and what should people be able to do with it? " +
  `For example: ${EXAMPLE}`;

function changeQuestion(spec: AppSpec): string {
  const main = mainEntity(spec.entities) ?? "Item";
  return (
    `I couldn't tell what to change in ${spec.name}. You can say things like "add a comments entity", ` +
    `"add a rating field to ${main}", "remove the ${main} entity", "rename the app to …" or "users should be able to …".`
  );
}

function firstMessage(spec: AppSpec): string {
  const names = spec.entities.map((e) => e.name);
  const main = mainEntity(spec.entities) ?? names[0] ?? "Item";
  return (
    `Here's a first draft of ${spec.name}: ${names.length} ${names.length === 1 ? "entity" : "entities"} (${joinList(names)}) ` +
    `and ${spec.pages.length} pages. Tell me what to add, remove or rename, for example "add a rating field to ${main}".`
  );
}

/** The reply to a change says what changed: the change itself when there are few. */
function updateMessage(spec: AppSpec, changes: string[]): string {
  const main = changes.filter((c) => !/^(?:Added|Removed) (?:page|feature)/.test(c));
  const shown = main.length > 0 ? main : changes;
  if (shown.length <= 3) return `Updated ${spec.name}: ${shown.map((c, i) => (i === 0 ? c : c.charAt(0).toLowerCase() + c.slice(1))).join("; ")}.`;
  return `Updated ${spec.name} (${changes.length} changes).`;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error("The operation was aborted");
  err.name = "AbortError";
  return err;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

function userText(conversation: AgentTurn[], all: boolean): string {
  const users = conversation.filter((t) => t.role === "user").map((t) => t.text.trim()).filter(Boolean);
  return all ? users.join("\n") : (users.at(-1) ?? "");
}

export function createOfflineAgent(): SpecAgent {
  return {
    name: "offline",
    label: "offline",
    async proposeSpec({ conversation, current, signal }): Promise<SpecReply> {
      checkAborted(signal);
      let reply: SpecReply;
      if (current === null) {
        // Before the first spec every user turn is part of the description (answers to questions included).
        const draft = draftSpec(userText(conversation, true));
        reply = draft
          ? { type: "spec", spec: appSpecState.parse(draft), message: firstMessage(draft), changes: [] }
          : { type: "question", message: FIRST_QUESTION };
      } else {
        const refined = refineSpec(current, userText(conversation, false));
        reply = refined
          ? {
              type: "spec",
              spec: appSpecState.parse(refined.spec),
              message: updateMessage(refined.spec, refined.changes),
              changes: refined.changes,
            }
          : { type: "question", message: changeQuestion(current) };
      }
      checkAborted(signal);
      return reply;
    },
  };
}
