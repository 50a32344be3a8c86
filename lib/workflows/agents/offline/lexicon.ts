/**
 * Domain vocabulary: the nouns people use when describing apps, each with the fields a first
 * version of such an entity usually needs and the entities it usually points at.
 */
import { type Field, type FieldType, fieldFromSpec } from "./fields.ts";
import { singular } from "./inflect.ts";

export interface LinkSpec {
  /** Field name; null → named after the target ("project"). */
  field: string | null;
  /** Candidate targets, first present wins ("customer@Customer|Client|User"). */
  to: string[];
  required: boolean;
  /** Scalar field to add when no target exists ("author@Author=string" → author:string). */
  fallback: FieldType | null;
}

export interface LexEntry {
  name: string;
  description: string;
  /** The identifying field(s), kept even when the user lists their own fields. */
  core: Field[];
  extra: Field[];
  links: LinkSpec[];
  /** Singular only counts right after a determiner: the word is also a verb or too generic ("post", "team"). */
  strict: boolean;
  /** Singular is something else entirely ("application" = the app itself). */
  pluralOnly: boolean;
  /** Never the app's main entity (users, comments, tags…). */
  secondary: boolean;
  /** About another entity (a comment on a post): gets a reference to it. */
  interaction: boolean;
  /** Things are grouped by it: "expenses by category" creates Category. */
  grouping: boolean;
  /** A kind of person: the main entity only when nothing else is. */
  person: boolean;
}

function parseLink(spec: string): LinkSpec {
  const m = /^([a-zA-Z]*)@([A-Za-z|]+)(\?)?(?:=([a-z]+))?$/.exec(spec);
  if (!m?.[2]) throw new Error(`bad link spec ${spec}`);
  return { field: m[1] || null, to: m[2].split("|"), required: m[3] !== "?", fallback: (m[4] as FieldType | undefined) ?? null };
}

const split = (s: string): string[] => s.split(/\s+/).filter(Boolean);

const ENTRIES: LexEntry[] = [];
const INDEX = new Map<string, LexEntry>();

function e(name: string, words: string, description: string, core: string, extra: string, links = "", flags = ""): void {
  const f = new Set(split(flags));
  const entry: LexEntry = {
    name,
    description,
    core: split(core).map(fieldFromSpec),
    extra: split(extra).map(fieldFromSpec),
    links: split(links).map(parseLink),
    strict: f.has("strict"),
    pluralOnly: f.has("pluralOnly"),
    secondary: f.has("secondary"),
    interaction: f.has("interaction"),
    grouping: f.has("grouping"),
    person: f.has("person"),
  };
  ENTRIES.push(entry);
  for (const w of split(words)) INDEX.set(w.replace(/_/g, " "), entry);
}

e("User", "user", "A person with an account", "name", "email:email avatarUrl?:url", "", "secondary");
e("Recipe", "recipe", "A dish with its ingredients and method", "title", "description?:text ingredients:text instructions:text cookingTime:integer servings?:integer", "author@User?");
e("Ingredient", "ingredient", "An ingredient used in a recipe", "name", "quantity?:number unit?", "@Recipe", "secondary");
e("Meal", "meal", "A planned or eaten meal", "name", "date:date calories?:integer notes?:text", "@Recipe?");
e("Restaurant", "restaurant", "A place to eat", "name", "cuisine? address? rating?:integer");
e("Task", "task todo to-do chore", "A piece of work to get done", "title done:boolean", "description?:text dueDate?:date priority?", "@Project? assignee@User?");
e("Project", "project", "A body of work that groups tasks", "name", "description?:text dueDate?:date", "owner@User?", "grouping");
e("Milestone", "milestone", "A checkpoint in a project", "title", "dueDate:date done:boolean", "@Project");
e("Comment", "comment", "A comment someone left", "body:text", "createdAt:datetime", "author@User=string", "strict secondary interaction");
e("Post", "post article blog_post", "A published piece of writing", "title", "body:text publishedAt?:datetime", "author@User? @Category?", "strict");
e("Product", "product", "Something for sale", "name", "description?:text price:number stock:integer imageUrl?:url", "@Category? @Supplier?");
e("Order", "order purchase_order", "An order placed by a customer", "orderNumber", "placedAt:datetime status total:number", "customer@Customer|Client|User? @Supplier?", "strict");
e("OrderItem", "order_item line_item", "One product in an order", "quantity:integer", "unitPrice:number", "@Order @Product?", "secondary");
e("Customer", "customer", "Someone who buys from you", "name", "email:email phone?", "@Company?", "person");
e("Client", "client", "Someone you work for", "name", "email:email phone? company?", "", "person");
e("Supplier", "supplier vendor", "Someone you buy stock from", "name", "email?:email phone?", "", "person");
e("Invoice", "invoice", "A bill sent to a customer", "invoiceNumber paid:boolean", "issueDate:date dueDate:date amount:number", "customer@Customer|Client? @Project?");
e("Payment", "payment", "Money received or paid", "amount:number", "paidAt:datetime method?", "@Invoice|Order?", "secondary");
e("Event", "event", "Something happening at a time and place", "title", "description?:text startsAt:datetime endsAt?:datetime location capacity?:integer", "organizer@User?");
e("Booking", "booking reservation", "A reservation someone made", "status", "seats:integer bookedAt:datetime", "@User|Attendee|Customer|Client?", "secondary interaction");
e("Attendee", "attendee guest participant", "Someone attending", "name", "email:email", "", "person");
e("Appointment", "appointment", "A scheduled meeting with a client", "startsAt:datetime", "endsAt?:datetime notes?:text status", "@Client|Customer|Patient|User?");
e("Note", "note", "A written note", "title", "content:text", "@Category?", "strict");
e("Book", "book", "A book", "title", "isbn? publishedYear?:integer", "author@Author=string", "strict");
e("Author", "author writer", "Someone who writes books", "name", "bio?:text", "", "person");
e("Movie", "movie film", "A film", "title", "releaseYear?:integer genre? watched:boolean rating?:integer");
e("Expense", "expense spending", "Money spent", "description:string", "amount:number date:date notes?:text", "category@Category=string @Trip? @Project?");
e("Income", "income earning", "Money received", "source", "amount:number date:date");
e("Transaction", "transaction", "A movement of money", "description:string", "amount:number date:date type", "category@Category=string");
e("Budget", "budget", "A spending limit", "name", "amount:number month?", "@Category?");
e("Category", "category", "A way of grouping things", "name", "description?:text", "", "strict secondary grouping");
e("Tag", "tag label", "A label for grouping things", "name", "", "", "strict secondary grouping");
e("Review", "review rating", "A rating and review", "rating:integer", "body?:text createdAt:datetime", "author@User?", "strict secondary interaction");
e("Employee", "employee", "Someone who works for the organisation", "name", "email:email jobTitle hireDate:date", "@Team|Department?", "person");
e("Team", "team squad", "A group of people working together", "name", "description?:text", "", "strict grouping");
e("Department", "department", "Part of an organisation", "name", "", "", "grouping");
e("Member", "member team_member", "A member of a team or club", "name", "email:email role? joinedOn?:date", "@Team?", "person");
e("Message", "message", "A message someone sent", "body:text", "sentAt:datetime", "sender@User? @Ticket|Conversation|Channel?", "strict secondary");
e("Conversation", "conversation thread", "A thread of messages", "title", "", "", "strict");
e("Channel", "channel", "A place where messages are posted", "name", "description?:text", "", "grouping");
e("Photo", "photo picture image", "A photo", "title", "imageUrl:url caption?:text takenAt?:date", "@Album? owner@User?");
e("Album", "album", "A collection of photos or songs", "title", "description?:text", "", "grouping");
e("Playlist", "playlist", "An ordered list of songs", "name", "description?:text", "owner@User?", "grouping");
e("Song", "song tune", "A song", "title", "artist durationSeconds:integer", "@Playlist? @Album?");
e("Artist", "artist band musician", "Someone who makes music", "name", "genre? bio?:text", "", "person");
e("Workout", "workout", "A training session", "name", "date:date durationMinutes:integer notes?:text", "user@User?");
e("Exercise", "exercise", "An exercise within a workout", "name", "sets:integer reps:integer weight?:number", "@Workout", "secondary");
e("Habit", "habit", "A habit to build", "name", "description?:text frequency startDate?:date", "user@User?");
e("CheckIn", "check-in checkin", "A day a habit was done", "date:date", "done:boolean notes?:text", "@Habit", "secondary");
e("Goal", "goal", "Something to achieve", "title", "targetDate?:date achieved:boolean");
e("Ticket", "ticket support_ticket", "A support request", "title status", "description:text priority createdAt:datetime", "requester@Customer|Client|User? assignee@Agent|Employee|User?");
e("Issue", "issue bug", "A problem to fix", "title status", "description:text priority", "reporter@User? assignee@User? @Project?", "strict");
e("Agent", "agent support_agent", "Someone who handles support requests", "name", "email:email", "", "person");
e("Contact", "contact", "A person you keep in touch with", "name", "email:email phone? notes?:text", "@Company?", "strict");
e("Company", "company organization organisation", "A company", "name", "website?:url industry?", "", "grouping");
e("Deal", "deal opportunity", "A potential sale", "title", "value:number stage closeDate?:date", "@Contact|Customer|Client? @Company?", "strict");
e("Lead", "lead prospect", "A potential customer", "name", "email:email source? status", "", "strict");
e("Item", "item inventory_item", "A thing you keep", "name", "description?:text quantity:integer", "@Category?", "strict");
e("Course", "course", "A course people can take", "title", "description?:text startDate?:date", "instructor@Teacher?");
e("Lesson", "lesson", "A lesson in a course", "title", "content:text position?:integer", "@Course");
e("Student", "student pupil learner", "Someone who learns", "name", "email:email", "", "person");
e("Teacher", "teacher instructor tutor coach", "Someone who teaches", "name", "email:email", "", "person");
e("Class", "class", "A scheduled class", "name", "startsAt:datetime capacity:integer", "instructor@Teacher?", "strict");
e("Enrollment", "enrollment enrolment", "A student enrolled in a course", "enrolledAt:datetime", "", "@Student|User?", "secondary interaction");
e("Room", "room", "A room that can be booked", "name", "capacity:integer", "", "strict");
e("Property", "property", "A property", "address", "price:number bedrooms:integer", "", "strict");
e("Listing", "listing", "Something listed for sale or rent", "title", "description?:text price:number location", "owner@User?");
e("Job", "job vacancy", "An open position", "title", "description:text location salary?:number", "company@Company=string", "strict");
e("Application", "application", "An application for a job", "status", "appliedAt:datetime", "@Job @Candidate|User?", "secondary interaction pluralOnly");
e("Candidate", "candidate applicant", "Someone applying for a job", "name", "email:email resumeUrl?:url", "", "person");
e("Patient", "patient", "A patient", "name", "dateOfBirth:date phone?", "", "person");
e("Pet", "pet", "A pet", "name", "species breed? birthDate?:date", "owner@Customer|Client|User?");
e("Trip", "trip journey", "A trip", "name", "destination startDate:date endDate:date notes?:text", "", "grouping");
e("Document", "document doc file", "A stored document", "title", "fileUrl:url uploadedAt:datetime", "@Folder? owner@User?", "strict");
e("Folder", "folder", "A folder of documents", "name", "", "", "grouping");
e("Bookmark", "bookmark link", "A saved link", "title", "url:url notes?:text", "", "strict");
e("Favorite", "favorite favourite", "Something a user marked as a favourite", "createdAt:datetime", "", "user@User?", "secondary interaction pluralOnly");
e("Question", "question", "A question someone asked", "title", "body:text", "author@User?", "strict");
e("Answer", "answer", "An answer to a question", "body:text", "createdAt:datetime", "@Question author@User?", "strict secondary");
e("Subscription", "subscription", "A recurring subscription", "name", "price:number billingCycle renewalDate:date");
e("Shift", "shift", "A scheduled work shift", "startsAt:datetime", "endsAt:datetime", "@Employee|User", "strict");
e("Entry", "entry journal_entry diary_entry log_entry", "A journal entry", "title", "content:text date:date mood?", "", "strict");
e("Meeting", "meeting", "A meeting", "title", "startsAt:datetime location? notes?:text");
e("TimeEntry", "time_entry timesheet hour", "Time spent on a piece of work", "date:date", "hours:number description?:text", "@Project? @Client|Customer? @User?", "pluralOnly");
e("Loan", "loan", "Something lent out", "borrowedOn:date", "dueOn:date returned:boolean", "borrower@Member|Student|Customer|User?", "secondary interaction");
e("Call", "call phone_call", "A phone call with a contact", "calledAt:datetime", "durationMinutes?:integer notes?:text", "@Contact|Customer|Client|Lead?", "strict");
e("Activity", "activity interaction", "Something that happened with a contact", "type", "date:date notes?:text", "@Contact|Customer|Client|Lead|Deal?");

export function entryByName(name: string): LexEntry | undefined {
  return ENTRIES.find((x) => x.name === name);
}

/** A word (singular or plural) → its entry; `plural` says which form was used. */
export function lookupWord(word: string): { entry: LexEntry; plural: boolean } | undefined {
  const w = word.toLowerCase();
  const direct = INDEX.get(w);
  if (direct) return { entry: direct, plural: false };
  const s = singular(w);
  const entry = s !== w ? INDEX.get(s) : undefined;
  return entry ? { entry, plural: true } : undefined;
}

export function lookupPhrase(first: string, second: string): { entry: LexEntry; plural: boolean } | undefined {
  const s = singular(second.toLowerCase());
  const entry = INDEX.get(`${first.toLowerCase()} ${s}`);
  return entry ? { entry, plural: s !== second.toLowerCase() } : undefined;
}

/** Verbs that imply an entity: "users can comment on posts" → Comment about Post. */
export const VERB_ENTITY: Record<string, string> = {
  comment: "Comment", commenting: "Comment",
  review: "Review", reviewing: "Review", rate: "Review",
  book: "Booking", reserve: "Booking", reserving: "Booking", rsvp: "Booking",
  order: "Order", ordering: "Order", buy: "Order", buying: "Order", purchase: "Order",
  message: "Message", messaging: "Message",
  tag: "Tag", tagging: "Tag",
  favorite: "Favorite", favourite: "Favorite", favoriting: "Favorite",
  apply: "Application", applying: "Application",
  enroll: "Enrollment", enrol: "Enrollment", enrolling: "Enrollment",
  answer: "Answer",
  borrow: "Loan", borrowing: "Loan", lend: "Loan", lending: "Loan",
};
