/**
 * The offline agent as a user meets it: real descriptions in, useful app specs out; vague input
 * gets a question; follow-up messages change the spec and say what changed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AppSpec, appSpecState } from "../lib/artifacts/schemas.ts";
import { fixTypos, oneEditApart } from "../lib/workflows/agents/offline/typos.ts";
import { createOfflineAgent, inferType, parseFieldPhrase, plural, singular } from "../lib/workflows/agents/offline-agent.ts";
import type { AgentTurn, SpecReply } from "../lib/workflows/agents/types.ts";

type Entity = AppSpec["entities"][number];
type Field = Entity["fields"][number];

const agent = createOfflineAgent();

/** A spec that parses and that a build could use: unique names, references that resolve, pages per entity. */
function assertUsable(spec: AppSpec): void {
  assert.deepEqual(appSpecState.parse(spec), spec, "the spec parses as it is");
  const names = spec.entities.map((e) => e.name);
  assert.equal(new Set(names).size, names.length, `duplicate entity in ${names.join(",")}`);
  for (const e of spec.entities) {
    const fields = e.fields.map((f) => f.name);
    assert.equal(new Set(fields).size, fields.length, `duplicate field in ${e.name}: ${fields.join(",")}`);
    for (const f of e.fields) {
      if (f.type === "reference") assert.ok(f.references && names.includes(f.references), `${e.name}.${f.name} → ${f.references}`);
      else assert.equal(f.references, undefined, `${e.name}.${f.name} is not a reference`);
    }
  }
  const paths = spec.pages.map((p) => p.path);
  assert.equal(new Set(paths).size, paths.length, `duplicate page path in ${paths.join(" ")}`);
  assert.ok(paths.includes("/"), "a home page");
  for (const p of spec.pages) if (p.entity) assert.ok(names.includes(p.entity), `page ${p.path} of missing ${p.entity}`);
  for (const e of spec.entities) assert.ok(spec.pages.some((p) => p.entity === e.name), `no page for ${e.name}`);
  assert.ok(spec.features.length > 0 && spec.summary.length > 0);
}

async function ask(text: string | string[], current: AppSpec | null = null): Promise<SpecReply> {
  const texts = Array.isArray(text) ? text : [text];
  const conversation: AgentTurn[] = texts.map((t) => ({ role: "user", text: t }));
  const reply = await agent.proposeSpec({ conversation, current });
  if (reply.type === "spec") assertUsable(reply.spec);
  return reply;
}

async function specOf(text: string | string[], current: AppSpec | null = null): Promise<{ spec: AppSpec; changes: string[]; message: string }> {
  const reply = await ask(text, current);
  assert.equal(reply.type, "spec", reply.type === "question" ? reply.message : "");
  return reply as Extract<SpecReply, { type: "spec" }>;
}

function entity(spec: AppSpec, name: string): Entity {
  const e = spec.entities.find((x) => x.name === name);
  assert.ok(e, `no ${name} in ${spec.entities.map((x) => x.name).join(", ")}`);
  return e;
}

function field(spec: AppSpec, entityName: string, name: string): Field {
  const f = entity(spec, entityName).fields.find((x) => x.name === name);
  assert.ok(f, `no ${entityName}.${name} in ${entity(spec, entityName).fields.map((x) => `${x.name}:${x.type}`).join(", ")}`);
  return f;
}

function assertFields(spec: AppSpec, entityName: string, expected: Record<string, string>): void {
  for (const [name, type] of Object.entries(expected)) {
    const f = field(spec, entityName, name);
    if (type.startsWith("→")) {
      assert.equal(f.type, "reference", `${entityName}.${name}`);
      assert.equal(f.references, type.slice(1), `${entityName}.${name}`);
    } else assert.equal(f.type, type, `${entityName}.${name}`);
  }
}

function assertPages(spec: AppSpec, paths: string[]): void {
  const have = spec.pages.map((p) => p.path);
  for (const p of paths) assert.ok(have.includes(p), `no page ${p} in ${have.join(" ")}`);
}

const names = (spec: AppSpec): string[] => spec.entities.map((e) => e.name);
const hasFeature = (spec: AppSpec, re: RegExp): boolean => spec.features.some((f) => re.test(f));


const ref = (spec: AppSpec, e: string, f: string): string | undefined => {
  const x = field(spec, e, f);
  assert.equal(x.type, "reference", `${e}.${f} is ${x.type}`);
  return x.references;
};

describe("first specs: what the app keeps track of", () => {
  it("a list after a colon: clients, projects with a budget and deadline, invoices paid or unpaid", async () => {
    const { spec } = await specOf("a tiny CRM for my freelance work: clients, projects with a budget and deadline, and invoices that can be paid or unpaid");
    for (const n of ["Client", "Project", "Invoice"]) entity(spec, n);
    assertFields(spec, "Project", { budget: "money", deadline: "date" });
    const status = field(spec, "Invoice", "status");
    assert.equal(status.type, "enum");
    assert.deepEqual(new Set(status.values), new Set(["paid", "unpaid"]), "'or' alternatives → enum");
    assert.equal(spec.name, "CRM");
  });

  it("who scored in each match: a join entity between players and matches", async () => {
    const { spec } = await specOf("I coach a kids football team: players, matches with date and opponent, and who scored in each match");
    assertFields(spec, "Match", { date: "date", opponent: "string" });
    entity(spec, "Player");
    assert.equal(ref(spec, "Goal", "match"), "Match");
    assert.equal(ref(spec, "Goal", "player"), "Player");
    assert.ok(!names(spec).some((n) => ["Teacher", "Coach", "Team", "Who"].includes(n)), names(spec).join(","));
    assert.ok(hasFeature(spec, /^Record goals for each match$/), spec.features.join(" | "));
  });

  it("quantities with units → decimal with the unit; no junk entity from 'each pair'", async () => {
    const { spec } = await specOf("track my running shoes and how many km each pair has done");
    assert.deepEqual(names(spec), ["Shoe"]);
    const distance = field(spec, "Shoe", "distance");
    assert.equal(distance.type, "decimal");
    assert.equal(distance.unit, "km");
  });

  it("X made of Y: lessons belong to courses; no entity from the verb", async () => {
    const { spec } = await specOf("an online course platform: courses made of lessons, students enroll in courses");
    assert.equal(ref(spec, "Lesson", "course"), "Course");
    assert.ok(!names(spec).includes("Made"));
    assert.equal(ref(spec, "Enrollment", "student"), "Student");
  });

  it("Y per X: guests per episode, never an Attendee", async () => {
    const { spec } = await specOf("a podcast planner: episodes with a title and release date, and the guests per episode");
    assertFields(spec, "Episode", { title: "string", releaseDate: "date" });
    assert.equal(ref(spec, "Guest", "episode"), "Episode");
    assert.ok(!names(spec).includes("Attendee"));
    assert.ok(!/can per/.test(spec.summary + spec.features.join(" ")));
  });

  it("attributes after 'with': price paid is money, drink-by year a number", async () => {
    const { spec } = await specOf("my wine cellar: bottles with vintage, grape, region, price paid and drink-by year");
    assert.deepEqual(names(spec), ["Bottle"]);
    assertFields(spec, "Bottle", { vintage: "integer", grape: "string", region: "string", pricePaid: "money", drinkByYear: "integer" });
    assert.equal(spec.name, "Wine Cellar");
  });

  it("book: renters book tools, a booking links the tool and the renter, with dates and a deposit", async () => {
    const { spec } = await specOf("rent out power tools to neighbours; renters book dates and pay a deposit");
    entity(spec, "Tool");
    assert.equal(ref(spec, "Booking", "tool"), "Tool");
    assert.equal(ref(spec, "Booking", "renter"), "Renter");
    assertFields(spec, "Booking", { startDate: "date", endDate: "date", deposit: "money" });
    assert.ok(!names(spec).includes("Neighbour"));
  });

  it("a known app kind with nothing else named still gets its data", async () => {
    const { spec } = await specOf("a lost and found board for our office");
    assert.deepEqual(names(spec), ["Item"]);
    assert.equal(field(spec, "Item", "status").type, "enum");
    assertFields(spec, "Item", { photo: "image", foundOn: "date" });
  });

  it("roles: managers and employees are one entity with a role enum; approve or reject → pending/approved/rejected", async () => {
    const { spec } = await specOf("Employee leave requests: employees request vacation days, managers approve or reject them.");
    const role = field(spec, "Employee", "role");
    assert.equal(role.type, "enum");
    assert.deepEqual(new Set(role.values), new Set(["employee", "manager"]));
    assert.ok(!names(spec).includes("Manager"));
    assert.equal(ref(spec, "LeaveRequest", "employee"), "Employee");
    assert.deepEqual(field(spec, "LeaveRequest", "status").values, ["pending", "approved", "rejected"]);
    assert.ok(hasFeature(spec, /^Managers can approve or reject leave requests$/), spec.features.join(" | "));
  });

  it("types from names: phone numbers are phones, photos images, emails, money with the stated currency, counts integers", async () => {
    const { spec } = await specOf("Players have a name, a shirt number, a phone number, an email, a photo and a yearly fee in euros.");
    assertFields(spec, "Player", { name: "string", shirtNumber: "integer", phoneNumber: "phone", email: "email", photo: "image", yearlyFee: "money" });
    assert.equal(field(spec, "Player", "yearlyFee").currency, "EUR");
  });

  it("possessive: a member's loans point at the member", async () => {
    const { spec } = await specOf("A library app: members and books. Each member's loans have a due date.");
    assert.ok(entity(spec, "Loan").fields.some((f) => f.type === "reference" && f.references === "Member"), "a loan points at its member");
  });

  it("a status with its values in brackets is an enum with those values", async () => {
    const { spec } = await specOf("Orders have a number, a total and a status (new, packed, shipped).");
    assert.deepEqual(field(spec, "Order", "status").values, ["new", "packed", "shipped"]);
    assert.equal(field(spec, "Order", "total").type, "money");
  });

  it("list after 'track': every item is an entity", async () => {
    const { spec } = await specOf("I want to track books, authors and publishers.");
    for (const n of ["Book", "Author", "Publisher"]) entity(spec, n);
  });

  it("summary and features are written from the spec, never pasted fragments", async () => {
    const { spec } = await specOf("a podcast planner: episodes with a title and release date, and the guests per episode");
    assert.match(spec.summary, /^Podcast Planner keeps track of episodes and guests\./);
    for (const f of spec.features) assert.match(f, /^[A-Z]/);
  });

  it("reads the whole conversation before the first spec", async () => {
    const conversation: AgentTurn[] = [
      { role: "user", text: "hi" },
      { role: "agent", text: "What should the app keep track of?" },
      { role: "user", text: "my recipes, with ingredients and a photo" },
    ];
    const reply = await agent.proposeSpec({ conversation, current: null });
    assert.equal(reply.type, "spec");
    if (reply.type !== "spec") return;
    assertUsable(reply.spec);
    assertFields(reply.spec, "Recipe", { ingredients: "text", photo: "image" });
  });

  it("the issue's own examples all give usable specs (smoke)", async () => {
    for (const text of [
      "A recipe sharing app where users can post recipes with ingredients, steps and cooking time, and comment on each other's recipes.",
      "A todo app where I can organise tasks into projects. Tasks have a title, due date, priority and a done flag.",
      "A gym workout tracker. I log workouts with a date, duration in minutes and notes.",
      "A book club app where members list books, schedule meetings and write reviews of the books they read.",
    ]) await specOf(text);
  });
});

describe("refining a spec", () => {
  const BOOKSTORE = "A bookstore inventory app that tracks books with title, author, price and stock.";

  it("add an offer entity with listing, buyer, amount and status: listing links to Listing", async () => {
    const first = await specOf("A marketplace where sellers post listings with a title, price and photo.");
    const { spec, changes, message } = await specOf("add an offer entity with listing, buyer, amount and status", first.spec);
    assert.equal(ref(spec, "Offer", "listing"), "Listing");
    assert.equal(field(spec, "Offer", "amount").type, "money");
    assert.equal(field(spec, "Offer", "status").type, "enum");
    assert.ok(changes.some((c) => /^Added entity Offer/.test(c)), changes.join(" | "));
    assert.match(message, /Added entity Offer/);
  });

  it("each employee has a manager: a reference to the same entity", async () => {
    const first = await specOf("Employees have a name, an email and a start date.");
    const { spec, changes } = await specOf("each employee has a manager", first.spec);
    assert.equal(ref(spec, "Employee", "manager"), "Employee");
    assert.ok(changes.includes("Added field manager (reference to Employee, optional) to Employee"), changes.join(" | "));
  });

  it("make status a choice of a, b, c", async () => {
    const first = await specOf("Tasks have a title and a status.");
    const { spec, changes } = await specOf("make status a choice of todo, doing and done", first.spec);
    assert.deepEqual(field(spec, "Task", "status").values, ["todo", "doing", "done"]);
    assert.ok(changes.some((c) => /^Changed Task.status/.test(c)), changes.join(" | "));
    assert.ok(hasFeature(spec, /^Mark tasks as todo, doing or done$/), spec.features.join(" | "));
  });

  it("X also have Y / X need a Y", async () => {
    const first = await specOf(BOOKSTORE);
    const a = await specOf("books also have a cover photo", first.spec);
    assertFields(a.spec, "Book", { coverPhoto: "image" });
    const b = await specOf("books need a publisher", a.spec);
    assertFields(b.spec, "Book", { publisher: "string" });
  });

  it("add a comments entity: Comment points at the main entity and gets pages", async () => {
    const first = await specOf(BOOKSTORE);
    const { spec, changes } = await specOf("add a comments entity", first.spec);
    assertFields(spec, "Comment", { body: "text", book: "→Book" });
    assertPages(spec, ["/comments", "/comments/[id]", "/books"]);
    assert.ok(changes.some((c) => /^Added entity Comment/.test(c)), changes.join(" | "));
    assert.deepEqual(entity(spec, "Book"), entity(first.spec, "Book"), "the rest is untouched");
  });

  it("remove an entity: its pages, CRUD feature and the references to it go too", async () => {
    const first = await specOf("A todo app where I can organise tasks into projects.");
    assertFields(first.spec, "Task", { project: "→Project" });
    const { spec, changes } = await specOf("remove the projects entity", first.spec);
    assert.deepEqual(names(spec), ["Task"]);
    assert.ok(!entity(spec, "Task").fields.some((f) => f.name === "project"));
    assert.ok(!spec.pages.some((p) => p.path.startsWith("/projects")));
    assert.ok(!hasFeature(spec, /delete projects/));
    assert.ok(changes.includes("Removed entity Project"));
    assert.ok(changes.includes("Removed field project from Task"));
    assert.ok(!/project/i.test(spec.summary), spec.summary);
  });

  it("add, rename and remove fields; make one optional", async () => {
    const first = await specOf(BOOKSTORE);
    const a = await specOf("add a rating field to Book", first.spec);
    assertFields(a.spec, "Book", { rating: "integer" });
    assert.deepEqual(a.changes, ["Added field rating (integer) to Book"]);
    assert.equal(a.message, `Updated ${a.spec.name}: Added field rating (integer) to Book.`);
    const c = await specOf("add a field discount (decimal) to books", a.spec);
    assertFields(c.spec, "Book", { discount: "decimal" });
    const d = await specOf("make price optional", c.spec);
    assert.equal(field(d.spec, "Book", "price").required, false);
    assert.deepEqual(d.changes, ["Made Book.price optional"]);
    const e = await specOf("rename rating to score", d.spec);
    assertFields(e.spec, "Book", { score: "integer" });
    assert.ok(e.changes.includes("Renamed field rating on Book to score"), e.changes.join(" | "));
    const f = await specOf("remove stock", e.spec);
    assert.ok(!entity(f.spec, "Book").fields.some((x) => x.name === "stock"));
  });

  it("rename the app, and rename an entity with its references and pages", async () => {
    const first = await specOf("A todo app where I can organise tasks into projects.");
    const a = await specOf("rename the app to Get It Done", first.spec);
    assert.equal(a.spec.name, "Get It Done");
    assert.deepEqual(a.changes, ['Renamed the app to "Get It Done"']);
    const c = await specOf("rename Project to Area", a.spec);
    assert.deepEqual(new Set(names(c.spec)), new Set(["Task", "Area"]));
    assertFields(c.spec, "Task", { project: "→Area" });
    assertPages(c.spec, ["/areas", "/areas/[id]"]);
    assert.ok(c.changes.includes("Renamed entity Project to Area"));
  });

  it("asks what to change when the message names no change, never returning the same spec", async () => {
    const first = await specOf(BOOKSTORE);
    for (const text of ["make it better", "hmm", "thanks!", "add books"]) {
      const reply = await ask(text, first.spec);
      assert.equal(reply.type, "question", `${text}: ${reply.type === "spec" ? reply.changes.join(" | ") : ""}`);
      assert.match(reply.message, /add a rating field to Book/);
    }
  });
});

describe("unclear input gets a question, never an empty spec", () => {
  for (const text of ["hi", "help", "make it good", "", "   ", "app", "something", "I want an app", "can you build me something nice?"]) {
    it(JSON.stringify(text), async () => {
      const reply = await ask(text);
      assert.equal(reply.type, "question", reply.type === "spec" ? JSON.stringify(reply.spec.entities) : "");
      assert.match(reply.message, /For example: ".+"/);
    });
  }
});

describe("behaviour of the agent itself", () => {
  it("never fails and never returns an invalid spec, whatever the words", async () => {
    const vocabulary = `a the app for my users can should with and of to track manage recipes tasks projects comments posts
      books orders customers events notes tags reviews teams photos plants cars title price date due cooking email done
      each has have , : ( add remove rename call it called 'X' I want need store sell book rate comment on into by
      several inventory 123 café — ?`.split(/\s+/);
    let seed = 7;
    const pick = (): string => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return vocabulary[seed % vocabulary.length] ?? "";
    };
    const sentence = (n: number): string => Array.from({ length: n }, pick).join(" ");
    let specs = 0;
    for (let n = 0; n < 200; n++) {
      const first = await ask(sentence(1 + (n % 25)));
      if (first.type !== "spec") continue;
      specs++;
      const next = await ask(sentence(1 + (n % 9)), first.spec);
      if (next.type === "spec") assert.ok(next.changes.length > 0, "a new version always says what changed");
    }
    assert.ok(specs > 100, `only ${specs} specs`);
  });

  it("is deterministic: the same conversation gives the same reply", async () => {
    const text = "A recipe sharing app where users post recipes with ingredients and steps, and others can comment and rate them.";
    const a = await ask(text);
    const b = await createOfflineAgent().proposeSpec({ conversation: [{ role: "user", text }], current: null });
    assert.deepEqual(a, b);
    assert.equal(agent.name, "offline");
    assert.equal(a.type, "spec");
    if (a.type !== "spec") return;
    const r1 = await ask("add a rating field to Recipe", a.spec);
    const r2 = await ask("add a rating field to Recipe", a.spec);
    assert.deepEqual(r1, r2);
  });

  it("does not change the spec it is given", async () => {
    const { spec } = await specOf("A todo app with projects and tasks");
    const before = structuredClone(spec);
    await ask("remove the tasks entity and rename the app to X", spec);
    assert.deepEqual(spec, before);
  });

  it("honours an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      agent.proposeSpec({ conversation: [{ role: "user", text: "A todo app" }], current: null, signal: controller.signal }),
      (err: Error) => err.name === "AbortError",
    );
  });
});

describe("helpers", () => {
  it("inflects domain nouns (pluralize)", () => {
    for (const [s, p] of [["category", "categories"], ["movie", "movies"], ["box", "boxes"], ["person", "people"], ["status", "statuses"], ["class", "classes"], ["leaf", "leaves"], ["book", "books"], ["match", "matches"]] as const) {
      assert.equal(plural(s), p);
      assert.equal(singular(p), s);
    }
  });

  it("infers field types from field names", () => {
    const cases: Record<string, string> = {
      "due date": "date", "created at": "datetime", price: "money", amount: "money", "cooking time": "integer",
      "start time": "time", quantity: "integer", age: "integer", email: "email", website: "url", "is public": "boolean",
      done: "boolean", notes: "text", instructions: "text", title: "string", "phone number": "phone", "order number": "string",
      "shirt number": "integer", photo: "image", status: "enum", weight: "decimal",
    };
    for (const [phrase, type] of Object.entries(cases)) assert.equal(inferType(phrase.split(" ")).type, type, phrase);
    assert.deepEqual(parseFieldPhrase("a done flag"), { name: "done", type: "boolean", required: false, words: ["done"], explicitType: true });
    assert.deepEqual(parseFieldPhrase("watering interval in days"), { name: "wateringInterval", type: "integer", unit: "days", required: true, words: ["watering", "interval"], explicitType: false });
    assert.equal(parseFieldPhrase("an optional note")?.required, false);
    assert.deepEqual(parseFieldPhrase("priority (low, high)")?.values, ["low", "high"]);
  });
});

describe("relations an analyst infers", () => {
  it("links a record to the person named after what they do (sponsorship → sponsor)", async () => {
    const { spec } = await specOf("charity fun run: sponsors with a company name, sponsorships with an amount and a date, and runners with a bib number");
    assertUsable(spec);
    assert.equal(field(spec, "Sponsorship", "sponsor").references, "Sponsor");
  });
});

describe("links from roles, tags and people nothing points at", () => {
  it("makes a role-named field (host, assignee) a link to the members", async () => {
    const { spec } = await specOf("club admin: members with email, and meetings with a date, a host and an agenda");
    assertUsable(spec);
    assert.equal(field(spec, "Meeting", "host").references, "Member");
  });

  it("gives the main thing a many-to-many list of tags, and links authors", async () => {
    const { spec } = await specOf("a recipe site: recipes (title, steps, cooking time), authors, and tags");
    assertUsable(spec);
    const tags = field(spec, "Recipe", "tags");
    assert.equal(tags.references, "Tag");
    assert.equal(tags.cardinality, "many-to-many");
    assert.ok(entity(spec, "Recipe").fields.some((f) => f.references === "Author"), JSON.stringify(entity(spec, "Recipe").fields));
  });
});

describe("the user's own setting is not data", () => {
  it("does not keep the business the user runs or the subject they teach", async () => {
    for (const text of ["I run a florist and take wedding orders: customer, date, flowers and deposit", "i teach violin. students, their lessons (weekly slot, 30 min)", "Our choir needs a rehearsal planner: singers (name, voice part), rehearsals with a date"]) {
      const { spec } = await specOf(text);
      assertUsable(spec);
      const names = spec.entities.map((e) => e.name);
      assert.ok(!names.some((n) => /florist|violin|choir/i.test(n)), `${text} → ${names.join(",")}`);
    }
  });
});

describe("details noted on a thing", () => {
  it("makes what is noted or marked a field of the thing at hand", async () => {
    const { spec } = await specOf("We lend out camping gear. Each item has a name and a deposit; when an item comes back we mark it returned and note its condition.");
    assertUsable(spec);
    assert.ok(!spec.entities.some((e) => e.name === "Condition"), spec.entities.map((e) => e.name).join(","));
  });
});

describe("values in brackets", () => {
  it("does not make the last bracketed value an entity, and keeps the fields after it", async () => {
    const { spec } = await specOf("newsletter planner - issues per channel (email, slack, discord) with subject, send date and status");
    assertUsable(spec);
    assert.ok(!spec.entities.some((e) => e.name === "Discord"), spec.entities.map((e) => e.name).join(","));
    assert.ok(spec.entities.some((e) => e.fields.some((f) => f.name === "subject")), JSON.stringify(spec.entities));
  });
});

describe("verbs are not entities", () => {
  it("does not keep verb forms the tagger reads as nouns", async () => {
    const { spec } = await specOf("house jobs list. jobs like mowing and painting; each job gets ticked off when it's done. mock exams I've done with score and date.");
    assertUsable(spec);
    const names = spec.entities.map((e) => e.name);
    assert.ok(!names.some((n) => ["Get", "Done"].includes(n)), names.join(","));
  });
});

describe("possessives and places", () => {
  it("reads \"X, their Y\" as Y belonging to X", async () => {
    const { spec } = await specOf("i tutor maths. pupils, their sessions (weekly slot, 45 min), and what we covered");
    assertUsable(spec);
    const owner = spec.entities.find((e) => e.fields.some((f) => f.type === "reference" && f.references === "Student"));
    assert.ok(owner, spec.entities.map((e) => `${e.name}(${e.fields.map((f) => f.name).join(",")})`).join(" "));
  });

  it("folds details after a place into the thing before it, not a new entity", async () => {
    const { spec } = await specOf("a climbing wall: climbers with a membership number, and visits at the front desk with a timestamp");
    assertUsable(spec);
    assert.ok(!spec.entities.some((e) => /desk/i.test(e.name)), spec.entities.map((e) => e.name).join(","));
  });
});

describe("typo tolerance", () => {
  it("puts right a missed or doubled letter or swapped neighbours in a common word of 5+ letters", () => {
    assert.equal(fixTypos("salon apointments and a stamp colection"), "salon appointments and a stamp collection");
    assert.ok(oneEditApart("recieve", "receive"));
  });

  it("leaves real words alone, even one letter from a domain word", () => {
    for (const t of ["shirt sizes", "trucks and plates", "water the plants", "books borrowed", "tasks assigned", "a ticker symbol"]) assert.equal(fixTypos(t), t);
  });

  it("reads a misspelt thing to keep as the thing", async () => {
    const { spec } = await specOf("vintage camera colection with brand, year and price paid");
    assertUsable(spec);
    assert.ok(!spec.entities.some((e) => /colection/i.test(e.name)), spec.entities.map((e) => e.name).join(","));
  });
});
