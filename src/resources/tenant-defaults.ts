/**
 * What a family's behaviours read of a tenant's built-in objects (for the on-premises family,
 * the id of the default connector group), made by Family.tenantDefaults on the first request.
 */
export type TenantDefaults = Readonly<Record<string, string>>;
