import type { AnnotationDecl, AnnotationsDecl } from '../../model/edm.js';

/**
 * The family's `<Annotations>` blocks, as Microsoft's beta CSDL publishes them
 * (test/fixtures/onprem-family.csdl.xml). SDK and OpenAPI generators read these capability terms
 * to decide which query options to offer; no Insert/Update/Delete restrictions exist for the family.
 */

const capabilities = 'Org.OData.Capabilities.V1';

/** A restrictions record with a single true flag, e.g. CountRestrictions { Countable: true }. */
function allowed(term: string, property: string): AnnotationDecl {
  return {
    term: `${capabilities}.${term}`,
    value: { kind: 'record', properties: [{ property, value: { kind: 'bool', value: true } }] },
  };
}

function supported(term: string): AnnotationDecl {
  return { term: `${capabilities}.${term}`, value: { kind: 'bool', value: true } };
}

/** connector and connectorGroup carry the same seven terms. */
function queryableAndReferenceable(): AnnotationDecl[] {
  return [
    allowed('CountRestrictions', 'Countable'),
    allowed('ExpandRestrictions', 'Expandable'),
    allowed('FilterRestrictions', 'Filterable'),
    allowed('NavigationRestrictions', 'Referenceable'),
    allowed('SelectRestrictions', 'Selectable'),
    supported('SkipSupported'),
    supported('TopSupported'),
  ];
}

export const familyAnnotations: AnnotationsDecl[] = [
  { target: 'microsoft.graph.connector', annotations: queryableAndReferenceable() },
  { target: 'microsoft.graph.connectorGroup', annotations: queryableAndReferenceable() },
  {
    target: 'microsoft.graph.onPremisesApplicationSegment',
    annotations: [
      {
        term: 'Org.OData.Core.V1.Revisions',
        value: {
          kind: 'collection',
          items: [
            {
              kind: 'record',
              properties: [
                { property: 'Date', value: { kind: 'date', value: '2023-06-01' } },
                {
                  property: 'Description',
                  // Microsoft's wording, typo ("will being used") included: $metadata must match it.
                  value: {
                    kind: 'string',
                    value:
                      'The onPremisesApplicationSegment type is deprecated and will being used on June 01, 2023. Please use the new applicationSegment type.',
                  },
                },
                { property: 'Kind', value: { kind: 'enumMember', value: 'Org.OData.Core.V1.RevisionKind/Deprecated' } },
                { property: 'RemovalDate', value: { kind: 'date', value: '2023-06-01' } },
              ],
            },
          ],
        },
      },
    ],
  },
  {
    target: 'microsoft.graph.privateAccessSensor',
    // Newer than connector: SelectSupport instead of SelectRestrictions, and no NavigationRestrictions.
    annotations: [
      allowed('CountRestrictions', 'Countable'),
      allowed('ExpandRestrictions', 'Expandable'),
      allowed('FilterRestrictions', 'Filterable'),
      allowed('SelectSupport', 'Supported'),
      supported('SkipSupported'),
      supported('TopSupported'),
    ],
  },
];
