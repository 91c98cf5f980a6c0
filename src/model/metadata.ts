import type {
  AnnotationDecl,
  AnnotationValue,
  AnnotationsDecl,
  EntitySetDecl,
  NavigationDecl,
  PropertyDecl,
  SchemaDecl,
  TypeDecl,
} from './edm.js';

/**
 * Renders a schema as the CSDL XML document served at `GET /beta/$metadata`. Elements and
 * attributes follow Microsoft's CSDL, in its attribute order and with its defaults left out
 * (no `Nullable="true"`, no `Abstract="false"`), so that a client diffing the two sees no change.
 * localgraph-only facets (`readOnly`) are never rendered.
 */
export function renderMetadata(schema: SchemaDecl): string {
  const root = el(
    'edmx:Edmx',
    [
      ['Version', '4.0'],
      ['xmlns:edmx', 'http://docs.oasis-open.org/odata/ns/edmx'],
    ],
    [
      el(
        'edmx:DataServices',
        [],
        [
          el(
            'Schema',
            [
              ['Namespace', schema.namespace],
              ['Alias', schema.alias],
              ['xmlns', 'http://docs.oasis-open.org/odata/ns/edm'],
            ],
            [
              ...schema.types.map(typeElement),
              el('EntityContainer', [['Name', 'GraphService']], schema.entitySets.map(entitySetElement)),
              ...(schema.annotations ?? []).map(annotationsElement),
            ],
          ),
        ],
      ),
    ],
  );
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  print(root, 0, lines);
  return `${lines.join('\n')}\n`;
}

/** Attributes in output order; an undefined value leaves the attribute out. */
type Attributes = [string, string | undefined][];

/** An element with children, or text content, or neither (printed self-closing). */
interface XmlElement {
  name: string;
  attributes: Attributes;
  children: XmlElement[];
  text?: string;
}

function el(name: string, attributes: Attributes, children: XmlElement[] = []): XmlElement {
  return { name, attributes, children };
}

function textElement(name: string, text: string): XmlElement {
  return { name, attributes: [], children: [], text };
}

function flag(value: boolean | undefined): string | undefined {
  return value === true ? 'true' : undefined;
}

function typeElement(decl: TypeDecl): XmlElement {
  if (decl.kind === 'enum') {
    return el(
      'EnumType',
      [
        ['Name', decl.name],
        ['IsFlags', flag(decl.isFlags)],
      ],
      decl.members.map((m) =>
        el('Member', [
          ['Name', m.name],
          ['Value', String(m.value)],
        ]),
      ),
    );
  }
  const children: XmlElement[] = [];
  if (decl.kind === 'entity' && decl.key) {
    children.push(
      el(
        'Key',
        [],
        decl.key.map((name) => el('PropertyRef', [['Name', name]])),
      ),
    );
  }
  children.push(...decl.properties.map(propertyElement), ...(decl.navigations ?? []).map(navigationElement));
  return el(
    decl.kind === 'entity' ? 'EntityType' : 'ComplexType',
    [
      ['Name', decl.name],
      ['BaseType', decl.baseType],
      ['Abstract', flag(decl.abstract)],
      ['OpenType', flag(decl.openType)],
    ],
    children,
  );
}

function propertyElement(decl: PropertyDecl): XmlElement {
  return el('Property', [
    ['Name', decl.name],
    ['Type', decl.type],
    ['Nullable', decl.nullable === false ? 'false' : undefined],
  ]);
}

function navigationElement(decl: NavigationDecl): XmlElement {
  return el('NavigationProperty', [
    ['Name', decl.name],
    ['Type', decl.type],
    ['ContainsTarget', flag(decl.containsTarget)],
  ]);
}

function entitySetElement(decl: EntitySetDecl): XmlElement {
  return el('EntitySet', [
    ['Name', decl.name],
    ['EntityType', decl.entityType],
  ]);
}

function annotationsElement(decl: AnnotationsDecl): XmlElement {
  return el('Annotations', [['Target', decl.target]], decl.annotations.map(annotationElement));
}

function annotationElement(decl: AnnotationDecl): XmlElement {
  return withValue(el('Annotation', [['Term', decl.term]]), decl.value);
}

/** Puts a value on an Annotation or PropertyValue: constants as attributes, the rest as a child. */
function withValue(element: XmlElement, value: AnnotationValue | undefined): XmlElement {
  if (value === undefined) return element;
  const attribute = constantAttribute(value);
  if (attribute) element.attributes.push(attribute);
  else element.children.push(valueElement(value));
  return element;
}

function constantAttribute(value: AnnotationValue): [string, string] | undefined {
  switch (value.kind) {
    case 'bool':
      return ['Bool', String(value.value)];
    case 'string':
      return ['String', value.value];
    case 'date':
      return ['Date', value.value];
    default:
      return undefined;
  }
}

function valueElement(value: AnnotationValue): XmlElement {
  switch (value.kind) {
    case 'bool':
      return textElement('Bool', String(value.value));
    case 'string':
      return textElement('String', value.value);
    case 'date':
      return textElement('Date', value.value);
    case 'enumMember':
      return textElement('EnumMember', value.value);
    case 'record':
      return el(
        'Record',
        [['Type', value.type]],
        value.properties.map((p) => withValue(el('PropertyValue', [['Property', p.property]]), p.value)),
      );
    case 'collection':
      return el('Collection', [], value.items.map(valueElement));
  }
}

function print(element: XmlElement, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  const attributes = element.attributes
    .filter((a): a is [string, string] => a[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  const open = `${indent}<${element.name}${attributes}`;
  if (element.text !== undefined) {
    lines.push(`${open}>${escapeText(element.text)}</${element.name}>`);
  } else if (element.children.length === 0) {
    lines.push(`${open} />`);
  } else {
    lines.push(`${open}>`);
    for (const child of element.children) print(child, depth + 1, lines);
    lines.push(`${indent}</${element.name}>`);
  }
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Also escapes whitespace that XML attribute normalisation would otherwise turn into spaces. */
function escapeAttribute(value: string): string {
  return escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
