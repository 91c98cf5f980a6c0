/**
 * Declarations of an OData (CSDL) schema, as plain data. The shapes mirror the CSDL XML elements
 * one to one, so that `$metadata` can be rendered from them attribute for attribute, plus a few
 * localgraph-only annotations (`readOnly`, `writeOnly`) that drive validation and never appear in `$metadata`.
 *
 * Type references are written exactly as Microsoft's CSDL writes them: `Edm.String`,
 * `graph.connectorStatus`, `Collection(graph.connectorGroup)`.
 */

/** A structural property (`<Property>`). */
export interface PropertyDecl {
  name: string;
  type: string;
  /** CSDL `Nullable`; absent means nullable, as in CSDL. */
  nullable?: boolean;
  /** The Graph docs call the property read-only: the server manages it. Not rendered in CSDL. */
  readOnly?: boolean;
  /**
   * A secret the server takes but never gives back (a certificate's private key, a password):
   * it reads as null and cannot be filtered or sorted on. Not rendered in CSDL.
   */
  writeOnly?: boolean;
}

/** A navigation property (`<NavigationProperty>`). */
export interface NavigationDecl {
  name: string;
  type: string;
  containsTarget?: boolean;
}

export interface EntityTypeDecl {
  kind: 'entity';
  name: string;
  baseType?: string;
  abstract?: boolean;
  openType?: boolean;
  /** Only the root `entity` type declares its key; every other type inherits it. */
  key?: string[];
  properties: PropertyDecl[];
  navigations?: NavigationDecl[];
}

export interface ComplexTypeDecl {
  kind: 'complex';
  name: string;
  baseType?: string;
  abstract?: boolean;
  openType?: boolean;
  properties: PropertyDecl[];
  navigations?: NavigationDecl[];
}

export interface EnumMemberDecl {
  name: string;
  value: number;
}

export interface EnumTypeDecl {
  kind: 'enum';
  name: string;
  isFlags?: boolean;
  members: EnumMemberDecl[];
}

export type TypeDecl = EntityTypeDecl | ComplexTypeDecl | EnumTypeDecl;

export interface EntitySetDecl {
  name: string;
  /** Fully qualified, as CSDL writes it in `<EntitySet EntityType=...>`. */
  entityType: string;
}

/**
 * A vocabulary annotation value. Constants (`bool`, `string`, `date`) are rendered in CSDL's
 * attribute notation and `enumMember` in element notation, because that is how Microsoft's CSDL
 * writes them and `$metadata` has to match it attribute for attribute.
 */
export type AnnotationValue =
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'date'; value: string }
  | { kind: 'enumMember'; value: string }
  | { kind: 'record'; type?: string; properties: PropertyValueDecl[] }
  | { kind: 'collection'; items: AnnotationValue[] };

/** A `<PropertyValue>` of a record. */
export interface PropertyValueDecl {
  property: string;
  value: AnnotationValue;
}

/** An `<Annotation>`; a term without a value applies its default (`true` for tagging terms). */
export interface AnnotationDecl {
  term: string;
  value?: AnnotationValue;
}

/** An `<Annotations Target=...>` block, targeting an element by its fully qualified name. */
export interface AnnotationsDecl {
  target: string;
  annotations: AnnotationDecl[];
}

export interface SchemaDecl {
  namespace: string;
  alias: string;
  types: TypeDecl[];
  entitySets: EntitySetDecl[];
  /** Capability and revision annotations that clients and SDK generators read from `$metadata`. */
  annotations?: AnnotationsDecl[];
}
