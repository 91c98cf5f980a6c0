import { errors } from '../../graph/errors.js';
import type { BinaryOp, CountNode, FilterNode, LambdaNode, LiteralNode, PathNode } from './filter-ast.js';
import { lex, quoteForMessage, type Token } from './filter-lexer.js';
import { FILTER_LIMITS, type FilterLimits } from './limits.js';

/**
 * A recursive-descent parser for OData `$filter`, with precedence climbing for the binary
 * operators. Precedence, loosest first:
 *
 *   or  <  and  <  not  <  eq ne gt ge lt le has in  <  primary
 *
 * `not` binds looser than the comparisons, so `not status eq 'active'` means
 * `not (status eq 'active')`, which is what people who write it mean (OData's ABNF makes it
 * `(not status) eq 'active'`, a type error). Comparisons do not chain (`a eq b eq c` is refused).
 * Keywords, function names and `true`/`false`/`null` ignore case.
 *
 * Every descent into a nested expression (parentheses, function arguments, `in` lists, `not`,
 * lambda bodies) is counted against {@link FilterLimits.maxDepth} before it happens, and every
 * node against {@link FilterLimits.maxNodes}, so the parser's own recursion is bounded whatever
 * the input.
 */

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  eq: 3,
  ne: 3,
  gt: 3,
  ge: 3,
  lt: 3,
  le: 3,
  has: 3,
  in: 3,
};
const COMPARISON = 3;
const RESERVED = new Set([...Object.keys(PRECEDENCE), 'not']);

export function filterSyntaxError(reason: string, pos: number): never {
  throw errors.invalidQueryOption(`Invalid filter clause: ${reason} at position ${pos}.`);
}

function limitError(reason: string): never {
  throw errors.invalidQueryOption(`Invalid filter clause: ${reason}.`);
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression';
  return quoteForMessage(token.text);
}

class Parser {
  private i = 0;
  private depth = 0;
  private nodes = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly limits: FilterLimits,
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const token = this.tokens[this.i];
    if (token.kind !== 'end') this.i++;
    return token;
  }

  private keyword(token: Token): string | undefined {
    return token.kind === 'identifier' ? String(token.value).toLowerCase() : undefined;
  }

  private expect(kind: Token['kind'], what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) filterSyntaxError(`expected ${what} but found ${describe(token)}`, token.pos);
    return this.next();
  }

  private node<T extends FilterNode>(node: T): T {
    if (++this.nodes > this.limits.maxNodes)
      limitError(`the expression has more than ${this.limits.maxNodes} nodes, the limit`);
    return node;
  }

  private enter(): void {
    if (++this.depth > this.limits.maxDepth)
      limitError(`the expression is nested more than ${this.limits.maxDepth} levels deep, the limit`);
  }

  private leave(): void {
    this.depth--;
  }

  parse(): FilterNode {
    if (this.peek().kind === 'end') filterSyntaxError('the expression is empty', 0);
    const expression = this.parseBinary(1);
    const rest = this.peek();
    if (rest.kind !== 'end') {
      filterSyntaxError(
        `unexpected ${describe(rest)}; expected an operator such as 'and', 'or', 'eq', or the end of the expression`,
        rest.pos,
      );
    }
    return expression;
  }

  /** Precedence climbing over the binary operators whose precedence is at least `min`. */
  private parseBinary(min: number): FilterNode {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      const op = this.keyword(token);
      const precedence = op === undefined ? undefined : PRECEDENCE[op];
      if (precedence === undefined || precedence < min) return left;
      if (precedence === COMPARISON && isComparison(left)) {
        filterSyntaxError(
          `comparisons cannot be chained; combine them with 'and' or 'or' (found ${describe(token)})`,
          token.pos,
        );
      }
      this.next();
      if (op === 'in') {
        left = this.node({ kind: 'in', operand: left, list: this.parseList(), pos: token.pos });
        continue;
      }
      const right = this.parseBinary(precedence + 1);
      left = this.node({ kind: 'binary', op: op as BinaryOp, left, right, pos: token.pos });
    }
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    if (this.keyword(token) === 'not' && this.tokens[this.i + 1].kind !== '/') {
      this.next();
      this.enter();
      const operand = this.parseBinary(COMPARISON);
      this.leave();
      return this.node({ kind: 'not', operand, pos: token.pos });
    }
    return this.parsePrimary();
  }

  /** The parenthesised value list after `in`. */
  private parseList(): FilterNode[] {
    const open = this.expect('(', "'(' to start the list of values after 'in'");
    this.enter();
    if (this.peek().kind === ')') filterSyntaxError("'in' needs at least one value in its list", this.peek().pos);
    const list: FilterNode[] = [];
    for (;;) {
      list.push(this.parsePrimary());
      const token = this.next();
      if (token.kind === ')') break;
      if (token.kind !== ',')
        filterSyntaxError(
          `expected ',' or ')' in the list of values started at position ${open.pos} but found ${describe(token)}`,
          token.pos,
        );
    }
    this.leave();
    return list;
  }

  private parsePrimary(): FilterNode {
    const token = this.next();
    switch (token.kind) {
      case '(': {
        this.enter();
        const inner = this.parseBinary(1);
        const close = this.peek();
        if (close.kind !== ')')
          filterSyntaxError(
            `expected ')' to close the '(' at position ${token.pos} but found ${describe(close)}`,
            close.pos,
          );
        this.next();
        this.leave();
        return inner;
      }
      case 'string':
        return this.node({ kind: 'literal', type: 'string', value: String(token.value), pos: token.pos });
      case 'number':
        return this.node({
          kind: 'literal',
          type: 'number',
          value: Number(token.value),
          integer: token.integer === true,
          text: token.text,
          pos: token.pos,
        });
      case 'guid':
        return this.node({ kind: 'literal', type: 'guid', value: String(token.value), pos: token.pos });
      case 'dateTimeOffset':
        return this.node({
          kind: 'literal',
          type: 'dateTimeOffset',
          value: String(token.value),
          text: token.text,
          pos: token.pos,
        });
      case 'date':
        return this.node({ kind: 'literal', type: 'date', value: String(token.value), pos: token.pos });
      case 'timeOfDay':
        return this.node({
          kind: 'literal',
          type: 'timeOfDay',
          value: String(token.value),
          text: token.text,
          pos: token.pos,
        });
      case 'enum':
        return this.node({
          kind: 'literal',
          type: 'enum',
          typeName: token.typeName!,
          value: String(token.value),
          pos: token.pos,
        });
      case 'identifier':
        return this.parseIdentifier(token);
      case 'end':
        return filterSyntaxError('the expression ended where an operand was expected', token.pos);
      default:
        return filterSyntaxError(
          `expected an operand (a property, a literal or a function call) but found ${describe(token)}`,
          token.pos,
        );
    }
  }

  private parseIdentifier(token: Token): FilterNode {
    const name = String(token.value);
    const lower = name.toLowerCase();
    if (lower === 'true' || lower === 'false')
      return this.node({ kind: 'literal', type: 'boolean', value: lower === 'true', pos: token.pos } as LiteralNode);
    if (lower === 'null') return this.node({ kind: 'literal', type: 'null', value: null, pos: token.pos });
    if (RESERVED.has(lower))
      filterSyntaxError(`expected an operand but found the operator ${quoteForMessage(name)}`, token.pos);
    if (name.includes('.'))
      filterSyntaxError(`type casts and qualified names such as ${quoteForMessage(name)} are not supported`, token.pos);
    if (this.peek().kind === '(') {
      if (lower === 'any' || lower === 'all') {
        filterSyntaxError(
          `'${lower}' must follow a collection-valued property, as in 'supportedPublishingTypes/${lower}(t: t eq ''provisioning'')'`,
          token.pos,
        );
      }
      return this.parseCall(token, lower);
    }
    const path: PathNode = { kind: 'path', segments: [name], pos: token.pos };
    while (this.peek().kind === '/') {
      this.next();
      const segment = this.peek();
      if (
        segment.kind !== 'identifier' ||
        String(segment.value).includes('.') ||
        RESERVED.has(String(segment.value).toLowerCase())
      ) {
        filterSyntaxError(`expected a property name after '/' but found ${describe(segment)}`, segment.pos);
      }
      this.next();
      const segmentName = String(segment.value);
      const segmentLower = segmentName.toLowerCase();
      let end: LambdaNode | CountNode | undefined;
      if ((segmentLower === 'any' || segmentLower === 'all') && this.peek().kind === '(') {
        end = this.parseLambda(path, segmentLower, segment);
      } else if (segmentLower === '$count') {
        end = this.node({ kind: 'count', collection: this.node(path), pos: segment.pos });
      }
      if (end) {
        if (this.peek().kind === '/')
          filterSyntaxError(`a path cannot continue after '${segmentName}'`, this.peek().pos);
        return end;
      }
      path.segments.push(segmentName);
    }
    return this.node(path);
  }

  private parseCall(token: Token, name: string): FilterNode {
    this.next(); // (
    this.enter();
    const args: FilterNode[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.parseBinary(1));
        const separator = this.next();
        if (separator.kind === ')') break;
        if (separator.kind !== ',') {
          filterSyntaxError(
            `expected ',' or ')' in the arguments of '${name}' (opened at position ${token.pos}) but found ${describe(separator)}`,
            separator.pos,
          );
        }
      }
    } else {
      this.next();
    }
    this.leave();
    return this.node({ kind: 'call', name, args, pos: token.pos });
  }

  private parseLambda(collection: PathNode, quantifier: 'any' | 'all', token: Token): LambdaNode {
    this.next(); // (
    this.enter();
    this.node(collection);
    if (this.peek().kind === ')') {
      this.next();
      this.leave();
      if (quantifier === 'all')
        filterSyntaxError("'all' needs a condition, as in 'all(t: t eq ''provisioning'')'", token.pos);
      return this.node({ kind: 'lambda', quantifier, collection, pos: token.pos });
    }
    const variable = this.peek();
    if (
      variable.kind !== 'identifier' ||
      !/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(variable.value)) ||
      RESERVED.has(String(variable.value).toLowerCase())
    ) {
      filterSyntaxError(
        `expected a lambda variable name (as in '${quantifier}(t: …)') but found ${describe(variable)}`,
        variable.pos,
      );
    }
    this.next();
    this.expect(':', `':' after the lambda variable '${String(variable.value)}'`);
    const body = this.parseBinary(1);
    const close = this.peek();
    if (close.kind !== ')')
      filterSyntaxError(
        `expected ')' to close '${quantifier}(' at position ${token.pos} but found ${describe(close)}`,
        close.pos,
      );
    this.next();
    this.leave();
    return this.node({
      kind: 'lambda',
      quantifier,
      collection,
      variable: String(variable.value),
      body,
      pos: token.pos,
    });
  }
}

function isComparison(node: FilterNode): boolean {
  return node.kind === 'in' || (node.kind === 'binary' && node.op !== 'and' && node.op !== 'or');
}

/**
 * Parses `$filter` text (already URL-decoded) into its syntax tree. Every failure is a 400
 * `BadRequest` "Invalid filter clause: …" naming the reason and, for syntax errors, the 0-based
 * position in the text.
 */
export function parseFilterExpression(text: string, limits: Partial<FilterLimits> = {}): FilterNode {
  const effective: FilterLimits = { ...FILTER_LIMITS, ...limits };
  if (text.length > effective.maxLength) {
    limitError(`the expression is ${text.length} characters long, more than the limit of ${effective.maxLength}`);
  }
  return new Parser(lex(text, filterSyntaxError), effective).parse();
}
