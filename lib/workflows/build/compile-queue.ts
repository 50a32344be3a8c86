import { availableParallelism } from "node:os";

/**
 * The line for a build's heavy stage (installing, type-checking, compiling and starting the
 * generated project): at most `limit` builds run it at once in this process; the others wait
 * in FIFO order, are told their place in line whenever it changes, and start by themselves
 * when a slot frees. A waiter whose signal aborts (Stop, shutdown) leaves the line at once
 * and everyone behind it moves up. Per node: in cluster mode each node has its own line.
 */
export interface CompileQueue {
  readonly limit: number;
  /**
   * Resolves with `release` once a slot is this caller's. While it waits, `onPosition(n)` is
   * called with its 1-based place in line (first when it joins, then each time it moves up);
   * a caller that gets a slot at once is never called. Rejects with the signal's reason when
   * the signal aborts first.
   */
  acquire(id: string, options: { signal: AbortSignal; onPosition?: (position: number) => void }): Promise<() => void>;
  stats(): { running: number; waiting: number; limit: number };
}

interface Waiter {
  id: string;
  grant: () => void;
  onPosition?: (position: number) => void;
  /** The place last told, so an unchanged place is not told (and written) again. */
  told?: number;
}

/** One fewer than the cores (one is left for serving people), at least one. */
export function defaultBuildConcurrency(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function createCompileQueue(limit: number): CompileQueue {
  if (!Number.isInteger(limit) || limit < 1) throw new Error("the compile queue needs a limit of at least 1");
  let running = 0;
  const line: Waiter[] = [];

  const tellPositions = (from: number) => {
    for (let i = from; i < line.length; i++) {
      const w = line[i]!;
      if (w.told === i + 1) continue;
      w.told = i + 1;
      try {
        w.onPosition?.(i + 1);
      } catch {
        // A listener's failure must never block the line.
      }
    }
  };

  const next = () => {
    while (running < limit && line.length) {
      const w = line.shift()!;
      running++;
      w.grant();
    }
    tellPositions(0);
  };

  return {
    limit,
    acquire(id, { signal, onPosition }) {
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<() => void>((resolve, reject) => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          running--;
          next();
        };
        if (running < limit && line.length === 0) {
          running++;
          resolve(release);
          return;
        }
        const waiter: Waiter = {
          id,
          onPosition,
          grant: () => {
            signal.removeEventListener("abort", onAbort);
            resolve(release);
          },
        };
        const onAbort = () => {
          const at = line.indexOf(waiter);
          if (at < 0) return;
          line.splice(at, 1);
          reject(signal.reason);
          tellPositions(at);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        line.push(waiter);
        tellPositions(line.length - 1);
      });
    },
    stats: () => ({ running, waiting: line.length, limit }),
  };
}

/** 1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** What a queued build's tab and progress say. */
export function queuedStep(position: number): string {
  return `Queued (${ordinal(position)} in line)`;
}
