/**
 * The memory guard: watches the process while a search runs and stops it, as an incomplete
 * search with its figures so far, before V8 would die with "heap out of memory" and lose
 * them. Two limits: the JavaScript heap of this thread (a fixed share of V8's own limit)
 * and the resident memory of the whole process, workers and shared tables included
 * (`--max-memory`, by default nine tenths of the memory the machine or container offers).
 */
import { freemem, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** Share of V8's heap limit at which the search stops. */
export const HEAP_SHARE = 0.85;
const YOUNG_RESERVE = 48 * 2 ** 20;
/** Share of the machine's memory that is the default resident limit. */
export const DEFAULT_RSS_SHARE = 0.9;
const EVERY_MS = 50;

export interface MemoryGuard {
  /** Aborted when a limit is reached. */
  readonly signal: AbortSignal;
  /** What was reached, once the guard stopped the search. */
  tripped(): string | undefined;
  /** Stops watching. */
  stop(): void;
}

const MIB = 1024 * 1024;
export const formatBytes = (n: number): string =>
  n >= 1024 * MIB ? `${(n / (1024 * MIB)).toFixed(1)} GiB` : `${Math.round(n / MIB)} MiB`;

/** The memory this process may use: the container's limit when there is one, else the machine's. */
const availableMemory = (): number => {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const total = totalmem();
  return constrained > 0 && constrained < total ? constrained : total;
};

/** The resident limit a search gets without `--max-memory`. */
export const defaultMemoryLimit = (): number => Math.floor(availableMemory() * DEFAULT_RSS_SHARE);

/** This thread's JavaScript heap: bytes in use, and the limit at which V8 gives up. */
export const heapUse = (): { used: number; limit: number } => {
  const heap = getHeapStatistics();
  // V8's limit includes the young generation's reserve (3 semi-spaces of 16 MiB on 64-bit);
  // what fills up and kills the process is the old generation.
  const old = heap.heap_size_limit - YOUNG_RESERVE;
  return { used: heap.used_heap_size, limit: old > 0 ? old : heap.heap_size_limit / 2 };
};

/** What is over a limit now, or undefined. */
export const memoryOverLimit = (rssLimit: number, explicit: boolean): string | undefined => {
  const heap = heapUse();
  if (heap.used > HEAP_SHARE * heap.limit) {
    return `the JavaScript heap reached ${formatBytes(heap.used)} of its ${formatBytes(heap.limit)} limit`;
  }
  const rss = process.memoryUsage.rss();
  if (rss > rssLimit) {
    return explicit
      ? `resident memory reached ${formatBytes(rss)}, over --max-memory ${formatBytes(rssLimit)}`
      : `resident memory reached ${formatBytes(rss)}, over ${Math.round(DEFAULT_RSS_SHARE * 100)}% of the ${formatBytes(availableMemory())} available (free now: ${formatBytes(freemem())})`;
  }
  return undefined;
};

/** Watches memory every 50 ms (the timer does not keep the process alive). */
export const watchMemory = (maxMemoryBytes: number | undefined): MemoryGuard => {
  const controller = new AbortController();
  const limit = maxMemoryBytes ?? defaultMemoryLimit();
  let reached: string | undefined;
  const look = (): void => {
    if (reached !== undefined) return;
    reached = memoryOverLimit(limit, maxMemoryBytes !== undefined);
    if (reached !== undefined) controller.abort(new Error(`memory limit: ${reached}`));
  };
  const timer = setInterval(look, EVERY_MS);
  timer.unref();
  return {
    signal: controller.signal,
    tripped: () => reached,
    stop: () => clearInterval(timer),
  };
};
