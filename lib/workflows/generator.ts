import { appSpecState, type AppSpec } from "../artifacts/schemas.ts";
import { TabflowError } from "../errors.ts";
import type { ArtifactRecord } from "../store/index.ts";
import { AgentFailure, type AgentProgress, type AgentTurn, type SpecReply } from "./agents/types.ts";
import { buildBlocker } from "./build/project.ts";
import { freshBuildCheckpoint } from "./build.ts";
import type { DraftStream } from "./stream-draft.ts";
import type { ArtifactAction, UserTurn, WorkflowContext, WorkflowDefinition } from "./types.ts";

/**
 * Generator: a conversation that produces an App spec artifact. Each user message goes to the
 * agent with the conversation and the current spec; the answer is a new spec version (or a
 * clarifying question). The spec offers Start Build.
 */
const GREETING =
  "Hi! Describe the app you want: who uses it, what it keeps track of, and what people can do with it. " +
  'For example: "A recipe sharing app where users post recipes with ingredients and steps, and others can comment and rate them."';

/** Longest conversation (characters) an agent turn is given: the newest turns that fit. */
export const AGENT_CONTEXT_CHARS = 100_000;

/**
 * The conversation for one turn: every earlier user and agent message, then the messages this
 * turn answers as one user turn (a burst of messages is answered once, as a whole). User
 * messages newer than the turn are left for the next one. Only the newest AGENT_CONTEXT_CHARS
 * are kept, so a flooded session costs one bounded turn, not work that grows without end.
 */
async function conversation(ctx: WorkflowContext, turn: UserTurn): Promise<AgentTurn[]> {
  const answering = new Set(turn.seqs);
  const newest = turn.seqs.length ? Math.max(...turn.seqs) : Number.POSITIVE_INFINITY;
  const history: AgentTurn[] = [];
  const fresh: string[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await ctx.store.listMessages(ctx.scope, ctx.session.id, afterSeq, 1000);
    for (const m of page.messages) {
      const text = typeof m.content.text === "string" ? m.content.text : undefined;
      if (!text || m.kind !== "text" || (m.role !== "user" && m.role !== "agent")) continue;
      if (m.role === "user" && answering.has(m.seq)) fresh.push(text);
      else if (m.role === "user" && m.seq > newest) continue;
      else history.push({ role: m.role, text });
    }
    if (!page.hasMore || page.messages.length === 0) break;
    afterSeq = page.messages.at(-1)!.seq;
  }
  if (fresh.length) history.push({ role: "user", text: fresh.join("\n") });
  return newestWithin(history, AGENT_CONTEXT_CHARS);
}

function newestWithin(turns: AgentTurn[], budget: number): AgentTurn[] {
  const kept: AgentTurn[] = [];
  for (let i = turns.length - 1; i >= 0 && budget > 0; i--) {
    const t = turns[i]!;
    const text = t.text.length > budget ? t.text.slice(t.text.length - budget) : t.text;
    kept.unshift({ role: t.role, text });
    budget -= text.length;
  }
  return kept;
}

async function currentSpec(ctx: WorkflowContext): Promise<ArtifactRecord | undefined> {
  const artifacts = await ctx.store.listSessionArtifacts(ctx.scope, ctx.session.id);
  return artifacts.filter((a) => a.type === "app_spec" && a.createdBySessionId === ctx.session.id).at(-1);
}

function describeSpec(spec: AppSpec): string {
  const entities = spec.entities.map((e) => e.name).join(", ") || "none yet";
  return `${spec.entities.length} entit${spec.entities.length === 1 ? "y" : "ies"} (${entities}), ${spec.pages.length} pages, ${spec.features.length} features`;
}

async function onUserMessage(ctx: WorkflowContext, turn: UserTurn): Promise<void> {
  await ctx.setRun({ state: "running", step: "drafting the spec", error: null });
  const existing = await currentSpec(ctx);
  const current = existing ? appSpecState.parse(existing.state) : null;
  // A streaming agent's reply text goes live to viewers through a draft (one per try).
  let draft: DraftStream | undefined;
  const progress: AgentProgress = {
    text: (delta) => (draft ??= ctx.openDraft()).append(delta),
    discard: async () => {
      const dropped = draft;
      draft = undefined;
      await dropped?.discard();
    },
    retrying: async ({ reason, delayMs, attempt, maxAttempts }) => {
      const wait = delayMs > 0 ? `retrying in ${Math.ceil(delayMs / 1000)}s` : "asking again";
      await ctx.say(`${capitalise(reason)}; ${wait} (try ${attempt} of ${maxAttempts}).`, { role: "system" });
      await ctx.setRun({ state: "running", step: `${wait} (try ${attempt} of ${maxAttempts})`, ifStateIn: ["running"] });
    },
  };
  let reply: SpecReply;
  try {
    reply = await ctx.agent.proposeSpec({ conversation: await conversation(ctx, turn), current, signal: ctx.signal, progress });
  } catch (err) {
    await progress.discard!();
    if (ctx.signal.aborted) return; // Stop (or shutdown): the runtime records and says it
    if (!(err instanceof AgentFailure)) throw err;
    // The spec keeps its last valid version; the chat and the tab say why nothing changed.
    await ctx.say(`The model could not answer: ${err.message}.${existing ? ` The spec stays at version ${existing.version}.` : ""}`, { role: "system" });
    await ctx.setRun({ state: "failed", step: null, error: err.message.slice(0, 2000), ifStateIn: ["running"] });
    return;
  }
  if (ctx.signal.aborted) return void (await progress.discard!());
  try {
    await applyReply(ctx, reply, existing, draft);
  } catch (err) {
    // E.g. the session was completed meanwhile: never leave a draft that no message replaces.
    await progress.discard!().catch(() => {});
    throw err;
  }
}

/** Stores the agent's answer: a question, or the spec's first or next version; then says it. */
async function applyReply(ctx: WorkflowContext, reply: SpecReply, existing: ArtifactRecord | undefined, draft: DraftStream | undefined): Promise<void> {
  if (reply.type === "question") {
    await ctx.say(reply.message, { draft });
    await ctx.setRun({ state: "waiting_input", step: existing ? "waiting for a change" : "needs more detail" });
    return;
  }
  let artifact: ArtifactRecord;
  if (!existing) {
    artifact = await ctx.store.createArtifactInstance(ctx.scope, { type: "app_spec", title: "App spec", state: reply.spec, createdBySessionId: ctx.session.id });
    await ctx.store.attachArtifactToSession(ctx.scope, ctx.session.id, artifact.id);
    // A tab titled after the app tells several Generator sessions apart (unless the user named it).
    if (ctx.session.title === generatorWorkflow.title) {
      ctx.publisher.sessionChanged(await ctx.store.renameWorkflowSession(ctx.scope, ctx.session.id, reply.spec.name));
    }
  } else {
    // The agent returns the whole spec; as a merge patch it replaces every top-level field.
    artifact = await ctx.store.updateArtifactState(ctx.scope, existing.id, { expectedVersion: existing.version, patch: reply.spec });
  }
  ctx.publishArtifact(artifact);
  const changes = reply.changes.length ? `\n\nChanges:\n${reply.changes.map((c) => `- ${c}`).join("\n")}` : "";
  await ctx.say(`${reply.message}${changes}`, { extra: { artifactId: artifact.id, version: artifact.version }, draft });
  // A spec is an answer, not a question: the session waits for nobody (its tab says Idle, not Needs you).
  await ctx.setRun({ state: "idle", step: `spec v${artifact.version}: ${describeSpec(reply.spec)}` });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const startBuild: ArtifactAction = {
  id: "start_build",
  label: "Start Build",
  artifactTypes: ["app_spec"],
  availability(artifact, session) {
    if (session.workflowName !== "generator") return undefined;
    if (session.status !== "IN_PROGRESS") return { enabled: false, reason: "this session is closed" };
    const spec = appSpecState.safeParse(artifact.state);
    if (!spec.success) return { enabled: false, reason: "the spec is not valid" };
    const blocker = buildBlocker(spec.data);
    return blocker ? { enabled: false, reason: blocker } : { enabled: true };
  },
  async perform(ctx, artifact) {
    const spec = appSpecState.parse(artifact.state);
    const blocker = buildBlocker(spec);
    if (blocker) throw new TabflowError("blocked", blocker);
    const build = await ctx.spawn("build", {
      title: `Build: ${spec.name}`,
      sourceArtifactId: artifact.id,
      attach: [artifact.id],
      checkpoint: freshBuildCheckpoint(spec, artifact.version),
    });
    await ctx.say(`Started a build of "${spec.name}" from spec version ${artifact.version}.`, {
      role: "system",
      extra: { sessionId: build.id },
      key: `build-started:${build.id}`,
    });
    return { sessionId: build.id };
  },
};

export const generatorWorkflow: WorkflowDefinition = {
  name: "generator",
  title: "Generator",
  description: "Turns a conversation about an app into an app spec",
  startable: true,
  async onStart(ctx) {
    await ctx.say(GREETING, { key: "greeting" });
    await ctx.setRun({ state: "waiting_input", step: "describe your app" });
  },
  onUserMessage,
  actions: [startBuild],
  usesAgent: true,
};

