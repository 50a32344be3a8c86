/** Words that signal structure in a description: which verbs take data as objects, what starts a field list… */
import { VERB_ENTITY } from "./lexicon.ts";
import { DETERMINERS, PREPOSITIONS } from "./text.ts";

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

export const ENTITY_VERBS = set(`track manage store list keep log record organize organise catalog catalogue collect save monitor
  schedule sell sells selling rent share browse discover find follow plan post publish upload create add write submit
  handle maintain assign hire suggest recommend`);
/** Also nouns ("an online store", "a blog post"): verbs only after a subject, modal or "to". */
export const NOUNISH_VERBS = set("store list log record plan schedule post share handle");
export const SELL = set("sell sells selling");
export const AFTER_VERB_SKIP = new Set([...DETERMINERS, "track", "of", "up", "record"]);
export const LIST_STOP = new Set([...PREPOSITIONS, "so", "where", "which", "that", "who", "when", "too", "as", "while"]);
LIST_STOP.delete("of");
export const FIELD_STOP = set("with having so where which that who when because but while for");
/** After a modal, only "have"-like verbs start a field list ("teachers can record grades" is an action). */
export const HAVE_AFTER_MODAL = set("have has need needs contain contains include includes");
/** When both are mentioned, the first is the second by another name ("a booking system … book appointments"). */
export const SAME_AS: Array<[string, string]> = [["Booking", "Appointment"], ["Listing", "Property"], ["Listing", "Product"], ["Item", "Product"]];
export const FIELDISH = set(`name names title titles date dates time price prices amount cost status location address description
  notes count quantity rating ratings score duration size color colour email phone url value weight height age deadline
  priority total balance frequency genre`);
export const HAVE = set("have has need needs contain contains include includes store stores record records hold holds");
export const MODALS = set("should must will can would also need needs to");
export const VERB_PREV = set(`can could should will would to and or also may must i we they you users people customers members
  readers visitors guests attendees students clients buyers shoppers patients employees players fans listeners viewers
  subscribers followers admins parents kids`);
export const BOOKING_FILLER = set("ticket tickets seat seats spot spots place places space spaces");
export const REL_PREPS = set("in into on for of per within under inside by about against");
export const PERSON_REF = set(`author owner creator assignee organizer organiser host sender recipient reporter requester customer
  client user member instructor teacher coach manager seller buyer landlord tenant driver agent`);
export const QUANTIFIERS = set("many multiple several lots list");
export const POSSESSIVE = set("my our their your");
export const OBJECT_SKIP = new Set([...DETERMINERS, ...Object.keys(VERB_ENTITY), "on", "to", "for", "about", "of", "in", "into", "at", "and", "or", "others", "up"]);
