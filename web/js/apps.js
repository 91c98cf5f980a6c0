// Applications and the connector group each is assigned to. Graph answers an application's
// connectorGroup with the tenant's default group when nothing is assigned, so the groups' own
// `applications` lists tell an explicit assignment from that fallback. Published applications
// (onPremisesPublishing set) can be assigned to another group, or back to the default.
import { byId, byText, facts, h, replaceContent } from './dom.js';
import { humanize, odataId, PROXY } from './graph.js';
import { alertMessage, announce, clearAlert } from './messages.js';
import { permissionNotice } from './notices.js';

const NOT_ASSIGNED = '';

export function createApps({ graph, live }) {
  const body = byId('apps-body');
  const summary = byId('apps-summary');
  const names = new Map();
  const chosen = new Map();
  let groups = [];

  async function load() {
    const [apps, groupList] = await Promise.all([
      graph.list('/applications?$select=id,appId,displayName,onPremisesPublishing&$expand=connectorGroup($select=id,name,isDefault)'),
      // Listing groups needs Directory.ReadWrite.All; without it the list is shown without the assignment control.
      graph.list(`${PROXY}/connectorGroups?$select=id,name,isDefault&$expand=applications($select=id)`).catch((error) => (error.status === 403 ? null : Promise.reject(error))),
    ]);
    const assigned = new Map();
    for (const group of groupList ?? []) for (const app of group.applications ?? []) assigned.set(app.id, group.id);
    return {
      groups: groupList?.map((g) => ({ id: g.id, name: g.name ?? '', isDefault: g.isDefault === true })) ?? null,
      apps: apps.map((a) => ({
        id: a.id,
        appId: a.appId ?? '',
        displayName: a.displayName ?? '',
        published: a.onPremisesPublishing != null,
        externalUrl: a.onPremisesPublishing?.externalUrl ?? null,
        internalUrl: a.onPremisesPublishing?.internalUrl ?? null,
        group: a.connectorGroup ? { id: a.connectorGroup.id, name: a.connectorGroup.name ?? '', isDefault: a.connectorGroup.isDefault === true } : null,
        assignedGroupId: assigned.get(a.id) ?? null,
      })),
    };
  }

  function render(data) {
    groups = [...(data.groups ?? [])].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || byText(a.name, b.name));
    names.clear();
    for (const g of groups) names.set(g.id.toLowerCase(), g.name || '(no name)');
    for (const a of data.apps) names.set(a.id.toLowerCase(), a.displayName || a.id);
    const apps = [...data.apps].sort((a, b) => Number(b.published) - Number(a.published) || byText(a.displayName, b.displayName));
    const published = apps.filter((a) => a.published).length;
    summary.textContent = `${apps.length} application${apps.length === 1 ? '' : 's'} · ${published} published through application proxy`;
    if (apps.length === 0) return void replaceContent(body, h('p', { class: 'empty' }, 'No applications in this tenant.'));
    replaceContent(body, h('ul', { class: 'tiles', 'aria-label': 'Applications' }, apps.map((app) => tile(app, data.groups !== null))));
  }

  function renderError(error) {
    summary.textContent = '';
    replaceContent(body, permissionNotice(error, 'Application.Read.All', 'list applications'));
  }

  function groupText(app) {
    if (!app.published) return 'Not published through application proxy';
    if (!app.group) return '—';
    if (app.assignedGroupId) return `${app.group.name || '(no name)'}${app.group.isDefault ? ' (default group)' : ''}`;
    return `${app.group.name || '(no name)'} (default, not assigned)`;
  }

  function tile(app, canAssign) {
    const selectId = `assign-${app.id}`;
    const current = app.assignedGroupId ?? NOT_ASSIGNED;
    const pending = chosen.has(app.id) ? chosen.get(app.id) : current;
    const select =
      app.published && canAssign
        ? h(
            'select',
            { id: selectId, 'data-focus-key': selectId, value: pending, onchange: (event) => chosen.set(app.id, event.target.value) },
            h('option', { value: NOT_ASSIGNED }, 'No assignment (default group)'),
            groups.map((g) => h('option', { value: g.id }, `${g.name || '(no name)'}${g.isDefault ? ' (default)' : ''}`)),
          )
        : null;
    return h(
      'li',
      { class: ['tile', !app.published && 'is-muted'], dataset: { appId: app.id } },
      h('h3', { class: 'tile-title' }, app.displayName || '(no name)'),
      facts([
        ['Application (client) ID', h('code', null, app.appId)],
        app.published && ['External URL', app.externalUrl],
        app.published && ['Internal URL', app.internalUrl],
        ['Connector group', groupText(app)],
      ]),
      select &&
        h(
          'form',
          {
            class: 'move-form',
            novalidate: true,
            onsubmit: (event) => {
              event.preventDefault();
              void assign(app, select.value);
            },
          },
          h('label', { for: selectId }, 'Assign to'),
          select,
          h('button', { type: 'submit', class: 'button button-small', 'data-focus-key': `assign-button-${app.id}`, 'aria-label': `Assign ${app.displayName || 'application'}` }, 'Assign'),
        ),
    );
  }

  async function assign(app, groupId) {
    clearAlert();
    const path = `/applications/${encodeURIComponent(app.id)}/connectorGroup/$ref`;
    try {
      if (groupId === NOT_ASSIGNED) {
        if (!app.assignedGroupId) return void announce(`${app.displayName} has no assignment.`);
        await graph.del(path);
        announce(`${app.displayName} no longer has a connector group assigned (it uses the default group).`);
      } else {
        await graph.put(path, odataId(`${PROXY}/connectorGroups/${groupId}`));
        announce(`Assigned ${app.displayName} to ${names.get(groupId.toLowerCase()) ?? 'the group'}.`);
      }
      chosen.delete(app.id);
    } catch (error) {
      alertMessage(humanize(error.message, names));
    }
    await live.refresh();
  }

  return { view: { name: 'apps', load, render, renderError } };
}
