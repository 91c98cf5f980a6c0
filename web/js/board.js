// Connector groups as columns, each with its connectors as cards: machine name, external IP,
// status, version; the tenant's default group first and marked. Connectors move by drag and
// drop or with each card's "Move to" control (keyboard); groups are created, renamed, given
// another region and deleted through Graph, and Graph's refusals are shown in its own words,
// with ids replaced by names.
import { byId, byText, facts, focusKey, h, replaceContent, statusPill } from './dom.js';
import { confirmAction } from './dialogs.js';
import { humanize, odataId, PROXY } from './graph.js';
import { alertMessage, announce, clearAlert } from './messages.js';
import { permissionNotice } from './notices.js';

/** connectorGroupRegion members (unknownFutureValue aside), with names people use. */
export const REGIONS = [
  ['nam', 'North America'],
  ['eur', 'Europe'],
  ['aus', 'Australia'],
  ['asia', 'Asia'],
  ['ind', 'India'],
];

export function regionLabel(region) {
  if (!region) return 'not set';
  const known = REGIONS.find(([value]) => value === region);
  return known ? `${known[1]} (${region})` : region;
}

/** Fills a <select> with "Not set" and the regions, keeping an unknown current value selectable. */
export function fillRegions(select, current, { notSet = 'Not set' } = {}) {
  const options = [h('option', { value: '' }, notSet), ...REGIONS.map(([value, label]) => h('option', { value }, `${label} (${value})`))];
  if (current && !REGIONS.some(([value]) => value === current)) options.push(h('option', { value: current }, current));
  select.replaceChildren(...options);
  select.value = current ?? '';
}

const DRAG_TYPE = 'application/x-localgraph-connector';
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function createBoard({ graph, live }) {
  const body = byId('groups-body');
  const summary = byId('groups-summary');
  /** What was drawn last: { groups, connectors } (see load). */
  let state = { groups: [], connectors: [] };
  /** Ids → names (groups and connectors), to make Graph's messages readable. */
  const names = new Map();
  /** The connector being dragged, if any (the board is not redrawn under a drag). */
  let dragging = null;
  /** A target chosen in a card's Move-to control but not yet sent, kept across redraws. */
  const chosen = new Map();
  let editing = null;

  const readable = (error) => humanize(error?.message ?? String(error), names);

  async function load() {
    const [groups, connectors] = await Promise.all([
      graph.list(`${PROXY}/connectorGroups?$expand=applications($select=id,displayName)`),
      graph.list(`${PROXY}/connectors?$expand=memberOf($select=id)`),
    ]);
    return {
      groups: groups.map((g) => ({
        id: g.id,
        name: g.name ?? '',
        region: g.region ?? null,
        isDefault: g.isDefault === true,
        applications: (g.applications ?? []).map((a) => ({ id: a.id, displayName: a.displayName ?? '' })),
      })),
      connectors: connectors.map((c) => ({
        id: c.id,
        machineName: c.machineName ?? '',
        externalIp: c.externalIp ?? '',
        status: c.status ?? '',
        version: c.version ?? '',
        groupId: c.memberOf?.[0]?.id ?? null,
      })),
    };
  }

  function render(data) {
    state = data;
    names.clear();
    for (const g of data.groups) names.set(g.id.toLowerCase(), g.name || '(no name)');
    for (const c of data.connectors) names.set(c.id.toLowerCase(), c.machineName);
    const groups = [...data.groups].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || byText(a.name, b.name) || byText(a.id, b.id));
    const known = new Set(groups.map((g) => g.id));
    const byGroup = new Map(groups.map((g) => [g.id, []]));
    const stray = [];
    for (const connector of [...data.connectors].sort((a, b) => byText(a.machineName, b.machineName) || byText(a.id, b.id))) {
      if (known.has(connector.groupId)) byGroup.get(connector.groupId).push(connector);
      else stray.push(connector);
    }
    summary.textContent = `${plural(groups.length, 'group')} · ${plural(data.connectors.length, 'connector')}`;
    const columns = groups.map((group) => column(group, byGroup.get(group.id), groups));
    if (stray.length > 0) {
      columns.push(
        h(
          'section',
          { class: 'column column-stray', 'aria-labelledby': 'group-stray-title' },
          h('header', { class: 'column-head' }, h('h3', { class: 'column-title', id: 'group-stray-title' }, 'In no listed group')),
          h('ul', { class: 'cards', 'aria-label': 'Connectors in no listed group' }, stray.map((c) => card(c, groups))),
        ),
      );
    }
    const board = h('div', { class: 'board', id: 'board' }, columns);
    const hadFocus = body.contains(document.activeElement);
    // Focus lost with a removed element (a connector deleted by someone else) lands on the
    // board's heading rather than nowhere.
    if (!replaceContent(body, board) && hadFocus) byId('groups-title').focus();
  }

  function renderError(error) {
    summary.textContent = '';
    replaceContent(body, permissionNotice(error, 'Directory.ReadWrite.All', 'list connectors and connector groups'));
  }

  function column(group, connectors, groups) {
    const title = group.name || '(no name)';
    const headingId = `group-${group.id}-title`;
    const section = h(
      'section',
      {
        class: ['column', group.isDefault && 'is-default'],
        'aria-labelledby': headingId,
        dataset: { groupId: group.id, default: String(group.isDefault) },
      },
      h(
        'header',
        { class: 'column-head' },
        h(
          'h3',
          { class: 'column-title', id: headingId },
          h('span', { class: 'group-name' }, title),
          group.isDefault && h('span', { class: 'badge badge-default' }, h('span', { 'aria-hidden': 'true' }, '★ '), 'Default group'),
        ),
        h('p', { class: 'column-meta' }, `Region: ${regionLabel(group.region)} · ${plural(connectors.length, 'connector')} · ${plural(group.applications.length, 'application')}`),
        group.applications.length > 0 &&
          h(
            'p',
            { class: 'column-apps' },
            'Applications: ',
            group.applications
              .map((a) => a.displayName || a.id)
              .sort(byText)
              .join(', '),
          ),
        h(
          'div',
          { class: 'column-actions' },
          h(
            'button',
            { type: 'button', class: 'button button-small', 'data-focus-key': `edit-${group.id}`, 'aria-label': `Edit group ${title}`, onclick: () => openEdit(group) },
            'Edit…',
          ),
          !group.isDefault &&
            h(
              'button',
              { type: 'button', class: 'button button-small button-danger-quiet', 'data-focus-key': `delete-${group.id}`, 'aria-label': `Delete group ${title}`, onclick: () => remove(group) },
              'Delete',
            ),
        ),
      ),
      connectors.length > 0
        ? h('ul', { class: 'cards', 'aria-label': `Connectors in ${title}` }, connectors.map((c) => card(c, groups)))
        : h('p', { class: 'empty' }, 'No connectors.'),
    );
    // Drop target for cards dragged from other groups.
    section.addEventListener('dragover', (event) => {
      if (!dragging && !event.dataTransfer?.types.includes(DRAG_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      section.classList.add('is-drop-target');
    });
    section.addEventListener('dragleave', (event) => {
      if (!section.contains(event.relatedTarget)) section.classList.remove('is-drop-target');
    });
    section.addEventListener('drop', (event) => {
      event.preventDefault();
      section.classList.remove('is-drop-target');
      const id = event.dataTransfer?.getData(DRAG_TYPE) || dragging;
      dragging = null;
      const connector = state.connectors.find((c) => c.id === id);
      if (connector && connector.groupId !== group.id) void move(connector, group.id);
    });
    return section;
  }

  function card(connector, groups) {
    const others = groups.filter((g) => g.id !== connector.groupId);
    const selectId = `move-${connector.id}`;
    const pending = others.some((g) => g.id === chosen.get(connector.id)) ? chosen.get(connector.id) : '';
    const select = h(
      'select',
      {
        id: selectId,
        'data-focus-key': selectId,
        value: pending,
        onchange: (event) => chosen.set(connector.id, event.target.value),
      },
      h('option', { value: '' }, 'Choose a group…'),
      others.map((g) => h('option', { value: g.id }, `${g.name || '(no name)'}${g.isDefault ? ' (default)' : ''}`)),
    );
    const li = h(
      'li',
      { class: ['card', connector.status !== 'active' && 'is-inactive'], draggable: 'true', dataset: { connectorId: connector.id } },
      h('h4', { class: 'card-title' }, connector.machineName || connector.id),
      facts([
        ['External IP', connector.externalIp],
        ['Status', statusPill(connector.status)],
        ['Version', connector.version],
      ]),
      others.length > 0 &&
        h(
          'form',
          {
            class: 'move-form',
            novalidate: true,
            onsubmit: (event) => {
              event.preventDefault();
              if (!select.value) {
                alertMessage(`Choose the group to move ${connector.machineName} to first.`, { title: 'Nothing chosen' });
                select.focus();
                return;
              }
              void move(connector, select.value);
            },
          },
          h('label', { for: selectId }, 'Move to'),
          select,
          h('button', { type: 'submit', class: 'button button-small', 'data-focus-key': `move-button-${connector.id}`, 'aria-label': `Move ${connector.machineName || 'connector'}` }, 'Move'),
        ),
    );
    li.addEventListener('dragstart', (event) => {
      dragging = connector.id;
      event.dataTransfer.setData(DRAG_TYPE, connector.id);
      event.dataTransfer.setData('text/plain', connector.machineName);
      event.dataTransfer.effectAllowed = 'move';
      li.classList.add('is-dragging');
    });
    li.addEventListener('dragend', () => {
      dragging = null;
      li.classList.remove('is-dragging');
      for (const target of body.querySelectorAll('.is-drop-target')) target.classList.remove('is-drop-target');
    });
    return li;
  }

  async function move(connector, groupId) {
    const target = state.groups.find((g) => g.id === groupId);
    clearAlert();
    try {
      await graph.post(`${PROXY}/connectors/${encodeURIComponent(connector.id)}/memberOf/$ref`, odataId(`${PROXY}/connectorGroups/${groupId}`));
      chosen.delete(connector.id);
      announce(`Moved ${connector.machineName} to ${target?.name || 'the other group'}.`);
    } catch (error) {
      alertMessage(readable(error));
    }
    await live.refresh();
  }

  // New group.
  const createForm = byId('new-group-form');
  const newName = byId('new-group-name');
  const newRegion = byId('new-group-region');
  fillRegions(newRegion, '', { notSet: 'Not set' });
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = newName.value.trim();
    if (!name) {
      newName.setAttribute('aria-invalid', 'true');
      alertMessage('Give the new group a name.', { title: 'Missing name' });
      newName.focus();
      return;
    }
    newName.removeAttribute('aria-invalid');
    clearAlert();
    const body = { name };
    if (newRegion.value) body.region = newRegion.value;
    try {
      await graph.post(`${PROXY}/connectorGroups`, body);
      announce(`Created group ${name}.`);
      newName.value = '';
      newRegion.value = '';
      await live.refresh();
    } catch (error) {
      alertMessage(readable(error));
    }
    newName.focus();
  });

  // Rename and region, in a dialog.
  const dialog = byId('group-dialog');
  const groupForm = byId('group-form');
  const nameInput = byId('group-name');
  const regionSelect = byId('group-region');
  const groupError = byId('group-error');
  byId('group-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    const group = editing;
    editing = null;
    if (group) focusKey(`edit-${group.id}`);
  });

  function openEdit(group) {
    editing = group;
    byId('group-dialog-title').textContent = `Edit group ${group.name || '(no name)'}`;
    nameInput.value = group.name;
    nameInput.removeAttribute('aria-invalid');
    fillRegions(regionSelect, group.region);
    groupError.textContent = '';
    dialog.showModal();
    nameInput.focus();
    nameInput.select();
  }

  groupForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const group = editing;
    if (!group) return;
    const name = nameInput.value.trim();
    if (!name) {
      nameInput.setAttribute('aria-invalid', 'true');
      groupError.textContent = 'A group needs a name.';
      nameInput.focus();
      return;
    }
    const changes = {};
    if (name !== group.name) changes.name = name;
    if (regionSelect.value !== (group.region ?? '')) changes.region = regionSelect.value || null;
    if (Object.keys(changes).length === 0) return dialog.close();
    groupError.textContent = '';
    try {
      await graph.patch(`${PROXY}/connectorGroups/${encodeURIComponent(group.id)}`, changes);
      announce(`Saved group ${name}${changes.region !== undefined ? ` (region: ${regionLabel(changes.region)})` : ''}.`);
      await live.refresh();
      dialog.close();
    } catch (error) {
      groupError.textContent = readable(error);
    }
  });

  async function remove(group) {
    const title = group.name || '(no name)';
    const confirmed = await confirmAction({
      title: `Delete group ${title}?`,
      text: 'Graph deletes a connector group only while no connectors and no applications are assigned to it.',
      ok: 'Delete group',
    });
    if (!confirmed) return void focusKey(`delete-${group.id}`);
    clearAlert();
    try {
      await graph.del(`${PROXY}/connectorGroups/${encodeURIComponent(group.id)}`);
      announce(`Deleted group ${title}.`);
      await live.refresh();
      byId('groups-title').focus();
    } catch (error) {
      alertMessage(readable(error));
      await live.refresh();
      focusKey(`delete-${group.id}`);
    }
  }

  return { view: { name: 'groups', load, render, renderError, busy: () => dragging !== null } };
}
