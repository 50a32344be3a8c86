/**
 * The value of one string field of a JSON object that is still arriving, decoded as far as it
 * goes: what lets the chat show a model's "message" live while the rest of its JSON (the spec)
 * is still streaming. Prefix-stable: more input only ever extends the result.
 */
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export function partialStringField(raw: string, field: string): { text: string; done: boolean } {
  const key = new RegExp(`"${field}"\\s*:\\s*"`).exec(raw);
  if (!key) return { text: "", done: false };
  const text = decode(raw, key.index + key[0].length);
  return text;
}

function decode(raw: string, start: number): { text: string; done: boolean } {
  // Cut before a trailing high surrogate: its pair is still on the way.
  const partial = (out: string) => ({ text: /[\uD800-\uDBFF]$/.test(out) ? out.slice(0, -1) : out, done: false });
  let out = "";
  for (let i = start; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') return { text: out, done: true };
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = raw[i + 1];
    if (e === undefined) return partial(out); // the escape is cut off: wait for more
    if (e === "u") {
      const hex = raw.slice(i + 2, i + 6);
      if (hex.length < 4 || !/^[0-9a-fA-F]{4}$/.test(hex)) return partial(out);
      const code = parseInt(hex, 16);
      // A high surrogate waits for its pair, so no half character is ever shown.
      if (code >= 0xd800 && code <= 0xdbff) {
        const next = raw.slice(i + 6, i + 12);
        if (next.length < 6) return partial(out);
        const low = /^\\u([0-9a-fA-F]{4})$/.exec(next);
        if (!low) return partial(out);
        out += String.fromCharCode(code, parseInt(low[1]!, 16));
        i += 11;
        continue;
      }
      out += String.fromCharCode(code);
      i += 5;
      continue;
    }
    out += ESCAPES[e] ?? e;
    i += 1;
  }
  return partial(out);
}
