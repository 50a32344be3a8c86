/**
 * The offline agent as a user meets it: real descriptions in, useful app specs out; vague input
 * gets a question; follow-up messages change the spec and say what changed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AppSpec, appSpecState } from "../lib/artifacts/schemas.ts";
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

describe("first specs from real descriptions", () => {
  it("recipe sharing: recipes with listed fields, comments on recipes by users, sign in", async () => {
    const { spec, changes, message } = await specOf(
      "A recipe sharing app where users can post recipes with ingredients, steps and cooking time, and comment on each other's recipes.",
    );
    assert.equal(spec.name, "Recipe Sharing App");
    assert.deepEqual(new Set(names(spec)), new Set(["Recipe", "User", "Comment"]));
    assert.equal(spec.entities[0]?.name, "Recipe", "the main entity comes first");
    assertFields(spec, "Recipe", { title: "string", ingredients: "text", steps: "text", cookingTime: "integer", author: "→User" });
    assertFields(spec, "Comment", { body: "text", recipe: "→Recipe", author: "→User" });
    assertPages(spec, ["/", "/recipes", "/recipes/[id]", "/comments", "/sign-in"]);
    assert.equal(spec.pages.find((p) => p.path === "/recipes/[id]")?.entity, "Recipe");
    assert.ok(hasFeature(spec, /^Users can comment on each other's recipes$/), spec.features.join(" | "));
    assert.ok(hasFeature(spec, /^Users can post recipes with ingredients, steps and cooking time$/));
    assert.ok(hasFeature(spec, /Create, view, edit and delete recipes/));
    assert.ok(hasFeature(spec, /sign in/i));
    assert.deepEqual(changes, []);
    assert.match(message, /Recipe Sharing App/);
    assert.match(spec.summary, /recipes/i);
  });

  it("todo app: tasks organised into projects, with the fields listed, and no accounts for a personal app", async () => {
    const { spec } = await specOf("A todo app where I can organise tasks into projects. Tasks have a title, due date, priority and a done flag.");
    assert.equal(spec.name, "Todo App");
    assert.deepEqual(names(spec), ["Task", "Project"]);
    assertFields(spec, "Task", { title: "string", dueDate: "date", priority: "string", done: "boolean", project: "→Project" });
    assertPages(spec, ["/tasks", "/tasks/[id]", "/projects", "/projects/[id]"]);
    assert.ok(!spec.pages.some((p) => p.path === "/sign-in"), "a personal app needs no sign in");
    assert.ok(hasFeature(spec, /organise tasks into projects/));
  });

  it("bookstore inventory: books with typed fields, suppliers and the orders placed with them", async () => {
    const { spec } = await specOf(
      "I run a small bookstore and need to manage my inventory of books: title, author, ISBN, price and quantity in stock. I also want to track suppliers and purchase orders from them.",
    );
    assert.equal(spec.name, "Bookstore Manager");
    assert.deepEqual(names(spec), ["Book", "Supplier", "Order"]);
    assertFields(spec, "Book", { title: "string", author: "string", isbn: "string", price: "number", quantityInStock: "integer" });
    assertFields(spec, "Order", { supplier: "→Supplier", total: "number", placedAt: "datetime" });
    assertPages(spec, ["/books", "/books/[id]", "/suppliers", "/orders/[id]"]);
  });

  it("gym workout tracker: workouts with several exercises, durations in minutes, a progress dashboard", async () => {
    const { spec } = await specOf(
      "A gym workout tracker. I log workouts with a date, duration in minutes and notes, and each workout has several exercises with sets, reps and weight. I want to see my progress over time.",
    );
    assert.equal(spec.name, "Gym Workout Tracker");
    assertFields(spec, "Workout", { date: "date", durationMinutes: "integer", notes: "text" });
    assertFields(spec, "Exercise", { sets: "integer", reps: "integer", weight: "number", workout: "→Workout" });
    assertPages(spec, ["/workouts", "/exercises/[id]", "/dashboard"]);
    assert.ok(hasFeature(spec, /progress over time/));
  });

  it("event booking: events with capacity, bookings for events by signed-in attendees", async () => {
    const { spec } = await specOf(
      "An event booking platform where organizers create events with a title, date, venue and capacity, and attendees can book tickets. Attendees need accounts to book.",
    );
    assert.equal(spec.name, "Event Booking Platform");
    assert.equal(spec.entities[0]?.name, "Event");
    assertFields(spec, "Event", { title: "string", date: "date", venue: "string", capacity: "integer" });
    assertFields(spec, "Booking", { event: "→Event", seats: "integer", user: "→User" });
    assertPages(spec, ["/events", "/bookings", "/sign-in", "/profile"]);
    assert.ok(hasFeature(spec, /Attendees can book tickets/));
    assert.ok(!names(spec).includes("Ticket"), "tickets are what gets booked, not support tickets");
  });

  it("blog: posts with a cover image, and reader comments on posts", async () => {
    const { spec } = await specOf("A personal blog where I write posts and readers can leave comments. Posts have a title, body, cover image and tags.");
    assert.equal(spec.name, "Personal Blog");
    assert.deepEqual(names(spec), ["Post", "Comment"]);
    assertFields(spec, "Post", { title: "string", body: "text", coverImage: "url", tags: "text" });
    assertFields(spec, "Comment", { body: "text", post: "→Post" });
    assertPages(spec, ["/posts", "/posts/[id]", "/comments"]);
    assert.ok(hasFeature(spec, /Readers can leave comments/));
  });

  it("expense tracker: expenses by category, budgets per category, a chart", async () => {
    const { spec } = await specOf("Track my monthly expenses by category, with a budget per category and a chart of spending per month.");
    assert.equal(spec.name, "Expense Tracker");
    assert.equal(spec.entities[0]?.name, "Expense");
    assertFields(spec, "Expense", { amount: "number", date: "date", category: "→Category" });
    assertFields(spec, "Budget", { amount: "number", category: "→Category" });
    assertPages(spec, ["/expenses", "/categories", "/budgets", "/dashboard"]);
    assert.match(spec.summary, /track expenses/);
  });

  it("CRM: contacts at companies, calls with contacts, deals in stages", async () => {
    const { spec } = await specOf(
      "A simple CRM for a small sales team: keep track of contacts and the companies they work for, log calls and emails with each contact, and manage deals through pipeline stages.",
    );
    assert.equal(spec.name, "CRM");
    assert.deepEqual(new Set(names(spec)), new Set(["Contact", "Company", "Call", "Deal"]));
    assertFields(spec, "Contact", { email: "email", company: "→Company" });
    assertFields(spec, "Deal", { value: "number", stage: "string", contact: "→Contact", company: "→Company" });
    assertFields(spec, "Call", { contact: "→Contact" });
    assert.ok(!names(spec).includes("Team"), "the user's own team is not data");
    assert.ok(hasFeature(spec, /^Manage deals through pipeline stages$/), spec.features.join(" | "));
  });

  it("plant watering tracker: an unknown noun the user keeps track of, with a watering interval in days", async () => {
    const { spec } = await specOf(
      "I want an app to keep track of my house plants and remind me when to water them. Each plant has a name, species, location, watering interval in days and the date it was last watered.",
    );
    assert.equal(spec.name, "Plant Tracker");
    assert.deepEqual(names(spec), ["Plant"]);
    assertFields(spec, "Plant", { name: "string", species: "string", location: "string", wateringIntervalDays: "integer", lastWatered: "date" });
    assertPages(spec, ["/", "/plants", "/plants/[id]"]);
    assert.ok(hasFeature(spec, /^Remind you when to water plants$/), spec.features.join(" | "));
  });

  it("support tickets: tickets from customers assigned to agents, with messages, and customer sign in", async () => {
    const { spec } = await specOf(
      "A helpdesk for our support team. Customers submit tickets with a subject, description and priority; agents are assigned tickets, can reply with messages, and close them when resolved. Customers should be able to log in and see the status of their tickets.",
    );
    assert.equal(spec.name, "Helpdesk");
    assert.equal(spec.entities[0]?.name, "Ticket");
    assertFields(spec, "Ticket", { subject: "string", description: "text", priority: "string", status: "string", requester: "→Customer", assignee: "→Agent" });
    assertFields(spec, "Message", { body: "text", ticket: "→Ticket" });
    assertPages(spec, ["/tickets", "/tickets/[id]", "/messages", "/sign-in"]);
    assert.ok(hasFeature(spec, /Customers can see the status of their tickets/));
    assert.ok(hasFeature(spec, /Customers can submit tickets/));
  });

  it("online store: what it sells becomes the product, with customers, orders and a cart", async () => {
    const { spec } = await specOf("An online store selling handmade candles. Customers can browse products, add them to a cart and check out. I need to manage orders.");
    assert.equal(spec.name, "Online Store");
    assert.equal(spec.entities[0]?.name, "Candle");
    assert.ok(!names(spec).includes("Product"), "the products are the candles");
    assertFields(spec, "Candle", { price: "number", stock: "integer" });
    assertFields(spec, "Order", { customer: "→Customer", total: "number" });
    assertPages(spec, ["/candles", "/orders", "/cart"]);
    assert.ok(hasFeature(spec, /Customers can add products to a cart/));
  });

  it("music: playlists of songs", async () => {
    const { spec } = await specOf("A music app where users create playlists of songs.");
    assertFields(spec, "Song", { title: "string", durationSeconds: "integer", playlist: "→Playlist" });
    assert.ok(!entity(spec, "Playlist").fields.some((f) => f.references === "Song"), "songs point at playlists, not the reverse");
    assertPages(spec, ["/playlists", "/songs", "/sign-in"]);
  });

  it("job board: candidates apply to jobs", async () => {
    const { spec } = await specOf("A job board where companies post jobs with a title, location and salary, and candidates can apply to jobs with a resume.");
    assertFields(spec, "Job", { title: "string", location: "string", salary: "number" });
    assertFields(spec, "Application", { job: "→Job" });
    assert.ok(names(spec).includes("Candidate"));
  });

  it("uses the name the user gives and reviews what the user rates", async () => {
    const { spec } = await specOf('A movie watchlist called "Reel Notes" where I can rate and review movies I\'ve watched.');
    assert.equal(spec.name, "Reel Notes");
    assertFields(spec, "Movie", { title: "string", watched: "boolean" });
    assertFields(spec, "Review", { rating: "integer", movie: "→Movie" });
    assert.ok(!names(spec).includes("Watched"));
  });

  it("library: members borrow books, so loans record who has which book until when", async () => {
    const { spec } = await specOf("Create an app for managing a library. Members can borrow books; we need to know who has which book and when it is due back.");
    assert.deepEqual(new Set(names(spec)), new Set(["Book", "Member", "Loan"]));
    assertFields(spec, "Loan", { book: "→Book", borrower: "→Member", dueOn: "date", returned: "boolean" });
  });

  it("online courses: lessons belong to courses, students enroll", async () => {
    const { spec } = await specOf("a platform for online courses where instructors create courses with lessons and students enroll and track progress");
    assert.equal(spec.name, "Online Course Platform");
    assert.equal(spec.entities[0]?.name, "Course");
    assertFields(spec, "Lesson", { course: "→Course" });
    assertFields(spec, "Enrollment", { course: "→Course", student: "→Student" });
  });

  it("a named app about something the user only mentions in passing", async () => {
    const { spec } = await specOf("An app called Leaf Buddy that reminds me to water my plants");
    assert.equal(spec.name, "Leaf Buddy");
    assert.deepEqual(names(spec), ["Plant"]);
    assert.ok(spec.features.includes("Remind you to water your plants"), spec.features.join(" | "));
  });

  it("a bare app kind still gets its usual data", async () => {
    const { spec } = await specOf("a CRM");
    assert.deepEqual(names(spec), ["Contact", "Company", "Deal"]);
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
    assertFields(reply.spec, "Recipe", { ingredients: "text", photo: "url" });
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

describe("refining a spec", () => {
  const BOOKSTORE = "A bookstore inventory app that tracks books with title, author, price and stock.";

  it("add a comments entity: Comment points at the main entity and gets pages", async () => {
    const first = await specOf(BOOKSTORE);
    const { spec, changes, message } = await specOf("add a comments entity", first.spec);
    assertFields(spec, "Comment", { body: "text", book: "→Book" });
    assertPages(spec, ["/comments", "/comments/[id]", "/books"]);
    assert.ok(changes.some((c) => /^Added entity Comment/.test(c)), changes.join(" | "));
    assert.ok(changes.includes("Added page Comments (/comments)"));
    assert.match(message, /Updated/);
    assert.deepEqual(entity(spec, "Book"), entity(first.spec, "Book"), "the rest is untouched");
  });

  it("short forms work too: add comments, also track tags, comments on a named entity", async () => {
    const first = await specOf("A todo app with projects and tasks");
    const comments = await specOf("add comments on tasks", first.spec);
    assertFields(comments.spec, "Comment", { task: "→Task" });
    const tags = await specOf("also track tags", comments.spec);
    assert.ok(names(tags.spec).includes("Tag"));
    assertPages(tags.spec, ["/tags", "/tags/[id]"]);
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
  });

  it("add fields: explicit, implied by 'should have', and with a stated type", async () => {
    const first = await specOf(BOOKSTORE);
    const a = await specOf("add a rating field to Book", first.spec);
    assertFields(a.spec, "Book", { rating: "integer" });
    assert.deepEqual(a.changes, ["Added field rating (integer) to Book"]);
    const b = await specOf("books should have a publisher and a release date", a.spec);
    assertFields(b.spec, "Book", { publisher: "string", releaseDate: "date" });
    const c = await specOf("add a field discount (number) to books", b.spec);
    assertFields(c.spec, "Book", { discount: "number" });
    const d = await specOf("make price optional", c.spec);
    assert.equal(field(d.spec, "Book", "price").required, false);
    assert.deepEqual(d.changes, ["Made Book.price optional"]);
  });

  it("rename the app, and rename an entity with its references and pages", async () => {
    const first = await specOf("A todo app where I can organise tasks into projects.");
    const a = await specOf("rename the app to Get It Done", first.spec);
    assert.equal(a.spec.name, "Get It Done");
    assert.deepEqual(a.changes, ['Renamed the app to "Get It Done"']);
    const b = await specOf("call it Doable", a.spec);
    assert.equal(b.spec.name, "Doable");
    const c = await specOf("rename Project to Area", b.spec);
    assert.deepEqual(new Set(names(c.spec)), new Set(["Task", "Area"]));
    assertFields(c.spec, "Task", { project: "→Area" });
    assertPages(c.spec, ["/areas", "/areas/[id]"]);
    assert.ok(!c.spec.pages.some((p) => p.path.startsWith("/projects")));
    assert.ok(c.changes.includes("Renamed entity Project to Area"));
  });

  it("add features: explicit, 'users should be able to…' (with what it needs), and keywords", async () => {
    const first = await specOf(BOOKSTORE);
    const a = await specOf("add a feature: export the inventory as CSV", first.spec);
    assert.ok(a.spec.features.includes("Export the inventory as CSV"));
    assert.deepEqual(a.changes, ["Added feature: Export the inventory as CSV"]);
    const b = await specOf("users should be able to review books", a.spec);
    assert.ok(b.spec.features.includes("Users can review books"));
    assertFields(b.spec, "Review", { rating: "integer", book: "→Book" });
    const c = await specOf("add search", b.spec);
    assertPages(c.spec, ["/search"]);
    assert.ok(c.spec.features.includes("Search books"));
  });

  it("accounts come and go with the User entity, its pages and the links to it", async () => {
    const first = await specOf("A todo app where I can organise tasks into projects.");
    const a = await specOf("users should be able to sign up and share projects", first.spec);
    assertFields(a.spec, "Project", { owner: "→User" });
    assertPages(a.spec, ["/sign-in", "/profile"]);
    assert.ok(a.spec.features.includes("Users can share projects"), a.spec.features.join(" | "));
    const b = await specOf("remove login", a.spec);
    assert.deepEqual(b.spec.entities, first.spec.entities, "back to no users and no links to them");
    assert.deepEqual(b.spec.pages, first.spec.pages);
  });

  it("several changes in one message", async () => {
    const first = await specOf(BOOKSTORE);
    const { spec, changes } = await specOf("Add an Author entity, remove stock and rename the app to Shelf", first.spec);
    assert.equal(spec.name, "Shelf");
    assertFields(spec, "Book", { author: "→Author" });
    assert.ok(!entity(spec, "Book").fields.some((f) => f.name === "stock"));
    assert.ok(changes.includes("Removed field stock from Book"));
    assert.ok(changes.includes("Changed Book.author from string to reference to Author"));
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
  it("inflects domain nouns", () => {
    for (const [s, p] of [["category", "categories"], ["movie", "movies"], ["box", "boxes"], ["person", "people"], ["status", "statuses"], ["class", "classes"], ["leaf", "leaves"], ["book", "books"]] as const) {
      assert.equal(plural(s), p);
      assert.equal(singular(p), s);
    }
  });

  it("infers field types from field names", () => {
    const cases: Record<string, string> = {
      "due date": "date", "created at": "datetime", price: "number", amount: "number", "cooking time": "integer",
      "start time": "datetime", quantity: "integer", age: "integer", email: "email", website: "url", "is public": "boolean",
      done: "boolean", notes: "text", instructions: "text", title: "string", "phone number": "string",
    };
    for (const [phrase, type] of Object.entries(cases)) assert.equal(inferType(phrase.split(" ")), type, phrase);
    assert.deepEqual(parseFieldPhrase("a done flag"), { name: "done", type: "boolean", required: true, words: ["done"], explicitType: true });
    assert.equal(parseFieldPhrase("watering interval in days")?.name, "wateringIntervalDays");
    assert.equal(parseFieldPhrase("an optional note")?.required, false);
  });
});
