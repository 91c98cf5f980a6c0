const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a GUID in its plain 8-4-4-4-12 form (either case, no braces). */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
