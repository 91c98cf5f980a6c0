import type { LiteralNode } from './filter-ast.js';

export const INT32 = [-2147483648, 2147483647];

export function literalEdmType(literal: LiteralNode): string {
  switch (literal.type) {
    case 'string':
      return 'Edm.String';
    case 'number':
      return literal.integer
        ? Number.isSafeInteger(literal.value) && Math.abs(literal.value) <= INT32[1]
          ? 'Edm.Int32'
          : 'Edm.Int64'
        : 'Edm.Decimal';
    case 'boolean':
      return 'Edm.Boolean';
    case 'null':
      return 'null';
    case 'guid':
      return 'Edm.Guid';
    case 'dateTimeOffset':
      return 'Edm.DateTimeOffset';
    case 'date':
      return 'Edm.Date';
    case 'timeOfDay':
      return 'Edm.TimeOfDay';
    case 'enum':
      return literal.typeName;
  }
}

export function literalDisplay(literal: LiteralNode): string {
  switch (literal.type) {
    case 'string':
      return `'${literal.value.replace(/'/g, "''")}'`;
    case 'number':
    case 'dateTimeOffset':
    case 'timeOfDay':
      return literal.text;
    case 'enum':
      return `${literal.typeName}'${literal.value}'`;
    default:
      return String(literal.value);
  }
}
