/**
 * A collection whose objects report heartbeats (the admin API's connector life simulation,
 * src/admin/heartbeats.ts): a heartbeat of this kind is recorded for an object of the collection,
 * and while the simulation is on the `status` property of its objects follows them.
 */
export interface HeartbeatTarget {
  /** What a heartbeat calls these objects: `{"kind": "connector", "id": …}`. */
  kind: string;
  /** The collection's behaviour path; its entity type has a `status` (`active`, `inactive`). */
  collection: string;
  /**
   * The parent the objects are under, for a contained collection: the same one for all of them
   * (`fixed`, a parent key), or `'named'`: the one each heartbeat names as its `profile`, among
   * the keys of the collection of fixed keys it is contained in that serve it (its scope column
   * holds the key). Without it the collection has no parent.
   */
  parent?: { fixed: string } | 'named';
}
