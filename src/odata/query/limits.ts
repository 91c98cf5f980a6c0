/**
 * Hard limits on client-written query expressions. Every parse is bounded by them, so no input
 * (however long or deeply nested) can make the parser recurse or allocate without bound: the
 * text length is checked before lexing, the nesting depth before each recursive descent, and the
 * node count on every node built.
 */
export interface FilterLimits {
  /** Characters of `$filter` text, after URL decoding. */
  maxLength: number;
  /** Nesting levels, counted for parentheses (grouping, function calls, `in` lists), `not` and lambdas. */
  maxDepth: number;
  /** AST nodes (literals, paths, operators, calls, lambdas). */
  maxNodes: number;
}

export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 32;
export const MAX_FILTER_NODES = 500;

export const FILTER_LIMITS: Readonly<FilterLimits> = Object.freeze({
  maxLength: MAX_FILTER_LENGTH,
  maxDepth: MAX_FILTER_DEPTH,
  maxNodes: MAX_FILTER_NODES,
});

/** Characters of `$orderby` text. */
export const MAX_ORDERBY_LENGTH = 1024;
/** Sort keys a client may name (the `id` tie-breaker is added on top). */
export const MAX_ORDERBY_KEYS = 8;
