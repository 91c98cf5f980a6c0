/**
 * The untyped syntax tree of a `$filter` expression, as the parser builds it. Names are kept as
 * written; the binder resolves them against the model. Every node records where it starts in the
 * expression text, for error messages.
 */

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type BinaryOp = CompareOp | 'has' | 'and' | 'or';

export type LiteralNode =
  | { kind: 'literal'; type: 'string'; value: string; pos: number }
  | { kind: 'literal'; type: 'number'; value: number; integer: boolean; text: string; pos: number }
  | { kind: 'literal'; type: 'boolean'; value: boolean; pos: number }
  | { kind: 'literal'; type: 'null'; value: null; pos: number }
  | { kind: 'literal'; type: 'guid'; value: string; pos: number }
  | { kind: 'literal'; type: 'dateTimeOffset'; value: string; text: string; pos: number }
  | { kind: 'literal'; type: 'date'; value: string; pos: number }
  | { kind: 'literal'; type: 'timeOfDay'; value: string; text: string; pos: number }
  | { kind: 'literal'; type: 'enum'; typeName: string; value: string; pos: number };

/** `a/b/c` as written; the first segment may be a lambda variable or `$it`. */
export interface PathNode {
  kind: 'path';
  segments: string[];
  pos: number;
}

export interface BinaryNode {
  kind: 'binary';
  op: BinaryOp;
  left: FilterNode;
  right: FilterNode;
  pos: number;
}

export interface InNode {
  kind: 'in';
  operand: FilterNode;
  list: FilterNode[];
  pos: number;
}

export interface NotNode {
  kind: 'not';
  operand: FilterNode;
  pos: number;
}

export interface CallNode {
  kind: 'call';
  /** Lower-cased: `startswith`. */
  name: string;
  args: FilterNode[];
  pos: number;
}

/** `collection/any(v: body)`, `collection/all(v: body)`, or `collection/any()`. */
export interface LambdaNode {
  kind: 'lambda';
  quantifier: 'any' | 'all';
  collection: PathNode;
  variable?: string;
  body?: FilterNode;
  pos: number;
}

/** `collection/$count`. */
export interface CountNode {
  kind: 'count';
  collection: PathNode;
  pos: number;
}

export type FilterNode = LiteralNode | PathNode | BinaryNode | InNode | NotNode | CallNode | LambdaNode | CountNode;

function literalText(node: LiteralNode): string {
  switch (node.type) {
    case 'string':
      return `'${node.value.replace(/'/g, "''")}'`;
    case 'number':
      return String(node.value);
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'guid':
      return `guid(${node.value})`;
    case 'dateTimeOffset':
      return `datetime(${node.value})`;
    case 'date':
      return `date(${node.value})`;
    case 'timeOfDay':
      return `time(${node.value})`;
    case 'enum':
      return `enum(${node.typeName}'${node.value.replace(/'/g, "''")}')`;
  }
}

/**
 * A compact, unambiguous S-expression form of a tree, for tests and diagnostics:
 * `(and (eq machineName 'x') (any supportedPublishingTypes t (eq t 'provisioning')))`.
 */
export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'literal':
      return literalText(node);
    case 'path':
      return node.segments.join('/');
    case 'binary':
      return `(${node.op} ${printFilter(node.left)} ${printFilter(node.right)})`;
    case 'in':
      return `(in ${printFilter(node.operand)} [${node.list.map(printFilter).join(' ')}])`;
    case 'not':
      return `(not ${printFilter(node.operand)})`;
    case 'call':
      return `(${node.name}${node.args.map((a) => ` ${printFilter(a)}`).join('')})`;
    case 'lambda':
      return node.variable === undefined
        ? `(${node.quantifier} ${printFilter(node.collection)})`
        : `(${node.quantifier} ${printFilter(node.collection)} ${node.variable} ${printFilter(node.body!)})`;
    case 'count':
      return `${printFilter(node.collection)}/$count`;
  }
}
