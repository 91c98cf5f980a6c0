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
   * (`fixed`, a parent key), or the one each heartbeat names as its `profile` among the entities
   * of the collection at `named` (a behaviour path) that serve this one; its key is then the
   * collection's scope column. Without it the collection has no parent.
   */
  parent?: { fixed: string } | { named: string };
}
