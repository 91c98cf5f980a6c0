/** What every tenant has from its first request on. */
export interface TenantDefaults {
  defaultConnectorGroupId: string;
}

export const DEFAULT_CONNECTOR_GROUP_NAME = 'Default';
export const DEFAULT_CONNECTOR_GROUP_REGION = 'nam';
