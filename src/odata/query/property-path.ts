import { errors } from '../../graph/errors.js';
import { isNavigation, type Model, type StructuredType } from '../../model/model.js';
import { valueType, type BoundOperand, type ValueType } from './bound-filter.js';

function fail(message: string): never {
  throw errors.invalidQueryOption(message);
}

/** Graph's directory wording for a property the type does not declare. */
export function unknownPropertyError(name: string): never {
  fail(`Property '${name}' does not exist as a declared property or extension property.`);
}

export interface ResolveOptions {
  /** The query option named in messages: `$filter`, `$orderby`. */
  option: string;
}

/**
 * Resolves a property path against a structured type (names ignore case, as Graph resolves
 * them). Refuses unknown properties, navigations, paths through collections, and paths that
 * continue past a primitive.
 */
export function resolvePropertyPath(
  model: Model,
  type: StructuredType,
  segments: readonly string[],
  options: ResolveOptions,
  start: { root: string; type: StructuredType | undefined; display: string[]; nullable: boolean; item?: ValueType } = {
    root: '$it',
    type,
    display: [],
    nullable: false,
  },
): BoundOperand {
  let current: StructuredType | undefined = start.type;
  let valueTypeSoFar: ValueType | undefined = start.item;
  let collection = false;
  let nullable = start.nullable;
  const path: string[] = [];
  const display = [...start.display];
  for (const [index, segment] of segments.entries()) {
    if (collection)
      fail(
        `Property '${display.join('/')}' is a collection; filter on its items with any or all, as in '${display.join('/')}/any(x: …)'.`,
      );
    if (!current)
      fail(`'${display.join('/')}' is of type '${valueTypeSoFar?.edmType}' and has no property '${segment}'.`);
    const member = current.member(segment);
    if (!member) unknownPropertyError(segment);
    if (isNavigation(member)) fail(`The navigation property '${member.name}' cannot be used in ${options.option}.`);
    // Comparing a secret with values would read it back one guess at a time.
    if (member.writeOnly)
      fail(`Property '${[...display, member.name].join('/')}' is write-only and cannot be used in ${options.option}.`);
    path.push(member.name);
    display.push(member.name);
    // The first property of the entity has its declared nullability; deeper ones live inside
    // JSON, where any parent on the way can be null or absent.
    nullable = index === 0 && start.root === '$it' && start.type === type ? member.nullable : true;
    collection = member.type.collection;
    valueTypeSoFar = valueType(model, member.type);
    current = valueTypeSoFar.complexType;
  }
  if (!valueTypeSoFar) fail(`The lambda variable or '$it' alone cannot be used here in ${options.option}.`);
  return {
    root: start.root,
    path,
    type: valueTypeSoFar,
    collection,
    count: false,
    nullable,
    display: display.join('/'),
  };
}
