import type { EnumTypeDecl, NavigationDecl, PropertyDecl, SchemaDecl, TypeDecl } from './edm.js';

/**
 * The resolved, queryable form of a {@link SchemaDecl}: inheritance flattened, type references
 * resolved, names indexed. Built once at start; everything generic (paths, validation,
 * serialisation, queries, `$metadata`) reads the model through this class.
 */

export type TypeKind = 'primitive' | 'enum' | 'complex' | 'entity';

/** A resolved reference to a type, e.g. `Collection(graph.connectorGroup)`. */
export interface TypeRef {
  collection: boolean;
  /** Fully qualified: `Edm.String`, `microsoft.graph.connector`. */
  name: string;
  kind: TypeKind;
}

export interface Property {
  name: string;
  type: TypeRef;
  nullable: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  decl: PropertyDecl;
}

export interface Navigation {
  name: string;
  type: TypeRef;
  containsTarget: boolean;
  decl: NavigationDecl;
}

export class EnumType {
  readonly kind = 'enum';
  readonly qualifiedName: string;
  readonly isFlags: boolean;
  readonly members: readonly string[];
  /** Members declared after `unknownFutureValue`: returned only on `Prefer: include-unknown-enum-members`. */
  readonly evolvableMembers: ReadonlySet<string>;
  private readonly byLowerName: Map<string, string>;

  constructor(
    readonly decl: EnumTypeDecl,
    namespace: string,
  ) {
    this.qualifiedName = `${namespace}.${decl.name}`;
    this.isFlags = decl.isFlags === true;
    this.members = decl.members.map((m) => m.name);
    const sentinel = this.members.indexOf('unknownFutureValue');
    this.evolvableMembers = new Set(sentinel < 0 ? [] : this.members.slice(sentinel + 1));
    this.byLowerName = new Map(this.members.map((m) => [m.toLowerCase(), m]));
  }

  get name(): string {
    return this.decl.name;
  }

  /**
   * The canonical member for a client-supplied value, or undefined. Matching ignores case
   * (agent docs write `"Active"`); flags enums take comma-separated members (`"tcp, udp"`),
   * returned joined as Graph serialises them (`"tcp,udp"`), in declaration order.
   */
  parse(value: string): string | undefined {
    if (!this.isFlags) return this.byLowerName.get(value.trim().toLowerCase());
    const parts = value.split(',').map((p) => this.byLowerName.get(p.trim().toLowerCase()));
    if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
    return this.members.filter((m) => parts.includes(m)).join(',');
  }
}

export class StructuredType {
  readonly qualifiedName: string;
  readonly properties = new Map<string, Property>();
  readonly navigations = new Map<string, Navigation>();
  readonly derived: StructuredType[] = [];
  base?: StructuredType;
  private lowerNames?: Map<string, Property | Navigation>;

  constructor(
    readonly decl: Exclude<TypeDecl, EnumTypeDecl>,
    namespace: string,
  ) {
    this.qualifiedName = `${namespace}.${decl.name}`;
  }

  get kind(): 'entity' | 'complex' {
    return this.decl.kind;
  }
  get name(): string {
    return this.decl.name;
  }
  get abstract(): boolean {
    return this.decl.abstract === true;
  }
  get openType(): boolean {
    return this.decl.openType === true;
  }

  /** Whether a value of `other` may stand where this type is expected (same type or derived). */
  isAssignableFrom(other: StructuredType): boolean {
    for (let t: StructuredType | undefined = other; t; t = t.base) if (t === this) return true;
    return false;
  }

  /** A property or navigation by name, ignoring case, as Graph resolves URL segments. */
  member(name: string): Property | Navigation | undefined {
    if (!this.lowerNames) {
      this.lowerNames = new Map();
      for (const p of this.properties.values()) this.lowerNames.set(p.name.toLowerCase(), p);
      for (const n of this.navigations.values()) this.lowerNames.set(n.name.toLowerCase(), n);
    }
    return this.lowerNames.get(name.toLowerCase());
  }

  /** This type and every type derived from it, at any depth. */
  selfAndDerived(): StructuredType[] {
    return [this, ...this.derived.flatMap((d) => d.selfAndDerived())];
  }
}

export interface EntitySet {
  name: string;
  type: StructuredType;
}

export function isNavigation(member: Property | Navigation): member is Navigation {
  return 'containsTarget' in member;
}

export class Model {
  readonly namespace: string;
  readonly alias: string;
  readonly structuredTypes = new Map<string, StructuredType>();
  readonly enumTypes = new Map<string, EnumType>();
  readonly entitySets = new Map<string, EntitySet>();
  private readonly entitySetsByLowerName = new Map<string, EntitySet>();

  constructor(readonly schema: SchemaDecl) {
    this.namespace = schema.namespace;
    this.alias = schema.alias;
    for (const decl of schema.types) {
      if (decl.kind === 'enum')
        this.enumTypes.set(`${this.namespace}.${decl.name}`, new EnumType(decl, this.namespace));
      else this.structuredTypes.set(`${this.namespace}.${decl.name}`, new StructuredType(decl, this.namespace));
    }
    for (const type of this.structuredTypes.values()) {
      if (type.decl.baseType) {
        const base = this.structuredTypes.get(this.qualify(type.decl.baseType));
        if (base) {
          type.base = base;
          base.derived.push(type);
        }
      }
    }
    const resolved = new Set<StructuredType>();
    const resolve = (type: StructuredType): void => {
      if (resolved.has(type)) return;
      if (type.base) {
        resolve(type.base);
        for (const [k, v] of type.base.properties) type.properties.set(k, v);
        for (const [k, v] of type.base.navigations) type.navigations.set(k, v);
      }
      for (const p of type.decl.properties) {
        type.properties.set(p.name, {
          name: p.name,
          type: this.typeRef(p.type),
          nullable: p.nullable !== false,
          readOnly: p.readOnly === true,
          writeOnly: p.writeOnly === true,
          decl: p,
        });
      }
      for (const n of type.decl.navigations ?? []) {
        type.navigations.set(n.name, {
          name: n.name,
          type: this.typeRef(n.type),
          containsTarget: n.containsTarget === true,
          decl: n,
        });
      }
      resolved.add(type);
    };
    for (const type of this.structuredTypes.values()) resolve(type);
    for (const set of schema.entitySets) {
      const entitySet = { name: set.name, type: this.structured(set.entityType) };
      this.entitySets.set(set.name, entitySet);
      this.entitySetsByLowerName.set(set.name.toLowerCase(), entitySet);
    }
  }

  /** `graph.x` and `microsoft.graph.x` both name `microsoft.graph.x`. */
  qualify(name: string): string {
    return name.startsWith(`${this.alias}.`) ? `${this.namespace}.${name.slice(this.alias.length + 1)}` : name;
  }

  typeRef(ref: string): TypeRef {
    const match = /^Collection\((.+)\)$/.exec(ref);
    const name = this.qualify(match ? match[1] : ref);
    let kind: TypeKind;
    if (name.startsWith('Edm.')) kind = 'primitive';
    else if (this.enumTypes.has(name)) kind = 'enum';
    else {
      const t = this.structuredTypes.get(name);
      if (!t) throw new Error(`model: unknown type ${ref}`);
      kind = t.kind;
    }
    return { collection: match !== null, name, kind };
  }

  structured(name: string): StructuredType {
    const t = this.structuredTypes.get(this.qualify(name));
    if (!t) throw new Error(`model: unknown structured type ${name}`);
    return t;
  }

  enumType(name: string): EnumType {
    const t = this.enumTypes.get(this.qualify(name));
    if (!t) throw new Error(`model: unknown enum type ${name}`);
    return t;
  }

  /** An entity set by name, ignoring case as Graph does in URLs. */
  findEntitySet(name: string): EntitySet | undefined {
    return this.entitySetsByLowerName.get(name.toLowerCase());
  }

  /** A structured type named by a cast segment or `@odata.type` (`microsoft.graph.x`, `#microsoft.graph.x`), ignoring case. */
  findStructuredType(name: string): StructuredType | undefined {
    const wanted = this.qualify(name.replace(/^#/, '')).toLowerCase();
    for (const t of this.structuredTypes.values()) if (t.qualifiedName.toLowerCase() === wanted) return t;
    return undefined;
  }
}
