import type { Model } from '../model/model.js';
import { familyOperations } from './operations.js';
import type { ResourceRegistry } from './registry.js';
import { SDK_OPERATIONS, type SdkMethod } from './sdk-surface.js';

/**
 * What localgraph answers to each operation the SDK's request builders offer
 * (src/resources/sdk-surface.ts): served, or refused with the reason, the same status and the
 * same error whatever the SDK.
 */
export interface SdkAnswer {
  method: SdkMethod;
  /** The builder's URL template, as the SDK writes it. */
  template: string;
  /** The operation as localgraph's permissions and coverage write it. */
  pattern: string;
  served: boolean;
  /** How it is served (an alternate key), or why not and what the client gets. */
  note: string;
}

/**
 * Operations an SDK offers that localgraph does not serve, and why. Each answers Graph's error
 * envelope with the status named.
 */
export const NOT_SERVED: Readonly<Record<string, string>> = {
  'POST /onPremisesPublishingProfiles':
    'Profiles are built in, one per publishing type (Graph documents no create): 405.',
  'DELETE /onPremisesPublishingProfiles/{id}': 'Profiles are built in (Graph documents no delete): 405.',
  'POST /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents':
    "Agents register by POST on the profile's `agents`, then join groups through `agents/$ref` (the documented way): 405.",
  'POST /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources':
    "Published resources are created on the profile's `publishedResources`, then linked through `publishedResources/$ref`: 405.",
  'POST /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/agentGroups':
    "Two navigations deep; a group is created on the profile's `agentGroups` and linked through `$ref`: 501.",
  'POST /onPremisesPublishingProfiles/{id}/publishedResources/{id}/agentGroups':
    "A group is created on the profile's `agentGroups`, then linked through `agentGroups/$ref` (the documented way): 405.",
  'PATCH /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}':
    'Update an agent at its canonical URL (`agents/{id}`); writes through a navigation are not served: 405.',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}':
    'Delete an agent at its canonical URL; removing it from the group is `DELETE .../agents/{id}/$ref`; writes through a navigation are not served: 405.',
  'PATCH /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}':
    'Update a published resource at its canonical URL (`publishedResources/{id}`); writes through a navigation are not served: 405.',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}':
    'Delete a published resource at its canonical URL; unlinking is `DELETE .../publishedResources/{id}/$ref`; writes through a navigation are not served: 405.',
  'DELETE /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/members/$ref':
    'A connector is always in exactly one group: it leaves one by joining another (`POST .../members/$ref`): 405.',
  'DELETE /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/members/{id}/$ref':
    'A connector is always in exactly one group: it leaves one by joining another (`POST .../members/$ref`): 405.',
  'DELETE /onPremisesPublishingProfiles/{id}/connectors/{id}/memberOf/$ref':
    'A connector is always in exactly one group: move it with `POST .../memberOf/$ref`: 405.',
  'DELETE /onPremisesPublishingProfiles/{id}/connectors/{id}/memberOf/{id}/$ref':
    'A connector is always in exactly one group: move it with `POST .../memberOf/$ref`: 405.',
  'GET /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/applications/{id}/logo':
    'The application logo is a media stream outside the model localgraph keeps of `application`: an unknown segment, 400.',
  'PUT /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/applications/{id}/logo':
    'The application logo is a media stream outside the model localgraph keeps of `application`: an unknown segment, 400.',
  'DELETE /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/applications/{id}/logo':
    'The application logo is a media stream outside the model localgraph keeps of `application`: an unknown segment, 400.',
  'GET /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}/agentGroups':
    "Two navigations deep: read the agent's groups at `agents/{id}/agentGroups`: 501.",
  'GET /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/agentGroups':
    "Two navigations deep: read the resource's groups at `publishedResources/{id}/agentGroups`: 501.",
  'POST /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}/agentGroups/$ref':
    'Two navigations deep: link at `agents/{id}/agentGroups/$ref`: 501.',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}/agentGroups/$ref':
    'Two navigations deep: unlink at `agents/{id}/agentGroups/{id}/$ref`: 501.',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}/agentGroups/{id}/$ref':
    'Two navigations deep: unlink at `agents/{id}/agentGroups/{id}/$ref`: 501.',
  'POST /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/agentGroups/$ref':
    'Two navigations deep: link at `publishedResources/{id}/agentGroups/$ref`: 501.',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/agentGroups/$ref':
    'Two navigations deep: unlink at `publishedResources/{id}/agentGroups/{id}/$ref`: 501.',
  'DELETE /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/agentGroups/{id}/$ref':
    'Two navigations deep: unlink at `publishedResources/{id}/agentGroups/{id}/$ref`: 501.',
  'GET /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}/agentGroups/$count':
    'Two navigations deep: count at `agents/{id}/agentGroups/$count`: 501.',
  'GET /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/agentGroups/$count':
    'Two navigations deep: count at `publishedResources/{id}/agentGroups/$count`: 501.',
  'GET /onPremisesPublishingProfiles/{id}/agentGroups/{id}/agents/{id}/agentGroups/$ref':
    'Two navigations deep: read at `agents/{id}/agentGroups/$ref`: 501.',
  'GET /onPremisesPublishingProfiles/{id}/agentGroups/{id}/publishedResources/{id}/agentGroups/$ref':
    'Two navigations deep: read at `publishedResources/{id}/agentGroups/$ref`: 501.',
};

const KEY_PARAMETER = /\{[A-Za-z]+%2Did\d?\}/g;
const ALTERNATE_KEY = /\((appId|uniqueName)='\{\1\}'\)/;

/** The SDK's URL template as localgraph's operation pattern (`{id}` for every key, an alternate key included). */
export function sdkPattern(template: string): string {
  return template.replace(KEY_PARAMETER, '{id}').replace(ALTERNATE_KEY, '/{id}');
}

export function sdkAnswers(model: Model, registry: ResourceRegistry): SdkAnswer[] {
  const served = new Set(
    familyOperations(model, registry)
      .filter((op) => op.implemented)
      .map((op) => `${op.method} ${op.pattern}`),
  );
  const isServed = (method: string, pattern: string): boolean => {
    if (served.has(`${method} ${pattern}`)) return true;
    // `/$count` and `GET .../$ref` are served wherever their collection's GET is.
    const count = /^(.*)\/\$count$/.exec(pattern);
    if (method === 'GET' && count) return served.has(`GET ${count[1]}`);
    const ref = /^(.*)\/\$ref$/.exec(pattern);
    return method === 'GET' && ref !== null && served.has(`GET ${ref[1]}`) && served.has(`POST ${pattern}`);
  };
  return SDK_OPERATIONS.map(([method, template]) => {
    const pattern = sdkPattern(template);
    const alternate = ALTERNATE_KEY.exec(template)?.[1];
    if (isServed(method, pattern)) {
      return {
        method,
        template,
        pattern,
        served: true,
        note: alternate
          ? `Alternate key: the application whose \`${alternate}\` is given, if it is assigned to the group.`
          : '',
      };
    }
    return { method, template, pattern, served: false, note: NOT_SERVED[`${method} ${pattern}`] ?? '' };
  });
}
