import type { BoundExpr, BoundOperand, BoundValue } from './bound-filter.js';

function valueText(value: BoundValue): string {
  return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value);
}

function operandText(operand: BoundOperand): string {
  const path = operand.root === '$it' ? operand.path.join('/') : [operand.root, ...operand.path].join('/');
  return operand.count ? `${path}/$count` : path;
}

/**
 * A canonical S-expression of a bound filter: property names as the model declares them, literals
 * in stored form. Equal for filters that mean the same (`MachineName eq 'x'`, `'x' eq machineName`).
 */
export function printBound(expr: BoundExpr): string {
  switch (expr.kind) {
    case 'constant':
      return String(expr.value);
    case 'compare':
      return `(${expr.op} ${operandText(expr.operand)} ${valueText(expr.value)})`;
    case 'in':
      return `(in ${operandText(expr.operand)} [${expr.values.map(valueText).join(' ')}])`;
    case 'has':
      return `(has ${operandText(expr.operand)} [${expr.members.map(valueText).join(' ')}])`;
    case 'match':
      return `(${expr.fn} ${operandText(expr.operand)} ${valueText(expr.value)})`;
    case 'and':
    case 'or':
      return `(${expr.kind} ${printBound(expr.left)} ${printBound(expr.right)})`;
    case 'not':
      return `(not ${printBound(expr.operand)})`;
    case 'lambda':
      return expr.variable === undefined
        ? `(${expr.quantifier} ${operandText(expr.collection)})`
        : `(${expr.quantifier} ${operandText(expr.collection)} ${expr.variable} ${printBound(expr.body!)})`;
  }
}
