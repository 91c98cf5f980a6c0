import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './id-generator.js';
import type { TenantDefaults } from './tenant-defaults.js';

/** A family's way of making a tenant's built-in objects exist (Family.tenantDefaults). */
export type EnsureTenantDefaults = (
  tx: Store,
  tenantId: string,
  services: { clock: Clock; ids: IdGenerator },
) => Promise<TenantDefaults>;

/**
 * Makes a tenant and its built-in objects exist (what the family creates for every tenant).
 * Idempotent and safe when several processes do it at once, as the family's inserts must be.
 * Remembered per process, so it costs a query only on a tenant's first request.
 */
export class TenantState {
  private readonly known = new Map<string, Promise<TenantDefaults>>();

  constructor(
    private readonly store: Store,
    private readonly defaults: EnsureTenantDefaults,
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
      await tx.ensureTenant(tenantId, this.clock.now());
      return this.defaults(tx, tenantId, { clock: this.clock, ids: this.ids });
    });
  }
}
