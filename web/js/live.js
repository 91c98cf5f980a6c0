// Live updates by polling: the view on screen is reloaded every couple of seconds through the
// public API, and drawn again only when what Graph answered changed (localgraph has no ETags
// or change notifications, so the answers themselves are compared). Any client's change
// (an SDK, curl, another console) shows up within one interval, without a reload.

export const POLL_INTERVAL_MS = 2000;

/**
 * createLive({ interval, onState(state, detail) }) → { show(view), refresh(), start(), stop() }
 * A view is { load(): Promise<data>, render(data), renderError(error), busy?(): boolean }.
 */
export function createLive({ interval = POLL_INTERVAL_MS, onState = () => {} } = {}) {
  let view = null;
  let last = null;
  let lastError = null;
  let timer = null;
  let running = false;
  let again = false;
  let started = false;
  let waiters = [];
  /** Counts the refreshes asked for: a load that started before the latest one is not drawn. */
  let generation = 0;

  async function tick() {
    clearTimeout(timer);
    timer = null;
    if (!started || !view) {
      for (const resolve of waiters.splice(0)) resolve();
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    const current = view;
    const mine = waiters;
    waiters = [];
    const asked = generation;
    let delay = interval;
    let stale = false;
    try {
      const data = await current.load();
      if (current !== view) return;
      // Asked again while this load ran (a search typed, a page turned): what it read is out of
      // date, and the load asked for now draws instead.
      if (asked !== generation) {
        stale = true;
        return;
      }
      const signature = JSON.stringify(data);
      lastError = null;
      if (current.busy?.()) {
        // A drag (or the like) is under way: draw a little later, not from under the pointer.
        delay = 250;
      } else if (signature !== last) {
        last = signature;
        current.render(data);
      }
      onState('live', new Date());
    } catch (error) {
      if (current === view && asked === generation) {
        const message = error?.message ?? String(error);
        if (message !== lastError) {
          lastError = message;
          last = null;
          current.renderError(error);
        }
        onState(error?.status === 0 || error?.code === 'NetworkError' ? 'offline' : 'error', error);
      } else {
        stale = true;
      }
    } finally {
      running = false;
      if (stale) waiters.unshift(...mine);
      else for (const resolve of mine) resolve();
      // A refresh asked for while this load ran gets a load of its own, at once.
      schedule(again || waiters.length > 0 ? 0 : delay);
      again = false;
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    if (!started) return;
    timer = setTimeout(() => {
      if (document.hidden) schedule(interval);
      else void tick();
    }, delay);
  }

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && started) void tick();
  });

  return {
    /** Shows another view: loads and draws it at once, then keeps it live. */
    show(next) {
      view = next;
      last = null;
      lastError = null;
      return this.refresh();
    },
    /** Reloads now (after an action); resolves once the view is drawn. */
    refresh() {
      generation++;
      const drawn = new Promise((resolve) => waiters.push(resolve));
      if (!running) void tick();
      return drawn;
    },
    start() {
      started = true;
    },
    stop() {
      started = false;
      clearTimeout(timer);
      view = null;
      last = null;
      for (const resolve of waiters) resolve();
      waiters = [];
    },
  };
}
