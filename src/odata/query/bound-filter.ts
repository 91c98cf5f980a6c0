import type { EnumType, Model, StructuredType, TypeRef } from '../../model/model.js';
import type { CompareOp } from './filter-ast.js';

export type ScalarKind =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'decimal'
  | 'dateTimeOffset'
  | 'date'
  | 'timeOfDay'
  | 'guid'
  | 'enum'
  | 'other';

export interface ValueType {
  kind: ScalarKind | 'complex';
  /** Qualified EDM name: `Edm.String`, `microsoft.graph.connectorStatus`. */
  edmType: string;
  enumType?: EnumType;
  complexType?: StructuredType;
}

/** A value the filter reads: a property path from the entity or from a lambda's current item. */
export interface BoundOperand {
  /** `$it` for the entity being filtered, else the variable of the enclosing lambda. */
  root: string;
  /** Canonical property names from the root; empty for a lambda item itself. */
  path: string[];
  /** The type of the value (for a collection, the type of its items). */
  type: ValueType;
  /** Whether the path ends on a collection (only lambdas and `$count` take one). */
  collection: boolean;
  /** `collection/$count`: the number of items (type Edm.Int32). */
  count: boolean;
  /** Whether the value can be null (complex paths always can: the parent may be null). */
  nullable: boolean;
  /** The path as shown in messages: `onPremisesPublishing/externalUrl`, `t`. */
  display: string;
}

export type BoundValue = string | number | boolean | null;

export type BoundExpr =
  | { kind: 'constant'; value: boolean }
  | { kind: 'compare'; op: CompareOp; operand: BoundOperand; value: BoundValue }
  | { kind: 'in'; operand: BoundOperand; values: BoundValue[] }
  | { kind: 'has'; operand: BoundOperand; members: string[] }
  | { kind: 'match'; fn: 'startswith' | 'endswith' | 'contains'; operand: BoundOperand; value: string }
  | { kind: 'and' | 'or'; left: BoundExpr; right: BoundExpr }
  | { kind: 'not'; operand: BoundExpr }
  | { kind: 'lambda'; quantifier: 'any' | 'all'; collection: BoundOperand; variable?: string; body?: BoundExpr };

export interface BoundFilter {
  /** The entity type filtered. */
  type: StructuredType;
  expression: BoundExpr;
}

export function valueType(model: Model, ref: TypeRef): ValueType {
  const edmType = ref.name;
  if (ref.kind === 'enum') return { kind: 'enum', edmType, enumType: model.enumType(edmType) };
  if (ref.kind === 'complex' || ref.kind === 'entity')
    return { kind: 'complex', edmType, complexType: model.structured(edmType) };
  switch (edmType) {
    case 'Edm.String':
      return { kind: 'string', edmType };
    case 'Edm.Boolean':
      return { kind: 'boolean', edmType };
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
      return { kind: 'integer', edmType };
    case 'Edm.Decimal':
    case 'Edm.Double':
    case 'Edm.Single':
      return { kind: 'decimal', edmType };
    case 'Edm.DateTimeOffset':
      return { kind: 'dateTimeOffset', edmType };
    case 'Edm.Date':
      return { kind: 'date', edmType };
    case 'Edm.TimeOfDay':
      return { kind: 'timeOfDay', edmType };
    case 'Edm.Guid':
      return { kind: 'guid', edmType };
    default:
      return { kind: 'other', edmType };
  }
}
