/**
 * Domain knowledge of the offline agent, as data: the things apps usually keep, their usual
 * fields and links, the words that type a field, and the app kinds with the entities they hold.
 * The code that reads it is domain.ts; nothing here is a rule about sentences.
 *
 * Field shorthand: `name[?][:type][(a|b|c)][[unit]]`: `?` optional, type one of the spec's field
 * types (inferred from the name when absent), `(…)` enum values, `[km]` a unit.
 * Link shorthand: `[field]@Target|Other[?]`: the first target present wins; `?` optional.
 */

export interface EntityData {
  name: string;
  /** Singular words (and two-word phrases) people use for it. */
  words: string[];
  description: string;
  /** Identifying fields, kept even when the user lists their own. */
  core: string[];
  /** Usual fields, used when the user lists none. */
  extra: string[];
  links?: string[];
  /**
   * secondary: never the app's main entity; interaction: about another entity (a comment on a
   * post); grouping: things are grouped by it ("by category"); person: a kind of person;
   * ownWord: named by the word the user wrote ("bikes" → Bike, with a vehicle's fields).
   */
  flags?: Array<"secondary" | "interaction" | "grouping" | "person" | "ownWord">;
}

export const ENTITIES: EntityData[] = [
  { name: "User", words: ["user"], description: "A person with an account", core: ["name"], extra: ["email:email"], flags: ["secondary", "person"] },
  { name: "Recipe", words: ["recipe"], description: "A dish with its ingredients and method", core: ["title"], extra: ["ingredients:text", "instructions:text", "cookingTime:integer[minutes]", "servings?:integer", "photo?:image"], links: ["author@User?"] },
  { name: "Ingredient", words: ["ingredient"], description: "An ingredient used in a recipe", core: ["name"], extra: ["quantity?:decimal", "unit?"], links: ["@Recipe"], flags: ["secondary"] },
  { name: "Task", words: ["task", "todo", "to-do", "chore"], description: "A piece of work to get done", core: ["title", "done:boolean"], extra: ["description?:text", "dueDate?:date", "priority?:enum(low|medium|high)"], links: ["@Project?", "assignee@User?"] },
  { name: "Project", words: ["project"], description: "A body of work", core: ["name"], extra: ["description?:text", "deadline?:date"], links: ["@Client?", "owner@User?"], flags: ["grouping"] },
  { name: "Comment", words: ["comment"], description: "A comment someone left", core: ["body:text"], extra: ["createdAt:datetime"], links: ["author@User?"], flags: ["secondary", "interaction"] },
  { name: "Post", words: ["post", "article", "blog post"], description: "A published piece of writing", core: ["title"], extra: ["body:text", "publishedAt?:datetime"], links: ["author@User?", "@Category?"] },
  { name: "Product", words: ["product"], description: "Something for sale", core: ["name"], extra: ["description?:text", "price:money", "stock:integer", "photo?:image"], links: ["@Category?"] },
  { name: "Order", words: ["order", "purchase order"], description: "An order placed by a customer", core: ["orderNumber"], extra: ["placedAt:datetime", "status:enum(pending|paid|shipped|delivered|cancelled)", "total:money"], links: ["customer@Customer|Client|User?", "@Supplier?"] },
  { name: "OrderItem", words: ["order item", "line item"], description: "One product in an order", core: ["quantity:integer"], extra: ["unitPrice:money"], links: ["@Order", "@Product?"], flags: ["secondary"] },
  { name: "Customer", words: ["customer"], description: "Someone who buys from you", core: ["name"], extra: ["email:email", "phone?:phone"], flags: ["person"] },
  { name: "Client", words: ["client"], description: "Someone you work for", core: ["name"], extra: ["email:email", "phone?:phone", "company?"], flags: ["person"] },
  { name: "Supplier", words: ["supplier", "vendor"], description: "Someone you buy stock from", core: ["name"], extra: ["email?:email", "phone?:phone"], flags: ["person"] },
  { name: "Invoice", words: ["invoice", "bill"], description: "A bill sent to a client", core: ["invoiceNumber"], extra: ["issueDate:date", "dueDate:date", "amount:money", "status:enum(unpaid|paid)"], links: ["@Client|Customer?", "@Project?"] },
  { name: "Payment", words: ["payment"], description: "Money received or paid", core: ["amount:money"], extra: ["paidAt:datetime", "method?"], links: ["@Invoice|Order|Booking?"], flags: ["secondary"] },
  { name: "Event", words: ["event", "meetup", "gig", "concert"], description: "Something happening at a time and place", core: ["title"], extra: ["startsAt:datetime", "location", "capacity?:integer"], links: ["organizer@User?"] , flags: ["ownWord"] },
  { name: "Booking", words: ["booking", "reservation", "rental"], description: "A reservation someone made", core: ["startDate:date", "endDate:date"], extra: ["status:enum(pending|confirmed|cancelled)"], flags: ["secondary", "interaction"] },
  { name: "Appointment", words: ["appointment"], description: "A scheduled meeting with a client", core: ["startsAt:datetime"], extra: ["notes?:text", "status:enum(scheduled|done|cancelled)"], links: ["@Client|Customer|Patient|Pet|User?"] },
  { name: "Note", words: ["note"], description: "A written note", core: ["title"], extra: ["content:text"], links: ["@Category?"] },
  { name: "Book", words: ["book"], description: "A book", core: ["title"], extra: ["author", "isbn?", "publishedYear?:integer"] },
  { name: "Author", words: ["author", "writer"], description: "Someone who writes", core: ["name"], extra: ["bio?:text"], flags: ["person"] },
  { name: "Movie", words: ["movie", "film"], description: "A film", core: ["title"], extra: ["releaseYear?:integer", "genre?", "watched:boolean"] },
  { name: "Expense", words: ["expense"], description: "Money spent", core: ["description:string"], extra: ["amount:money", "date:date", "notes?:text"], links: ["@Category?", "@Trip?", "@Project?"] },
  { name: "Category", words: ["category"], description: "A way of grouping things", core: ["name"], extra: [], flags: ["secondary", "grouping"] },
  { name: "Tag", words: ["tag", "label"], description: "A label for grouping things", core: ["name"], extra: [], flags: ["secondary", "grouping"] },
  { name: "Review", words: ["review"], description: "A rating and review", core: ["rating:integer"], extra: ["body?:text"], links: ["author@User?"], flags: ["secondary", "interaction"] },
  { name: "Rating", words: ["rating"], description: "A score someone gave", core: ["score:integer"], extra: [], links: ["author@User|Member?"], flags: ["secondary", "interaction"] },
  { name: "Vote", words: ["vote"], description: "A vote someone cast", core: ["createdAt:datetime"], extra: [], links: ["voter@Member|User?"], flags: ["secondary", "interaction"] },
  { name: "Employee", words: ["employee", "staff member", "worker"], description: "Someone who works for the organisation", core: ["name"], extra: ["email:email", "jobTitle?"], links: ["@Team|Department?"], flags: ["person"] },
  { name: "Team", words: ["team", "squad"], description: "A group of people", core: ["name"], extra: [], flags: ["grouping"] },
  { name: "Department", words: ["department"], description: "Part of an organisation", core: ["name"], extra: [], flags: ["grouping"] },
  { name: "Member", words: ["member"], description: "A member of a club or group", core: ["name"], extra: ["email:email", "joinedOn?:date"], links: ["@Team?"], flags: ["person"] },
  { name: "Message", words: ["message"], description: "A message someone sent", core: ["body:text"], extra: ["sentAt:datetime"], links: ["sender@User?", "@Ticket|Conversation|Channel?"], flags: ["secondary"] },
  { name: "Photo", words: ["photo", "picture", "image"], description: "A photo", core: ["image:image"], extra: ["caption?:text", "takenAt?:date"], links: ["@Album?"] , flags: ["ownWord"] },
  { name: "Album", words: ["album"], description: "A collection of photos or songs", core: ["title"], extra: [], flags: ["grouping"] },
  { name: "Playlist", words: ["playlist"], description: "A list of songs", core: ["name"], extra: ["description?:text"], flags: ["grouping"] },
  { name: "Song", words: ["song", "track", "tune"], description: "A song", core: ["title"], extra: ["artist", "durationSeconds:integer"], links: ["@Playlist?", "@Album?"] , flags: ["ownWord"] },
  { name: "Workout", words: ["workout"], description: "A training session", core: ["date:date"], extra: ["duration:integer[minutes]", "notes?:text"] },
  { name: "Exercise", words: ["exercise"], description: "An exercise within a workout", core: ["name"], extra: ["sets:integer", "reps:integer", "weight?:decimal[kg]"], links: ["@Workout"], flags: ["secondary"] },
  { name: "Habit", words: ["habit"], description: "A habit to build", core: ["name"], extra: ["frequency:enum(daily|weekly|monthly)"] },
  { name: "Goal", words: ["goal", "objective", "target"], description: "Something to achieve", core: ["title"], extra: ["targetDate?:date", "achieved:boolean"] },
  { name: "Ticket", words: ["ticket", "support ticket"], description: "A support request", core: ["subject"], extra: ["description:text", "priority:enum(low|medium|high)", "status:enum(open|in-progress|resolved|closed)"], links: ["requester@Customer|Client|User?", "assignee@Agent|Employee|User?"] },
  { name: "Issue", words: ["issue", "bug"], description: "A problem to fix", core: ["title"], extra: ["description:text", "priority:enum(low|medium|high)", "status:enum(open|in-progress|closed)"], links: ["@Project?", "assignee@User?"] },
  { name: "Agent", words: ["agent", "support agent"], description: "Someone who handles support requests", core: ["name"], extra: ["email:email"], flags: ["person"] },
  { name: "Contact", words: ["contact"], description: "A person you keep in touch with", core: ["name"], extra: ["email:email", "phone?:phone"], links: ["@Company?"] },
  { name: "Company", words: ["company", "organization", "organisation"], description: "A company", core: ["name"], extra: ["website?:url"], flags: ["ownWord", "grouping"] },
  { name: "Deal", words: ["deal", "opportunity"], description: "A potential sale", core: ["title"], extra: ["value:money", "stage:enum(lead|qualified|proposal|won|lost)"], links: ["@Contact|Customer|Client?", "@Company?"] },
  { name: "Item", words: ["item", "thing"], description: "A thing you keep", core: ["name"], extra: ["description?:text", "quantity:integer"], links: ["@Category?"] , flags: ["ownWord"] },
  { name: "Course", words: ["course"], description: "A course people can take", core: ["title"], extra: ["description?:text"], links: ["instructor@Teacher?"] },
  { name: "Lesson", words: ["lesson"], description: "A lesson in a course", core: ["title"], extra: ["content:text", "position:integer"], links: ["@Course"] },
  { name: "Student", words: ["student", "pupil", "learner"], description: "Someone who learns", core: ["name"], extra: ["email:email"], flags: ["person"] },
  { name: "Teacher", words: ["teacher", "instructor", "tutor"], description: "Someone who teaches", core: ["name"], extra: ["email:email"], flags: ["person"] },
  { name: "Enrollment", words: ["enrollment", "enrolment"], description: "A student enrolled in a course", core: ["enrolledOn:date"], extra: [], flags: ["secondary", "interaction"] },
  { name: "Room", words: ["room"], description: "A room that can be booked", core: ["name"], extra: ["capacity:integer"] },
  { name: "Listing", words: ["listing"], description: "Something listed for sale or rent", core: ["title"], extra: ["description?:text", "price:money", "photo?:image"], links: ["seller@Seller|User?"] },
  { name: "Offer", words: ["offer", "bid"], description: "An offer on a listing", core: ["amount:money"], extra: ["status:enum(pending|accepted|rejected)"], flags: ["secondary", "interaction"] },
  { name: "Job", words: ["job", "vacancy", "position"], description: "An open position", core: ["title"], extra: ["description:text", "location", "salary?:money"], links: ["@Company?"] , flags: ["ownWord"] },
  { name: "Application", words: ["job application"], description: "An application for a job", core: ["appliedOn:date"], extra: ["status:enum(applied|interviewing|offered|rejected)"], links: ["@Job", "@Candidate|User?"], flags: ["secondary", "interaction"] },
  { name: "Candidate", words: ["candidate", "applicant"], description: "Someone applying for a job", core: ["name"], extra: ["email:email", "resume?:url"], flags: ["person"] },
  { name: "Patient", words: ["patient"], description: "A patient", core: ["name"], extra: ["dateOfBirth:date", "phone?:phone"], flags: ["person"] },
  { name: "Pet", words: ["pet"], description: "A pet", core: ["name"], extra: ["species", "breed?", "birthDate?:date"], links: ["owner@Owner|Customer|Client|User?"] },
  { name: "Trip", words: ["trip", "journey"], description: "A trip", core: ["name"], extra: ["destination", "startDate:date", "endDate:date"], flags: ["grouping"] },
  { name: "Document", words: ["document", "file"], description: "A stored document", core: ["title"], extra: ["file:url", "uploadedAt:datetime"], links: ["@Folder?"] , flags: ["ownWord"] },
  { name: "Folder", words: ["folder"], description: "A folder of documents", core: ["name"], extra: [], flags: ["grouping"] },
  { name: "Bookmark", words: ["bookmark", "link"], description: "A saved link", core: ["title"], extra: ["url:url", "notes?:text"] , flags: ["ownWord"] },
  { name: "Question", words: ["question"], description: "A question someone asked", core: ["title"], extra: ["body:text"], links: ["author@User?"] },
  { name: "Answer", words: ["answer"], description: "An answer to a question", core: ["body:text"], extra: [], links: ["@Question", "author@User?"], flags: ["secondary"] },
  { name: "Subscription", words: ["subscription"], description: "A recurring subscription", core: ["name"], extra: ["price:money", "billingCycle:enum(monthly|yearly)", "renewalDate:date"] },
  { name: "Shift", words: ["shift"], description: "A scheduled work shift", core: ["startsAt:datetime"], extra: ["endsAt:datetime"], links: ["@Volunteer|Employee|User?"] },
  { name: "Entry", words: ["entry", "journal entry", "diary entry", "log entry"], description: "A journal entry", core: ["date:date"], extra: ["content:text", "mood?"] },
  { name: "Meeting", words: ["meeting"], description: "A meeting", core: ["title"], extra: ["startsAt:datetime", "location?", "notes?:text"] },
  { name: "TimeEntry", words: ["time entry", "timesheet"], description: "Time spent on a piece of work", core: ["date:date"], extra: ["hours:decimal[hours]", "description?:text"], links: ["@Project?", "@Client|Customer?"] },
  { name: "Loan", words: ["loan"], description: "Something lent out", core: ["borrowedOn:date"], extra: ["dueOn:date", "returned:boolean"], links: ["borrower@Member|Student|Customer|User?"], flags: ["secondary", "interaction"] },
  { name: "LeaveRequest", words: ["leave request", "leave", "time-off request", "holiday request", "vacation request"], description: "A request for days off", core: ["startDate:date", "endDate:date"], extra: ["days:integer", "reason?:text", "status:enum(pending|approved|rejected)"], links: ["@Employee|User"] },
  { name: "Match", words: ["match", "game", "fixture"], description: "A game played", core: ["date:date", "opponent"], extra: ["location?"] },
  { name: "Player", words: ["player"], description: "Someone who plays in the team", core: ["name"], extra: ["shirtNumber?:integer", "position?:string"], flags: ["person"] },
  { name: "Episode", words: ["episode"], description: "An episode of a show or podcast", core: ["title"], extra: ["releaseDate:date"] },
  { name: "Guest", words: ["guest"], description: "Someone invited", core: ["name"], extra: ["email?:email"], flags: ["person"] },
  { name: "Bottle", words: ["bottle", "wine"], description: "A bottle of wine", core: ["name"], extra: ["vintage:integer", "grape", "region"] , flags: ["ownWord"] },
  { name: "Tool", words: ["tool", "power tool"], description: "A tool that can be lent or rented", core: ["name"], extra: ["description?:text", "photo?:image"] , flags: ["ownWord"] },
  { name: "Plant", words: ["plant", "houseplant", "house plant"], description: "A plant", core: ["name"], extra: ["species?", "photo?:image"] },
  { name: "Visit", words: ["visit"], description: "A visit", core: ["date:date"], extra: ["notes?:text"] },
  { name: "Volunteer", words: ["volunteer"], description: "Someone who volunteers", core: ["name"], extra: ["email:email", "phone?:phone"], flags: ["person"] },
  { name: "Owner", words: ["owner"], description: "Someone who owns things", core: ["name"], extra: ["email:email", "phone?:phone"], flags: ["person"] },
  { name: "Tenant", words: ["tenant", "renter"], description: "Someone who rents", core: ["name"], extra: ["email:email", "phone?:phone"], flags: ["person"] },
  { name: "Landlord", words: ["landlord"], description: "Someone who lets property", core: ["name"], extra: ["email:email", "phone?:phone"], flags: ["person"] },
  { name: "Property", words: ["property", "flat", "apartment"], description: "A place to live", core: ["address"], extra: ["rent:money", "bedrooms:integer", "photo?:image"] , flags: ["ownWord"] },
  { name: "Vehicle", words: ["vehicle", "car", "bike"], description: "A vehicle", core: ["name"], extra: ["make?", "model?", "year?:integer"] , flags: ["ownWord"] },
];

/** Words for people: the users and the people an app keeps records of (roles when they act). */
export const PERSON_WORDS = [
  "user", "member", "customer", "client", "employee", "manager", "admin", "administrator", "staff", "coach", "player",
  "teacher", "student", "parent", "owner", "renter", "tenant", "landlord", "driver", "volunteer", "coordinator",
  "organizer", "organiser", "attendee", "guest", "host", "seller", "buyer", "agent", "doctor", "vet", "nurse",
  "patient", "author", "reader", "editor", "reviewer", "instructor", "tutor", "trainer", "candidate", "recruiter",
  "supervisor", "leader", "officer", "visitor", "subscriber", "listener", "viewer", "artist", "musician", "chef",
  "cook", "waiter", "barista", "cleaner", "technician", "mechanic", "lawyer", "accountant", "therapist", "stylist",
  "moderator", "approver", "requester", "assignee", "borrower", "lender", "winner", "scorer", "referee", "captain",
  "freelancer", "contractor", "neighbour", "neighbor", "friend", "kid", "child", "family", "colleague", "teammate",
];

/** People a description mentions without the app storing them ("for my friends", "neighbours"). */
export const AUDIENCE_WORDS = ["friend", "family", "neighbour", "neighbor", "colleague", "teammate", "kid", "child", "people", "everyone", "someone", "anyone", "other", "team", "myself"];

/** Nouns that never name data: the app itself, time spans, vague words. */
export const GENERIC_NOUNS = [
  "app", "application", "site", "website", "web", "system", "platform", "page", "feature", "thing", "stuff",
  "way", "lot", "bunch", "kind", "type", "sort", "part", "piece", "pair", "couple", "set", "number", "amount", "time",
  "day", "week", "month", "year", "today", "tomorrow", "yesterday", "life", "work", "job", "business", "idea", "info",
  "information", "data", "detail", "option", "setting", "view", "screen", "dashboard", "overview", "summary", "list",
  "history", "progress", "track", "record", "note", "one", "everything", "something", "anything", "nothing", "use",
  "help", "support", "access", "account", "login", "place", "home", "fun", "money", "office", "team",
  "group", "club", "family", "who", "what", "which", "how", "end", "start", "beginning", "interface", "mode", "version",
  "board", "portal", "hub", "crm", "e-mail", "email",
  "reminder", "notification", "alert", "search", "filter", "chart", "graph", "report", "stat", "statistic", "export",
  "calendar", "map", "sync", "photo", "image", "each", "eg", "etc", "i", "me", "you", "we", "us", "them", "they",
  "thank", "thanks", "please", "hello", "hi", "hey", "ok", "okay", "cheers", "sorry", "change",
  // Verb forms the tagger can read as nouns ("gets ticked off", "papers I've done").
  "get", "done", "do", "go", "got", "gotten", "made", "make", "take", "taken", "want", "need", "like",
];

/** Heads that name the app, not data ("a podcast planner", "my wine cellar"). */
export const KIND_WORDS = [
  "app", "application", "tool", "platform", "site", "website", "webapp", "system", "tracker", "manager", "planner",
  "dashboard", "crm", "portal", "marketplace", "shop", "store", "blog", "journal", "diary", "organizer", "organiser",
  "catalog", "catalogue", "directory", "helpdesk", "forum", "watchlist", "wishlist", "library", "hub", "board", "log",
  "cellar", "database", "register", "logbook", "notebook", "scheduler", "booker", "finder", "calculator", "service",
];

/** Kinds that read well after the main entity: "Plant Tracker". */
export const ENTITY_KINDS = ["tracker", "manager", "planner", "journal", "diary", "organizer", "organiser", "catalog", "catalogue", "directory", "dashboard", "log"];

/** "an inventory of books", "a list of films": about the things inside. */
export const COLLECTIVE_NOUNS = ["inventory", "list", "collection", "catalog", "catalogue", "library", "set", "group", "database", "record", "log", "history", "archive", "variety", "series", "range"];

/** Heads that keep their modifier: "leave request", "workout session", "shopping list". */
export const CONTAINER_HEADS = ["request", "entry", "record", "item", "session", "report", "slot", "plan", "application", "order", "card", "note", "log"];

/** Words that are fields, not entities, when they come as an object ("book dates", "how many km"). */
export const FIELDISH = [
  "name", "title", "date", "time", "price", "amount", "cost", "status", "location", "address", "description", "note",
  "count", "quantity", "rating", "score", "duration", "size", "color", "colour", "email", "phone", "url", "value",
  "weight", "height", "age", "deadline", "priority", "total", "balance", "frequency", "genre", "budget", "deposit",
  "fee", "salary", "distance", "day", "hour", "minute", "km", "mile", "kg", "level", "stage", "number", "opponent",
  "vintage", "grape", "region", "year", "photo", "picture", "image", "type", "category", "comment", "feedback",
];

/** Field-name words → type. The last word decides first, then any word ("price paid" → money). */
export const TYPE_BY_LAST_WORD: Record<string, string> = {
  email: "email", mail: "email",
  phone: "phone", mobile: "phone", telephone: "phone", tel: "phone", cell: "phone", whatsapp: "phone",
  url: "url", link: "url", website: "url", homepage: "url", site: "url", resume: "url", cv: "url", file: "url", attachment: "url", video: "url",
  photo: "image", picture: "image", image: "image", avatar: "image", logo: "image", thumbnail: "image", cover: "image", headshot: "image", pic: "image", selfie: "image",
  date: "date", birthday: "date", deadline: "date", dob: "date", due: "date", on: "date", anniversary: "date",
  at: "datetime", timestamp: "datetime", datetime: "datetime", when: "datetime",
  description: "text", notes: "text", note: "text", body: "text", content: "text", instructions: "text", bio: "text",
  summary: "text", details: "text", comment: "text", comments: "text", message: "text", ingredients: "text", directions: "text",
  steps: "text", review: "text", feedback: "text", remarks: "text", story: "text", lyrics: "text", answer: "text",
  agenda: "text", transcript: "text", requirements: "text", symptoms: "text", reason: "text", diagnosis: "text", treatment: "text",
  price: "money", cost: "money", amount: "money", budget: "money", fee: "money", salary: "money", wage: "money", total: "money",
  balance: "money", revenue: "money", deposit: "money", rent: "money", tip: "money", income: "money", paid: "money", value: "money", subtotal: "money",
  count: "integer", quantity: "integer", qty: "integer", age: "integer", rating: "integer", stock: "integer", servings: "integer",
  reps: "integer", sets: "integer", calories: "integer", capacity: "integer", seats: "integer", points: "integer", score: "integer",
  votes: "integer", likes: "integer", views: "integer", laps: "integer", pages: "integer", rank: "integer", year: "integer",
  vintage: "integer", floor: "integer", position: "integer", goals: "integer", bedrooms: "integer", bathrooms: "integer", minute: "integer",
  days: "integer", nights: "integer", guests: "integer",
  percentage: "decimal", percent: "decimal", temperature: "decimal", latitude: "decimal", longitude: "decimal", rate: "decimal",
  weight: "decimal", height: "decimal", width: "decimal", length: "decimal", distance: "decimal", speed: "decimal", pace: "decimal",
  volume: "decimal", area: "decimal", mileage: "decimal", bmi: "decimal",
  status: "enum", priority: "enum", stage: "enum", level: "enum", size: "enum", difficulty: "enum", frequency: "enum", condition: "enum",
};

/** "X number": a count for these, a phone for "phone", otherwise an identifier (string). */
export const NUMBER_COUNTS = ["shirt", "jersey", "room", "table", "seat", "floor", "house", "lane", "squad", "page", "episode", "season", "track", "chapter", "lap"];

/** Booleans by the last word of a field ("done", "in stock"). */
export const BOOLEAN_WORDS = [
  "done", "completed", "finished", "archived", "active", "published", "visible", "featured", "favorite", "favourite",
  "enabled", "verified", "private", "public", "available", "watched", "read", "pinned", "starred", "checked", "resolved",
  "confirmed", "attended", "returned", "flagged", "shipped", "delivered", "refunded", "billable", "recurring", "urgent",
  "vegetarian", "vegan", "seen", "sold", "hidden", "present", "injured", "signed", "approved", "claimed",
];

/** Default values of an enum by the field's last word, when the user gives none. */
export const ENUM_DEFAULTS: Record<string, string[]> = {
  status: ["open", "in-progress", "done"],
  priority: ["low", "medium", "high"],
  stage: ["new", "in-progress", "done"],
  level: ["beginner", "intermediate", "advanced"],
  difficulty: ["easy", "medium", "hard"],
  size: ["small", "medium", "large"],
  frequency: ["daily", "weekly", "monthly"],
  condition: ["new", "good", "fair", "poor"],
};

/** Units: word → [unit as stored, field name when the unit is all the user said, type]. */
export const UNITS: Record<string, [string, string, "decimal" | "integer"]> = {
  km: ["km", "distance", "decimal"], kilometer: ["km", "distance", "decimal"], kilometre: ["km", "distance", "decimal"],
  mile: ["miles", "distance", "decimal"], mi: ["miles", "distance", "decimal"], meter: ["m", "distance", "decimal"], metre: ["m", "distance", "decimal"],
  cm: ["cm", "length", "decimal"], mm: ["mm", "length", "decimal"], inch: ["in", "length", "decimal"], foot: ["ft", "length", "decimal"], feet: ["ft", "length", "decimal"],
  kg: ["kg", "weight", "decimal"], kilo: ["kg", "weight", "decimal"], kilogram: ["kg", "weight", "decimal"], g: ["g", "weight", "decimal"], gram: ["g", "weight", "decimal"],
  lb: ["lb", "weight", "decimal"], lbs: ["lb", "weight", "decimal"], pound: ["lb", "weight", "decimal"], oz: ["oz", "weight", "decimal"],
  l: ["l", "volume", "decimal"], liter: ["l", "volume", "decimal"], litre: ["l", "volume", "decimal"], ml: ["ml", "volume", "decimal"],
  hour: ["hours", "hours", "decimal"], hr: ["hours", "hours", "decimal"], minute: ["minutes", "minutes", "integer"], min: ["minutes", "minutes", "integer"],
  second: ["seconds", "seconds", "integer"], sec: ["seconds", "seconds", "integer"], day: ["days", "days", "integer"], week: ["weeks", "weeks", "integer"],
  kcal: ["kcal", "calories", "integer"], calorie: ["kcal", "calories", "integer"],
  celsius: ["°C", "temperature", "decimal"], fahrenheit: ["°F", "temperature", "decimal"],
  sqm: ["m²", "area", "decimal"], sqft: ["sq ft", "area", "decimal"],
};

/** Currency words and signs → ISO 4217. */
export const CURRENCIES: Record<string, string> = {
  "€": "EUR", eur: "EUR", euro: "EUR", euros: "EUR",
  $: "USD", usd: "USD", dollar: "USD", dollars: "USD",
  "£": "GBP", gbp: "GBP", "pound sterling": "GBP", sterling: "GBP", quid: "GBP",
  "¥": "JPY", jpy: "JPY", yen: "JPY", chf: "CHF", franc: "CHF", francs: "CHF", sek: "SEK", kronor: "SEK", nok: "NOK", dkk: "DKK",
  cad: "CAD", aud: "AUD", inr: "INR", rupee: "INR", rupees: "INR", "₹": "INR", pln: "PLN", zloty: "PLN", brl: "BRL", mxn: "MXN",
};

/** Verbs whose outcome is a status: the object gets status pending → the participles. */
export const STATUS_VERBS: Record<string, string> = {
  approve: "approved", reject: "rejected", accept: "accepted", decline: "declined", deny: "denied", cancel: "cancelled",
  confirm: "confirmed", complete: "completed", close: "closed", resolve: "resolved", ship: "shipped", deliver: "delivered",
  publish: "published", archive: "archived", refund: "refunded", return: "returned", sign: "signed", verify: "verified",
  claim: "claimed", finish: "finished", pay: "paid", review: "reviewed",
};

/** Verbs that make a record of their own: "renters book dates" → Booking; "who scored in each match" → Goal. */
export const EVENT_VERBS: Record<string, string> = {
  book: "Booking", reserve: "Booking", rent: "Booking", hire: "Booking",
  score: "Goal", vote: "Vote", rate: "Rating", review: "Review", comment: "Comment",
  assign: "Assignment", enroll: "Enrollment", enrol: "Enrollment", register: "Registration", attend: "Attendance",
  borrow: "Loan", lend: "Loan", order: "Order", buy: "Order", purchase: "Order", apply: "Application",
  pay: "Payment", visit: "Visit", donate: "Donation", bid: "Offer", offer: "Offer", rsvp: "Rsvp", favourite: "Favorite", favorite: "Favorite", sponsor: "Sponsorship",
};

/** Event records no data entry describes: their first field. */
export const EVENT_FIELDS: Record<string, string[]> = {
  Assignment: ["assignedOn:date"], Registration: ["registeredAt:datetime"], Attendance: ["date:date", "present:boolean"],
  Donation: ["amount:money", "date:date"], Visit: ["date:date"], Goal: ["minute?:integer"], Vote: ["createdAt:datetime"], Rsvp: ["status:enum(going|not-going|maybe)"], Favorite: ["createdAt:datetime"], Sponsorship: ["amount?:money"],
};

/** Verbs for creating a record: the creator gets a link ("landlords list flats" → Property.landlord). */
export const CREATE_VERBS = ["post", "submit", "create", "write", "upload", "list", "add", "suggest", "publish", "log", "request", "send", "share", "make", "propose", "report", "raise", "file", "open", "organize", "organise", "host"];

/** Verbs that introduce what the app keeps ("track my shoes", "manage invoices"). */
export const KEEP_VERBS = ["track", "manage", "store", "keep", "log", "record", "list", "organize", "organise", "catalog", "catalogue", "collect", "save", "monitor", "sell", "rent", "lend", "share", "plan", "schedule", "browse", "follow", "book", "rate", "vote", "assign", "see", "view", "add", "create", "post", "write", "upload", "add", "note", "count", "register", "handle", "run", "coach", "teach", "invite", "hire", "buy", "order"];

/** Bare app kinds and what they usually hold: "a CRM", "a lost and found board". */
export const APP_KINDS: Array<{ words: string[]; entities: string[]; extra?: Record<string, string[]> }> = [
  { words: ["blog"], entities: ["Post", "Comment"] },
  { words: ["crm"], entities: ["Contact", "Company", "Deal"] },
  { words: ["helpdesk", "help desk", "support desk", "ticketing"], entities: ["Ticket"] },
  { words: ["ecommerce", "e-commerce", "online shop", "online store", "webshop", "marketplace"], entities: ["Product", "Order", "Customer"] },
  { words: ["journal", "diary"], entities: ["Entry"] },
  { words: ["forum"], entities: ["Post", "Comment"] },
  { words: ["kanban", "todo", "to-do"], entities: ["Task"] },
  { words: ["calendar", "scheduler"], entities: ["Event"] },
  { words: ["portfolio"], entities: ["Project"] },
  { words: ["inventory", "stock"], entities: ["Item"] },
  { words: ["wine cellar", "cellar"], entities: ["Bottle"] },
  { words: ["lost and found", "lost-and-found", "lost property"], entities: ["Item"], extra: { Item: ["name", "description?:text", "foundOn:date", "location", "photo?:image", "status:enum(lost|found|claimed)"] } },
  { words: ["recipe box", "cookbook"], entities: ["Recipe"] },
  { words: ["watchlist"], entities: ["Movie"] },
  { words: ["reading list"], entities: ["Book"] },
  { words: ["podcast"], entities: ["Episode"] },
  { words: ["guestbook", "guest book"], entities: ["Entry"] },
];

/** Adjectives that say nothing about the app's data, left out of its name ("a tiny CRM" → "CRM"). */
export const FLUFF_ADJECTIVES = ["simple", "small", "basic", "little", "nice", "quick", "easy", "cool", "good", "great", "modern", "clean", "tiny", "new", "beautiful", "fancy", "lightweight", "minimal", "minimalist", "full", "whole", "entire", "custom", "own", "private", "shared", "secure", "free", "cheap", "big", "super", "fun", "handy", "neat", "smart", "friendly", "proper", "real", "better", "best"];
