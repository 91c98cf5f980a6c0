import { errors } from '../../graph/errors.js';
import type { EnumType, Model, StructuredType } from '../../model/model.js';
import type { BoundExpr, BoundFilter, BoundOperand, BoundValue, ScalarKind } from './bound-filter.js';
import type { CompareOp, FilterNode, LambdaNode, LiteralNode, PathNode } from './filter-ast.js';
import { INT32, literalDisplay, literalEdmType } from './filter-literal.js';
import { resolvePropertyPath } from './property-path.js';

/**
 * Type-checks a `$filter` syntax tree against the entity type it filters and produces the bound
 * tree the SQL translator reads: names resolved to the model's canonical property names, every
 * comparison oriented `property op literal`, literals converted to the property's type and
 * normalised to the form localgraph stores (enum members as declared, flags joined in
 * declaration order, GUIDs lower-case, date-times as UTC ISO 8601 with milliseconds, times of day
 * as `hh:mm:ss.fffffff`). Every refusal is a 400 `BadRequest` naming what is wrong.
 *
 * Supported shapes: `property op literal` (either way round), `property in (literals)`,
 * `flagsProperty has literal`, `startswith|endswith|contains(property, 'text')` (the property may
 * be wrapped in `tolower`/`toupper`, which change nothing because string comparisons ignore case
 * anyway), a Boolean property on its own, `true`/`false`, `not`, `and`, `or`, `collection/any(…)`,
 * `collection/all(…)`, `collection/any()`, and `collection/$count op integer`. Comparing two
 * properties with each other is not supported.
 */

const ORDERED_KINDS = new Set<ScalarKind | 'complex'>([
  'string',
  'guid',
  'integer',
  'decimal',
  'dateTimeOffset',
  'date',
  'timeOfDay',
]);
const MATCH_FUNCTIONS = new Set(['startswith', 'endswith', 'contains']);
const CASE_FUNCTIONS = new Set(['tolower', 'toupper']);
/** OData functions localgraph knows but does not evaluate. */
const UNSUPPORTED_FUNCTIONS = new Set([
  'length',
  'indexof',
  'substring',
  'trim',
  'concat',
  'matchespattern',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'fractionalseconds',
  'totalseconds',
  'date',
  'time',
  'totaloffsetminutes',
  'now',
  'mindatetime',
  'maxdatetime',
  'round',
  'floor',
  'ceiling',
  'cast',
  'isof',
  'geo.distance',
  'geo.length',
  'geo.intersects',
  'hassubset',
  'hassubsequence',
  'case',
]);

function fail(message: string): never {
  throw errors.invalidQueryOption(message);
}

interface LambdaScope {
  variable: string;
  item: BoundOperand;
}

class Binder {
  private readonly scopes: LambdaScope[] = [];

  constructor(
    private readonly model: Model,
    private readonly type: StructuredType,
  ) {}

  bind(node: FilterNode): BoundExpr {
    switch (node.kind) {
      case 'literal':
        if (node.type === 'boolean') return { kind: 'constant', value: node.value };
        return fail(
          `The literal ${literalDisplay(node)} is not a Boolean expression; a $filter must be a condition, such as 'machineName eq ''x'''.`,
        );
      case 'path': {
        const operand = this.operand(node);
        if (operand.collection || operand.type.kind !== 'boolean') {
          fail(
            `Property '${operand.display}' of type '${operand.collection ? `Collection(${operand.type.edmType})` : operand.type.edmType}' is not a Boolean expression; compare it with a value, as in '${operand.display} eq …'.`,
          );
        }
        return { kind: 'compare', op: 'eq', operand, value: true };
      }
      case 'not':
        return { kind: 'not', operand: this.bind(node.operand) };
      case 'binary':
        if (node.op === 'and' || node.op === 'or')
          return { kind: node.op, left: this.bind(node.left), right: this.bind(node.right) };
        if (node.op === 'has') return this.bindHas(node.left, node.right);
        return this.bindCompare(node.op, node.left, node.right);
      case 'in':
        return this.bindIn(node.operand, node.list);
      case 'call':
        return this.bindCall(node.name, node.args);
      case 'lambda':
        return this.bindLambda(node);
      case 'count':
        return fail(
          `'${node.collection.segments.join('/')}/$count' is a number, not a Boolean expression; compare it, as in '${node.collection.segments.join('/')}/$count eq 0'.`,
        );
    }
  }

  /** A path as written, resolved against the lambda variables in scope and then the entity. */
  private operand(node: PathNode): BoundOperand {
    const [first, ...rest] = node.segments;
    if (first === '$it') {
      if (rest.length === 0) fail("'$it' alone cannot be compared; name a property, as in '$it/machineName'.");
      return resolvePropertyPath(this.model, this.type, rest, { option: '$filter' });
    }
    if (first.startsWith('$')) fail(`'${first}' is not supported in $filter.`);
    const scope = [...this.scopes].reverse().find((s) => s.variable === first);
    if (!scope) return resolvePropertyPath(this.model, this.type, node.segments, { option: '$filter' });
    const item = scope.item;
    if (rest.length === 0) return item;
    return resolvePropertyPath(
      this.model,
      this.type,
      rest,
      { option: '$filter' },
      {
        root: item.root,
        type: item.type.complexType,
        display: [item.display],
        nullable: true,
        item: item.type,
      },
    );
  }

  /** The property side of a comparison: a path, `collection/$count`, or `tolower`/`toupper` of a string path. */
  private valueOperand(node: FilterNode): BoundOperand | undefined {
    if (node.kind === 'path') return this.operand(node);
    if (node.kind === 'count') {
      const collection = this.operand(node.collection);
      if (!collection.collection)
        fail(`'$count' can only follow a collection-valued property; '${collection.display}' is not a collection.`);
      return {
        ...collection,
        collection: false,
        count: true,
        nullable: false,
        type: { kind: 'integer', edmType: 'Edm.Int32' },
        display: `${collection.display}/$count`,
      };
    }
    if (node.kind === 'call' && CASE_FUNCTIONS.has(node.name)) {
      if (node.args.length !== 1 || node.args[0].kind !== 'path')
        fail(`The function '${node.name}' takes one string property, as in '${node.name}(machineName)'.`);
      const operand = this.operand(node.args[0]);
      this.scalar(operand, node.name);
      if (operand.type.kind !== 'string')
        fail(
          `The function '${node.name}' requires a property of type 'Edm.String'; '${operand.display}' is of type '${operand.type.edmType}'.`,
        );
      return operand;
    }
    if (node.kind === 'call') {
      if (MATCH_FUNCTIONS.has(node.name))
        fail(
          `The function '${node.name}' is a condition and cannot be compared with a value; use it on its own, as in '${node.name}(machineName, ''abc'')'.`,
        );
      this.unsupportedFunction(node.name);
    }
    return undefined;
  }

  private unsupportedFunction(name: string): never {
    if (name === 'any' || name === 'all') fail(`'${name}' must follow a collection-valued property.`);
    if (UNSUPPORTED_FUNCTIONS.has(name)) fail(`The function '${name}' is not supported in $filter.`);
    return fail(`Unknown function '${name}' in $filter.`);
  }

  private scalar(operand: BoundOperand, what: string): void {
    if (operand.collection) {
      fail(
        `Property '${operand.display}' is a collection and cannot be used with '${what}'; filter on its items with any or all, as in '${operand.display}/any(x: x eq …)'.`,
      );
    }
  }

  /** Orients a comparison as `operand op literal`. */
  private sides(
    op: string,
    left: FilterNode,
    right: FilterNode,
  ): { operand: BoundOperand; literal: LiteralNode; flipped: boolean } {
    const leftOperand = this.valueOperand(left);
    const rightOperand = this.valueOperand(right);
    if (leftOperand && rightOperand)
      fail(`Comparing two properties with '${op}' is not supported; compare a property with a literal value.`);
    if (leftOperand) {
      if (right.kind !== 'literal')
        fail(`The right side of '${op}' must be a literal value, such as 'x', 5, true or null.`);
      return { operand: leftOperand, literal: right, flipped: false };
    }
    if (rightOperand) {
      if (left.kind !== 'literal') fail(`The left side of '${op}' must be a property or a literal value.`);
      return { operand: rightOperand, literal: left, flipped: true };
    }
    return fail(`The operator '${op}' needs a property on one side, as in 'machineName ${op} ''x'''.`);
  }

  private bindCompare(op: CompareOp, left: FilterNode, right: FilterNode): BoundExpr {
    // `startswith(p,'a') eq true`, `ports/any() eq false`: a condition compared with a Boolean.
    if (op === 'eq' || op === 'ne') {
      for (const [condition, literal] of [
        [left, right],
        [right, left],
      ]) {
        const isCondition =
          condition.kind === 'lambda' || (condition.kind === 'call' && MATCH_FUNCTIONS.has(condition.name));
        if (isCondition && literal.kind === 'literal' && literal.type === 'boolean') {
          const bound = this.bind(condition);
          return literal.value === (op === 'eq') ? bound : { kind: 'not', operand: bound };
        }
      }
    }
    const { operand, literal, flipped } = this.sides(op, left, right);
    this.scalar(operand, op);
    const oriented = flipped ? FLIP[op] : op;
    if (literal.type === 'null') {
      if (op !== 'eq' && op !== 'ne') fail(`The operator '${op}' cannot compare with null; only eq and ne can.`);
      return { kind: 'compare', op: oriented, operand, value: null };
    }
    if (oriented !== 'eq' && oriented !== 'ne' && !ORDERED_KINDS.has(operand.type.kind)) {
      fail(
        `The operator '${op}' cannot be applied to property '${operand.display}' of type '${operand.type.edmType}'; use eq, ne or in.`,
      );
    }
    return { kind: 'compare', op: oriented, operand, value: this.convert(literal, operand, op) };
  }

  private bindIn(left: FilterNode, list: FilterNode[]): BoundExpr {
    const operand = this.valueOperand(left);
    if (!operand) fail("The left side of 'in' must be a property, as in 'status in (''active'', ''inactive'')'.");
    this.scalar(operand, 'in');
    const values = list.map((item) => {
      if (item.kind !== 'literal') fail("The list after 'in' must hold literal values only.");
      return item.type === 'null' ? null : this.convert(item, operand, 'in');
    });
    return { kind: 'in', operand, values };
  }

  private bindHas(left: FilterNode, right: FilterNode): BoundExpr {
    const operand = this.valueOperand(left);
    if (!operand || right.kind !== 'literal')
      fail("'has' takes a flags enum property on the left and a member on the right, as in 'protocol has ''tcp'''.");
    this.scalar(operand, 'has');
    const enumType = operand.type.enumType;
    if (!enumType?.isFlags)
      fail(
        `The operator 'has' requires a flags enum property; '${operand.display}' is of type '${operand.type.edmType}'.`,
      );
    if (right.type === 'null') fail("The operator 'has' cannot take null.");
    const value = this.convert(right, operand, 'has');
    return { kind: 'has', operand, members: String(value).split(',') };
  }

  private bindCall(name: string, args: FilterNode[]): BoundExpr {
    if (MATCH_FUNCTIONS.has(name)) {
      if (args.length !== 2)
        fail(
          `The function '${name}' takes two arguments, a string property and a string literal, as in '${name}(machineName, ''abc'')'.`,
        );
      const operand = this.valueOperand(args[0]);
      if (!operand) fail(`The first argument of '${name}' must be a string property.`);
      this.scalar(operand, name);
      if (operand.type.kind !== 'string' || operand.count) {
        fail(
          `The function '${name}' requires a property of type 'Edm.String'; '${operand.display}' is of type '${operand.type.edmType}'.`,
        );
      }
      const literal = args[1];
      if (literal.kind !== 'literal' || literal.type !== 'string')
        fail(
          `The second argument of '${name}' must be a string literal, as in '${name}(${operand.display}, ''abc'')'.`,
        );
      return { kind: 'match', fn: name as 'startswith' | 'endswith' | 'contains', operand, value: literal.value };
    }
    if (CASE_FUNCTIONS.has(name))
      fail(
        `The function '${name}' returns a string, not a Boolean expression; compare it, as in '${name}(machineName) eq ''abc'''.`,
      );
    return this.unsupportedFunction(name);
  }

  private bindLambda(node: LambdaNode): BoundExpr {
    const collection = this.operand(node.collection);
    if (!collection.collection) {
      fail(
        `The '${node.quantifier}' operator can only be applied to a collection-valued property; '${collection.display}' is not a collection.`,
      );
    }
    if (node.variable === undefined) return { kind: 'lambda', quantifier: node.quantifier, collection };
    const variable = node.variable;
    if (this.scopes.some((s) => s.variable === variable))
      fail(`The lambda variable '${variable}' is already in use by an enclosing lambda; choose another name.`);
    // OData's Any/All nesting limit (ASP.NET OData's MaxAnyAllExpressionDepth, 1 by default, which
    // Graph keeps): a lambda inside another would visit every pair of items. localgraph allows the
    // one nesting that visits each item once: over a collection of the enclosing lambda's item.
    const enclosing = this.scopes[this.scopes.length - 1];
    if (enclosing && collection.root !== enclosing.variable) {
      fail(
        `The Any/All nesting limit of '1' has been exceeded: inside the lambda of '${enclosing.variable}', '${node.quantifier}' may only range over a collection of '${enclosing.variable}' (as in '${enclosing.variable}/…/${node.quantifier}(…)'), not over '${collection.display}'.`,
      );
    }
    const item: BoundOperand = {
      root: variable,
      path: [],
      type: collection.type,
      collection: false,
      count: false,
      // Graph refuses null items in collections, so an item itself is never null.
      nullable: false,
      display: variable,
    };
    this.scopes.push({ variable, item });
    const body = this.bind(node.body!);
    this.scopes.pop();
    return { kind: 'lambda', quantifier: node.quantifier, collection, variable, body };
  }

  /** A literal converted to the operand's type, in stored form. */
  private convert(literal: LiteralNode, operand: BoundOperand, op: string): BoundValue {
    const type = operand.type;
    const mismatch = (): never =>
      fail(
        `Cannot compare property '${operand.display}' of type '${type.edmType}' with the ${literalEdmType(literal)} literal ${literalDisplay(literal)} using '${op}'.`,
      );
    switch (type.kind) {
      case 'string':
        if (literal.type === 'string' || literal.type === 'guid') return literal.value;
        return mismatch();
      case 'guid':
        if (literal.type === 'guid') return literal.value;
        if (
          literal.type === 'string' &&
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(literal.value)
        )
          return literal.value.toLowerCase();
        return mismatch();
      case 'boolean':
        if (literal.type === 'boolean') return literal.value;
        return mismatch();
      case 'integer': {
        if (literal.type !== 'number') return mismatch();
        if (!literal.integer)
          fail(
            `Cannot convert the literal '${literal.text}' to the expected type '${type.edmType}' of property '${operand.display}': it is not an integer.`,
          );
        const limit = type.edmType === 'Edm.Int64' ? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : INT32;
        if (!Number.isSafeInteger(literal.value) || literal.value < limit[0] || literal.value > limit[1]) {
          fail(
            `Cannot convert the literal '${literal.text}' to the expected type '${type.edmType}' of property '${operand.display}': it is out of range.`,
          );
        }
        return literal.value;
      }
      case 'decimal':
        if (literal.type === 'number') return literal.value;
        return mismatch();
      case 'dateTimeOffset':
        if (literal.type === 'dateTimeOffset') return literal.value;
        // A date alone stands for its midnight, UTC.
        if (literal.type === 'date') return `${literal.value}T00:00:00.000Z`;
        return mismatch();
      case 'date':
        if (literal.type === 'date') return literal.value;
        return mismatch();
      case 'timeOfDay':
        if (literal.type === 'timeOfDay') return literal.value;
        return mismatch();
      case 'enum': {
        const enumType = type.enumType!;
        if (literal.type === 'enum') {
          const named = this.findEnumType(literal.typeName);
          if (!named)
            fail(`The enum type '${literal.typeName}' in the literal ${literalDisplay(literal)} does not exist.`);
          if (named !== enumType) {
            fail(
              `The literal ${literalDisplay(literal)} is of type '${named.qualifiedName}', but property '${operand.display}' is of type '${enumType.qualifiedName}'.`,
            );
          }
        } else if (literal.type !== 'string') {
          return mismatch();
        }
        const member = enumType.parse(literal.value);
        if (member === undefined) {
          fail(
            `'${literal.value}' is not a member of the enum type '${enumType.qualifiedName}' of property '${operand.display}' (members: ${enumType.members.join(', ')}).`,
          );
        }
        return member;
      }
      case 'complex':
        return fail(
          `Property '${operand.display}' is of complex type '${type.edmType}'; it can only be compared with null. Compare one of its properties instead, as in '${operand.display}/<property> ${op} …'.`,
        );
      case 'other':
        return fail(`Property '${operand.display}' of type '${type.edmType}' can only be compared with null.`);
    }
  }

  private findEnumType(name: string): EnumType | undefined {
    const wanted = this.model.qualify(name).toLowerCase();
    const alias = `${this.model.alias}.`.toLowerCase();
    const qualified = wanted.startsWith(alias)
      ? `${this.model.namespace.toLowerCase()}.${wanted.slice(alias.length)}`
      : wanted;
    for (const t of this.model.enumTypes.values()) if (t.qualifiedName.toLowerCase() === qualified) return t;
    return undefined;
  }
}

const FLIP: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

/** Binds a parsed `$filter` tree to the entity type it filters. */
export function bindFilter(node: FilterNode, type: StructuredType, model: Model): BoundFilter {
  return { type, expression: new Binder(model, type).bind(node) };
}
