/**
 * The permissions the on-premises family's rows name, and what several rows share: each
 * behaviour file holds the rows of its own operations (`permissions`, src/auth/permission-row.ts).
 *
 * Sources: the permissions map behind the Graph docs (perms.json, 2026-08-07) and the reference
 * pages. Where they are silent (operations only the generated SDKs offer) or disagree, the note
 * says what localgraph chose.
 */
export const DIR_RW = 'Directory.ReadWrite.All';
export const DIR_R = 'Directory.Read.All';
export const HYBRID_R = 'Policy.Read.HybridAuthentication';
export const HYBRID_RW = 'Policy.ReadWrite.HybridAuthentication';
export const OPP_RW = 'OnPremisesPublishingProfiles.ReadWrite.All';
export const APP_R = 'Application.Read.All';
export const APP_RW = 'Application.ReadWrite.All';

/** A profile in row patterns: the collections under it start so. */
export const PROFILE = '/onPremisesPublishingProfiles/{id}';

export const DOCS = 'perms.json and docs';
export const REGISTRATION =
  'undocumented (only the generated SDKs offer it); ' +
  'localgraph choice: on-premises installers register agents as apps, so app tokens may too';
