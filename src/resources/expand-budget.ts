import { errors } from '../graph/errors.js';

/**
 * How many entities `$expand` may add to one response, and to one `$batch` across its items.
 * Graph caps each expanded collection (20 items on directory objects, see expand.ts) and the
 * levels of `$expand` (src/odata/query-options.ts); within those caps three levels over a page
 * of 999 could still build millions of entities. The budget is counted as the entities are read,
 * so a response stops (400) as soon as it would pass it, having held at most this many.
 */
export const MAX_EXPANDED_PER_RESPONSE = 20_000;

export class ExpandBudget {
  private used = 0;

  constructor(readonly limit: number = MAX_EXPANDED_PER_RESPONSE) {}

  /** Counts `n` more expanded entities; throws Graph's 400 once the budget is spent. */
  take(n: number): void {
    this.used += n;
    if (this.used > this.limit) throw errors.expandTooLarge(this.limit);
  }
}
