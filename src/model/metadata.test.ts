import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { family } from '../family/on-premises/schema.js';
import { renderMetadata } from './metadata.js';
import type { SchemaDecl } from './edm.js';

/** An XML element reduced to what CSDL comparison needs; whitespace-only text is dropped. */
interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text?: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  // Decodes numeric character references (&#10;), which the renderer uses for whitespace in attributes.
  htmlEntities: true,
});

function parse(xml: string): Element {
  const roots = toElements(parser.parse(xml) as unknown[]);
  assert.equal(roots.length, 1, 'one document element');
  return roots[0];
}

function toElements(nodes: unknown[]): Element[] {
  const elements: Element[] = [];
  for (const node of nodes as Record<string, unknown>[]) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined || name === '#text') continue;
    const content = node[name] as Record<string, unknown>[];
    const texts = content.filter((c) => '#text' in c).map((c) => String(c['#text']));
    const element: Element = {
      name,
      attributes: { ...((node[':@'] as Record<string, string> | undefined) ?? {}) },
      children: toElements(content),
    };
    if (texts.join('').trim() !== '') element.text = texts.join('');
    elements.push(element);
  }
  return elements;
}

function child(parent: Element, name: string): Element {
  const found = parent.children.find((c) => c.name === name);
  assert.ok(found, `<${parent.name}> has a <${name}>`);
  return found;
}

function schemaOf(edmx: Element): Element {
  return child(child(edmx, 'edmx:DataServices'), 'Schema');
}

/** The fixture lives under test/fixtures at the project root, whether this runs from src or dist. */
function readFixture(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const path = join(dir, 'test', 'fixtures', 'onprem-family.csdl.xml');
    if (existsSync(path)) return readFileSync(path, 'utf8');
    assert.notEqual(dirname(dir), dir, 'test/fixtures/onprem-family.csdl.xml not found above the test');
  }
}

const renderedXml = renderMetadata(family);
const fixture = parse(readFixture());
const rendered = parse(renderedXml);
const fixtureSchema = schemaOf(fixture);
const renderedSchema = schemaOf(rendered);

test('$metadata is well-formed XML', () => {
  assert.equal(XMLValidator.validate(renderedXml), true);
  assert.ok(renderedXml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<edmx:Edmx'));
});

test('$metadata has the envelope of Microsoft CSDL', () => {
  assert.deepEqual(rendered.attributes, fixture.attributes);
  assert.equal(rendered.name, 'edmx:Edmx');
  assert.deepEqual(child(rendered, 'edmx:DataServices').attributes, child(fixture, 'edmx:DataServices').attributes);
  assert.deepEqual(renderedSchema.attributes, fixtureSchema.attributes);
});

for (const kind of ['EntityType', 'ComplexType', 'EnumType']) {
  test(`every ${kind} of the CSDL is rendered with the same attributes, members and order`, () => {
    const expected = fixtureSchema.children.filter((c) => c.name === kind);
    assert.ok(expected.length > 0);
    for (const type of expected) {
      const actual = renderedSchema.children.filter(
        (c) => c.name === kind && c.attributes.Name === type.attributes.Name,
      );
      assert.equal(actual.length, 1, `${kind} ${type.attributes.Name} rendered once`);
      // Deep equality covers Key/PropertyRef, Property, NavigationProperty and Member, attribute
      // for attribute, and rules out extra attributes or children.
      assert.deepEqual(actual[0], type, `${kind} ${type.attributes.Name}`);
    }
  });
}

/**
 * The types outside the family that the application slice needs, in a subset of their real shape
 * (checked below): the only ones the CSDL copy does not hold.
 */
const APPLICATION_SUBSET = [
  'ComplexType Dictionary',
  'EntityType directoryObject',
  'EntityType application',
  'ComplexType webApplication',
  'ComplexType implicitGrantSettings',
  'ComplexType redirectUriSettings',
];

test('$metadata declares no family type the CSDL lacks (a new type brings its elements from Microsoft)', () => {
  const names = (schema: Element) =>
    schema.children
      .filter((c) => ['EntityType', 'ComplexType', 'EnumType'].includes(c.name))
      .map((c) => `${c.name} ${c.attributes.Name}`);
  const known = new Set(names(fixtureSchema));
  assert.deepEqual(
    names(renderedSchema).filter((name) => !known.has(name)),
    APPLICATION_SUBSET,
    'types not in test/fixtures/onprem-family.csdl.xml',
  );
});

test('every EntitySet of the CSDL is rendered, profiles first, then applications', () => {
  const expected = child(fixtureSchema, 'EntityContainer');
  const actual = child(renderedSchema, 'EntityContainer');
  assert.deepEqual(actual.attributes, expected.attributes);
  for (const set of expected.children) {
    assert.deepEqual(
      actual.children.find((c) => c.attributes.Name === set.attributes.Name),
      set,
    );
  }
  assert.deepEqual(
    actual.children.map((c) => c.attributes),
    [
      { Name: 'onPremisesPublishingProfiles', EntityType: 'microsoft.graph.onPremisesPublishingProfile' },
      { Name: 'applications', EntityType: 'microsoft.graph.application' },
    ],
  );
});

test('every Annotations block of the CSDL is rendered identically, in order', () => {
  const targets = (schema: Element): Element[] => schema.children.filter((c) => c.name === 'Annotations');
  const expected = targets(fixtureSchema);
  assert.equal(expected.length, 4);
  for (const block of expected) {
    assert.deepEqual(
      targets(renderedSchema).find((c) => c.attributes.Target === block.attributes.Target),
      block,
    );
  }
  assert.deepEqual(
    targets(renderedSchema).map((c) => c.attributes.Target),
    expected.map((c) => c.attributes.Target),
  );
});

test('$metadata never shows localgraph-only facets', () => {
  assert.doesNotMatch(renderedXml, /readOnly/i);
});

test('every type $metadata names is declared in it', () => {
  const declared = new Set(
    renderedSchema.children
      .filter((c) => ['EntityType', 'ComplexType', 'EnumType'].includes(c.name))
      .map((c) => `microsoft.graph.${c.attributes.Name}`),
  );
  const resolve = (ref: string, where: string): void => {
    const name = ref.replace(/^Collection\((.+)\)$/, '$1').replace(/^graph\./, 'microsoft.graph.');
    if (name.startsWith('Edm.')) return;
    assert.ok(declared.has(name), `${where} names ${ref}, which is not declared`);
  };
  const visit = (element: Element, where: string): void => {
    for (const attribute of ['BaseType', 'Type', 'EntityType', 'Target']) {
      const ref = element.attributes[attribute];
      if (ref !== undefined && !(element.name === 'Record' && attribute === 'Type')) resolve(ref, where);
    }
    for (const c of element.children) visit(c, `${where}/${c.attributes.Name ?? c.attributes.Target ?? c.name}`);
  };
  for (const c of renderedSchema.children) visit(c, c.attributes.Name ?? c.attributes.Target ?? c.name);
});

test('the application subset keeps the real shapes of Graph beta', () => {
  const application = renderedSchema.children.find(
    (c) => c.name === 'EntityType' && c.attributes.Name === 'application',
  );
  assert.ok(application);
  assert.deepEqual(application.attributes, {
    Name: 'application',
    BaseType: 'graph.directoryObject',
    OpenType: 'true',
  });
  assert.deepEqual(
    application.children.map((c) => [c.name, c.attributes.Name, c.attributes.Type, c.attributes.Nullable]),
    [
      ['Property', 'appId', 'Edm.String', undefined],
      ['Property', 'createdDateTime', 'Edm.DateTimeOffset', undefined],
      ['Property', 'description', 'Edm.String', undefined],
      ['Property', 'displayName', 'Edm.String', undefined],
      ['Property', 'identifierUris', 'Collection(Edm.String)', 'false'],
      ['Property', 'onPremisesPublishing', 'graph.onPremisesPublishing', undefined],
      ['Property', 'signInAudience', 'Edm.String', undefined],
      ['Property', 'tags', 'Collection(Edm.String)', 'false'],
      ['Property', 'web', 'graph.webApplication', undefined],
      ['NavigationProperty', 'connectorGroup', 'graph.connectorGroup', undefined],
    ],
  );
});

test('attribute and text values are escaped', () => {
  const tricky = `a"b'c<d>e&f\tg\nh`;
  const schema: SchemaDecl = {
    namespace: 'x.y',
    alias: 'y',
    types: [{ kind: 'complex', name: 't', properties: [{ name: 'p', type: 'Edm.String' }] }],
    entitySets: [],
    annotations: [
      {
        target: 'x.y.t',
        annotations: [
          { term: 'Org.OData.Core.V1.Description', value: { kind: 'string', value: tricky } },
          {
            term: 'Org.OData.Core.V1.Example',
            value: { kind: 'collection', items: [{ kind: 'string', value: tricky }] },
          },
        ],
      },
    ],
  };
  const xml = renderMetadata(schema);
  assert.equal(XMLValidator.validate(xml), true);
  const annotations = child(schemaOf(parse(xml)), 'Annotations');
  assert.equal(annotations.children[0].attributes.String, tricky);
  assert.equal(child(child(annotations.children[1], 'Collection'), 'String').text, tricky);
});
