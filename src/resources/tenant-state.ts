import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './id-generator.js';
import type { FamilyTables } from './tables.js';
import { DEFAULT_CONNECTOR_GROUP_NAME, DEFAULT_CONNECTOR_GROUP_REGION, type TenantDefaults } from './tenant-defaults.js';

/**
 * Makes a tenant's built-in objects exist: one profile per publishing type and the default
 * connector group. Idempotent and safe when several processes do it at once (inserts that lose a
 * race do nothing; the database's unique index keeps one default group). Remembered per process,
 * so it costs a query only on a tenant's first request.
 */
export class TenantState {
  private readonly known = new Map<string, Promise<TenantDefaults>>();

  constructor(
    private readonly store: Store,
    private readonly tables: FamilyTables,
    private readonly profileIds: ReadonlySet<string>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  ensure(tenantId: string): Promise<TenantDefaults> {
    let state = this.known.get(tenantId);
    if (!state) {
      state = this.create(tenantId);
      this.known.set(tenantId, state);
      state.catch(() => this.known.delete(tenantId));
    }
    return state;
  }

  /** Forgets what it knows (after a reset of the data). */
  forget(tenantId?: string): void {
    if (tenantId === undefined) this.known.clear();
    else this.known.delete(tenantId);
  }

  private create(tenantId: string): Promise<TenantDefaults> {
    return this.store.transaction(async (tx) => {
      const scope = { tenantId };
      await tx.ensureTenant(tenantId, this.clock.now());
      for (const id of this.profileIds) {
        await tx.insert(
          this.tables.profiles,
          scope,
          {
            id,
            isEnabled: true,
            isDefaultAccessEnabled: false,
            hybridAgentUpdaterConfiguration: { allowUpdateConfigurationOverride: false, deferUpdateDateTime: null, updateWindow: null },
          },
          { ifAbsent: true },
        );
      }
      await tx.insert(
        this.tables.connectorGroups,
        scope,
        { id: this.ids.newId(), name: DEFAULT_CONNECTOR_GROUP_NAME, connectorGroupType: 'applicationProxy', isDefault: true, region: DEFAULT_CONNECTOR_GROUP_REGION },
        { ifAbsent: true },
      );
      const group = await tx.findOne(this.tables.connectorGroups, scope, { sql: 'is_default = ?', params: [true] });
      return { defaultConnectorGroupId: String(group!.id) };
    });
  }
}
