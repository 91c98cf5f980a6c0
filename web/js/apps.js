// Applications, a page at a time, with the connector group each is published through. Graph
// answers an application's connectorGroup with the tenant's default group when nothing is
// assigned, so for the applications of the page shown as in the default group, the default
// group's own `applications` (filtered to those ids) tells an assignment from that fallback.
// A published application (onPremisesPublishing set) can be assigned to another group, or back
// to the default.
import { breakable, byId, facts, focusKey, h, replaceContent } from './dom.js';
import { createFeedback, perform } from './feedback.js';
import { humanize, literal, odataId, PROXY, withQuery } from './graph.js';
import { permissionNotice } from './notices.js';
import { createPager, rangeText } from './pager.js';

export const APP_PAGE = 20;
const SEARCH_DELAY_MS = 300;
const NO_ASSIGNMENT = { id: '', name: 'No assignment (use the default group)' };

export function createApps({ graph, live, picker, confirm }) {
  const feedback = createFeedback(byId('apps-feedback'), { onDismiss: () => byId('apps-title').focus() });
  const body = byId('apps-body');
  const summary = byId('apps-summary');
  const search = byId('apps-search');
  const pager = createPager(APP_PAGE);
  const names = new Map();
  let queryKey = null;
  let timer;

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void live.refresh(), SEARCH_DELAY_MS);
  });

  async function load() {
    const text = search.value.trim();
    const first = withQuery('/applications', {
      $select: 'id,appId,displayName,onPremisesPublishing',
      $filter: text ? `startswith(displayName,${literal(text)})` : undefined,
      $orderby: 'displayName',
      $expand: 'connectorGroup($select=id,name,isDefault)',
      $count: 'true',
    });
    if (first !== queryKey) {
      queryKey = first;
      pager.start(first);
    }
    const page = await graph.page(pager.url, { size: APP_PAGE, count: true });
    const apps = page.items.map((a) => ({
      id: a.id,
      appId: a.appId ?? '',
      displayName: a.displayName ?? '',
      published: a.onPremisesPublishing != null,
      externalUrl: a.onPremisesPublishing?.externalUrl ?? null,
      internalUrl: a.onPremisesPublishing?.internalUrl ?? null,
      group: a.connectorGroup
        ? { id: a.connectorGroup.id, name: a.connectorGroup.name ?? '', isDefault: a.connectorGroup.isDefault === true }
        : null,
      assigned: a.connectorGroup ? a.connectorGroup.isDefault !== true : false,
    }));
    // In the default group: assigned there, or only falling back to it? The group's own list says.
    const inDefault = apps.filter((a) => a.published && a.group?.isDefault);
    if (inDefault.length > 0) {
      const defaultId = inDefault[0].group.id;
      const ids = inDefault.map((a) => literal(a.id)).join(',');
      const listed = await graph
        .page(
          withQuery(`${PROXY}/connectorGroups/${defaultId}/applications`, { $select: 'id', $filter: `id in (${ids})` }),
          { size: APP_PAGE },
        )
        .catch((error) => (error.status === 403 ? null : Promise.reject(error)));
      const assigned = new Set((listed?.items ?? []).map((a) => a.id));
      for (const a of inDefault) a.assigned = assigned.has(a.id);
    }
    return { query: first, apps, index: pager.index, next: page.next, count: page.count, search: text };
  }

  function render(data) {
    for (const a of data.apps) {
      names.set(a.id.toLowerCase(), a.displayName || a.id);
      if (a.group) names.set(a.group.id.toLowerCase(), a.group.name || '(no name)');
    }
    const count = data.count ?? data.apps.length;
    summary.textContent = data.search
      ? `${count} application${count === 1 ? '' : 's'} whose name starts with "${data.search}"`
      : `${count} application${count === 1 ? '' : 's'}`;
    if (data.apps.length === 0 && data.index === 0) {
      return void replaceContent(
        body,
        h(
          'div',
          { class: 'empty-state' },
          data.search
            ? [
                h('p', null, `No application's name starts with "${data.search}".`),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small',
                    'data-focus-key': 'apps-clear',
                    onclick: clearSearch,
                  },
                  'Clear the search',
                ),
              ]
            : [
                h('p', null, h('strong', null, 'No applications in this tenant yet.')),
                h(
                  'p',
                  null,
                  'Create one with ',
                  h('code', null, 'POST /beta/applications'),
                  ' and publish it through application proxy by setting its ',
                  h('code', null, 'onPremisesPublishing'),
                  ' (externalUrl, internalUrl); then assign it to a connector group here.',
                ),
              ],
        ),
      );
    }
    replaceContent(
      body,
      h(
        'p',
        { class: 'range', id: 'apps-range' },
        rangeText(data.index, APP_PAGE, data.apps.length, data.count, 'application'),
      ),
      h('ul', { class: 'tiles', 'aria-label': 'Applications', 'aria-describedby': 'apps-range' }, data.apps.map(tile)),
      (data.index > 0 || data.next) &&
        h(
          'nav',
          { class: 'pager', 'aria-label': 'Pages of applications' },
          h(
            'button',
            {
              type: 'button',
              class: 'button button-small',
              disabled: data.index === 0,
              'data-focus-key': 'apps-previous',
              onclick: () => turn(data, () => pager.back()),
            },
            'Previous page',
          ),
          h('span', { class: 'pager-at' }, `Page ${data.index + 1}`),
          h(
            'button',
            {
              type: 'button',
              class: 'button button-small',
              disabled: !data.next,
              'data-focus-key': 'apps-next',
              onclick: () => turn(data, () => pager.forward(data.next)),
            },
            'Next page',
          ),
        ),
    );
  }

  function renderError(error) {
    summary.textContent = '';
    replaceContent(body, permissionNotice(error, 'Application.Read.All', 'list applications'));
  }

  /** Turns the page, unless the list on screen is from an older query (its links lead elsewhere). */
  function turn(data, step) {
    if (data.query !== queryKey) return;
    step();
    void live.refresh();
  }

  function clearSearch() {
    search.value = '';
    void live.refresh();
    search.focus();
  }

  function groupText(app) {
    if (!app.published) return 'Not published through application proxy';
    if (!app.group) return '—';
    if (app.assigned) return `${app.group.name || '(no name)'}${app.group.isDefault ? ' (default group)' : ''}`;
    return `${app.group.name || '(no name)'} (default, not assigned)`;
  }

  function tile(app) {
    const title = app.displayName || '(no name)';
    return h(
      'li',
      { class: ['tile', !app.published && 'is-muted'], dataset: { appId: app.id } },
      h('h3', { class: 'tile-title' }, title),
      facts([
        ['Application (client) ID', h('code', null, app.appId)],
        app.published && ['External URL', app.externalUrl && breakable(app.externalUrl)],
        app.published && ['Internal URL', app.internalUrl && breakable(app.internalUrl)],
        ['Connector group', groupText(app)],
      ]),
      app.published &&
        h(
          'div',
          { class: 'tile-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button button-small',
              'data-focus-key': `assign-${app.id}`,
              'aria-label': `Assign ${title} to a connector group`,
              onclick: (event) => assign(app, event.currentTarget),
            },
            'Assign…',
          ),
        ),
    );
  }

  async function assign(app, button) {
    const title = app.displayName || 'the application';
    const target = await picker.pick({
      title: `Assign ${title}`,
      text: 'Choose the connector group whose connectors publish it; type to search the groups by name.',
      ok: 'Assign',
      extra: app.assigned ? NO_ASSIGNMENT : null,
      exclude: app.assigned ? app.group?.id : null,
    });
    if (!target) return void button.focus();
    const path = `/applications/${encodeURIComponent(app.id)}/connectorGroup/$ref`;
    const describe = (error) => humanize(error.message, names);
    if (target.id === NO_ASSIGNMENT.id) {
      const confirmed = await confirm({
        title: `Remove ${title}'s assignment?`,
        text: `It will be published through the tenant's default connector group instead of ${app.group?.name || 'its group'}.`,
        ok: 'Remove assignment',
      });
      if (!confirmed) return void button.focus();
      await perform(
        feedback,
        {
          progress: `Removing ${title}'s assignment…`,
          success: `${title} no longer has a connector group assigned (it uses the default group).`,
          describe,
        },
        () => graph.del(path),
      );
    } else {
      names.set(target.id.toLowerCase(), target.name);
      await perform(
        feedback,
        {
          progress: `Assigning ${title} to ${target.name}…`,
          success: `Assigned ${title} to ${target.name}.`,
          describe,
        },
        () => graph.put(path, odataId(`${PROXY}/connectorGroups/${target.id}`)),
      );
    }
    await live.refresh();
    if (!focusKey(`assign-${app.id}`)) byId('apps-title').focus();
  }

  return { view: { name: 'apps', load, render, renderError, leave: () => feedback.clear() } };
}
