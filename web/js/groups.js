// The connector groups tab, made for tenants with hundreds of groups: a searchable, sortable,
// paged table of groups (name, region, connectors, applications, the default group marked)
// beside a detail pane for the chosen group, with its applications and a paged table of its
// connectors. Everything is read a page at a time through Graph ($filter, $orderby, $count,
// @odata.nextLink; the counts in $batch requests); nothing loads the whole tenant.
// Connectors move by dragging their row onto a group of the list, or with "Move…" (keyboard).
import { createConnectorTable, DRAG_TYPE } from './connector-table.js';
import { byId, facts, focusKey, h, replaceContent } from './dom.js';
import { createFeedback, perform } from './feedback.js';
import { humanize, literal, odataId, PROXY, withQuery } from './graph.js';
import { permissionNotice } from './notices.js';
import { createPager, rangeText } from './pager.js';
import { fillRegions, regionLabel } from './regions.js';

export const GROUP_PAGE = 25;
const SEARCH_DELAY_MS = 300;
const APPS_SHOWN = 10;
const plural = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function createGroups({ graph, live, picker, confirm }) {
  const feedback = createFeedback(byId('groups-feedback'), { onDismiss: () => byId('groups-title').focus() });
  const summary = byId('groups-summary');
  const list = byId('groups-list');
  const detailHead = byId('group-detail-head');
  const detail = byId('group-detail');
  const search = byId('groups-search');
  const pager = createPager(GROUP_PAGE);
  /** Ids and names seen, so that Graph's messages can name groups instead of quoting ids. */
  const names = new Map();
  let sort = { key: 'name', descending: false };
  let queryKey = null;
  let selectedId = null;
  let selected = null;
  let dragging = null;
  let dragStarted = 0;
  let editing = null;
  let timer;

  const connectors = createConnectorTable({
    graph,
    host: byId('group-connectors'),
    name: 'group-connectors',
    basePath: () => (selectedId ? `${PROXY}/connectorGroups/${encodeURIComponent(selectedId)}/members` : null),
    onChange: () => void live.refresh(),
    onMove: (connector, button) => moveWithPicker(connector, button),
    onDragState: (connector) => {
      dragging = connector;
      dragStarted = Date.now();
    },
    empty: () => [
      h('p', null, h('strong', null, 'No connectors in this group yet.')),
      h(
        'p',
        null,
        'Drag a connector here from another group (or use its ',
        h('em', null, 'Move…'),
        ' button), or register a new one: ',
        h('code', null, `POST /beta${PROXY}/connectors`),
        ' puts it in the default group, and ',
        h('code', null, 'localgraph simulate connectors --count 3'),
        ' runs a few that keep sending heartbeats.',
      ),
    ],
  });

  const sortSelect = byId('groups-sort');
  sortSelect.addEventListener('change', () => {
    const [key, direction] = sortSelect.value.split(' ');
    sort = { key, descending: direction === 'desc' };
    void live.refresh();
  });

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void live.refresh(), SEARCH_DELAY_MS);
  });

  // However a drag ends (dropped anywhere, cancelled with Escape), redrawing may resume.
  for (const type of ['dragend', 'drop']) document.addEventListener(type, () => (dragging = null));
  /** A drag under way holds redrawing back, so rows do not move under the pointer (a minute at most). */
  const busy = () => dragging !== null && Date.now() - dragStarted < 60_000;

  function firstPage() {
    const text = search.value.trim();
    const order =
      sort.key === 'name' ? `name${sort.descending ? ' desc' : ''}` : `region${sort.descending ? ' desc' : ''},name`;
    return withQuery(`${PROXY}/connectorGroups`, {
      $select: 'id,name,region,isDefault',
      $filter: text ? `contains(name,${literal(text)})` : undefined,
      $orderby: order,
      $count: 'true',
    });
  }

  async function loadList() {
    const first = firstPage();
    if (first !== queryKey) {
      queryKey = first;
      pager.start(first);
    }
    const page = await graph.page(pager.url, { size: GROUP_PAGE, count: true });
    const groups = page.items.map((g) => ({
      id: g.id,
      name: g.name ?? '',
      region: g.region ?? null,
      isDefault: g.isDefault === true,
    }));
    const paths = groups.flatMap((g) => [
      `${PROXY}/connectorGroups/${g.id}/members`,
      `${PROXY}/connectorGroups/${g.id}/applications`,
    ]);
    const counts = paths.length ? await graph.counts(paths) : new Map();
    for (const g of groups) {
      g.connectors = counts.get(`${PROXY}/connectorGroups/${g.id}/members`) ?? null;
      g.applications = counts.get(`${PROXY}/connectorGroups/${g.id}/applications`) ?? null;
    }
    return {
      query: first,
      groups,
      index: pager.index,
      next: page.next,
      count: page.count,
      search: search.value.trim(),
    };
  }

  async function loadDetail() {
    if (!selectedId) return null;
    const base = `${PROXY}/connectorGroups/${encodeURIComponent(selectedId)}`;
    try {
      const [group, apps, counts] = await Promise.all([
        graph.get(withQuery(base, { $select: 'id,name,region,isDefault,connectorGroupType' })),
        graph.page(withQuery(`${base}/applications`, { $select: 'id,displayName', $count: 'true' }), {
          size: APPS_SHOWN,
          count: true,
        }),
        graph.counts([`${base}/members`]),
      ]);
      return {
        id: group.id,
        name: group.name ?? '',
        region: group.region ?? null,
        isDefault: group.isDefault === true,
        type: group.connectorGroupType ?? '',
        apps: apps.items.map((a) => ({ id: a.id, displayName: a.displayName ?? '' })),
        appCount: apps.count ?? apps.items.length,
        connectorCount: counts.get(`${base}/members`) ?? null,
      };
    } catch (error) {
      // Deleted by someone else: the pane says so instead of failing the whole tab.
      if (error.status === 404) return { gone: true, id: selectedId };
      throw error;
    }
  }

  async function load() {
    const [listData, detailData, connectorData] = await Promise.all([loadList(), loadDetail(), connectors.load()]);
    return { list: listData, detail: detailData, connectors: connectorData };
  }

  function render(data) {
    selected = data.detail && !data.detail.gone ? data.detail : null;
    for (const g of data.list.groups) names.set(g.id.toLowerCase(), g.name || '(no name)');
    if (selected) names.set(selected.id.toLowerCase(), selected.name || '(no name)');
    const { count, search: text } = data.list;
    summary.textContent =
      count === null ? '' : text ? `${plural(count, 'group')} whose name contains "${text}"` : plural(count, 'group');
    renderList(data.list);
    renderDetail(data.detail, data.connectors);
    if (!selectedId && data.list.groups.length > 0) {
      // The first view shows a group's details rather than an empty pane.
      selectedId = data.list.groups[0].id;
      void live.refresh();
    }
  }

  function renderError(error) {
    summary.textContent = '';
    replaceContent(list, permissionNotice(error, 'Directory.ReadWrite.All', 'list connectors and connector groups'));
    replaceContent(detailHead);
    connectors.render(null);
  }

  // ---- the list --------------------------------------------------------------------------

  function renderList(data) {
    if (data.groups.length === 0 && data.index === 0) {
      return void replaceContent(
        list,
        h(
          'div',
          { class: 'empty-state' },
          data.search
            ? [
                h('p', null, `No group's name contains "${data.search}".`),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'button button-small',
                    'data-focus-key': 'groups-clear',
                    onclick: clearSearch,
                  },
                  'Clear the search',
                ),
              ]
            : h(
                'p',
                null,
                'No connector groups. Create one with the form above, or with ',
                h('code', null, `POST /beta${PROXY}/connectorGroups`),
                '.',
              ),
        ),
      );
    }
    const header = (key, label) => {
      const active = sort.key === key;
      return h(
        'th',
        { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : null },
        h(
          'button',
          { type: 'button', class: 'sort-button', 'data-focus-key': `groups-sort-${key}`, onclick: () => sortBy(key) },
          label,
          h('span', { 'aria-hidden': 'true' }, active ? (sort.descending ? ' ▼' : ' ▲') : ' ↕'),
        ),
      );
    };
    replaceContent(
      list,
      h(
        'p',
        { class: 'range', id: 'groups-range' },
        rangeText(data.index, GROUP_PAGE, data.groups.length, data.count, 'group'),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'grid groups-table', id: 'groups-table', 'aria-describedby': 'groups-range' },
          h('caption', { class: 'visually-hidden' }, 'Connector groups (choose one to see its details)'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              header('name', 'Name'),
              header('region', 'Region'),
              h('th', { scope: 'col', class: 'num' }, 'Connectors'),
              h('th', { scope: 'col', class: 'num' }, 'Applications'),
            ),
          ),
          h('tbody', null, data.groups.map(groupRow)),
        ),
      ),
      (data.index > 0 || data.next) &&
        h(
          'nav',
          { class: 'pager', 'aria-label': 'Pages of connector groups' },
          h(
            'button',
            {
              type: 'button',
              class: 'button button-small',
              disabled: data.index === 0,
              'data-focus-key': 'groups-previous',
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
              'data-focus-key': 'groups-next',
              onclick: () => turn(data, () => pager.forward(data.next)),
            },
            'Next page',
          ),
        ),
    );
  }

  function groupRow(group) {
    const title = group.name || '(no name)';
    const isSelected = group.id === selectedId;
    const count = (n) => (n === null ? '—' : n.toLocaleString('en-US'));
    const tr = h(
      'tr',
      { class: isSelected && 'is-selected', dataset: { groupId: group.id, default: String(group.isDefault) } },
      h(
        'th',
        { scope: 'row', 'data-label': 'Name' },
        h(
          'button',
          {
            type: 'button',
            class: 'link-button group-name',
            'aria-current': isSelected ? 'true' : null,
            'data-focus-key': `select-${group.id}`,
            onclick: () => choose(group.id),
          },
          title,
        ),
        group.isDefault &&
          h('span', { class: 'badge badge-default' }, h('span', { 'aria-hidden': 'true' }, '★ '), 'Default'),
      ),
      h('td', { 'data-label': 'Region' }, regionLabel(group.region)),
      h('td', { class: 'num', 'data-label': 'Connectors' }, count(group.connectors)),
      h('td', { class: 'num', 'data-label': 'Applications' }, count(group.applications)),
    );
    // A drop target for connector rows dragged from the detail pane.
    tr.addEventListener('dragover', (event) => {
      if (!event.dataTransfer?.types.includes(DRAG_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      tr.classList.add('is-drop-target');
    });
    tr.addEventListener('dragleave', (event) => {
      if (!tr.contains(event.relatedTarget)) tr.classList.remove('is-drop-target');
    });
    tr.addEventListener('drop', (event) => {
      event.preventDefault();
      tr.classList.remove('is-drop-target');
      let connector = dragging;
      try {
        connector = JSON.parse(event.dataTransfer.getData(DRAG_TYPE));
      } catch {
        // from the pointer's own drag
      }
      dragging = null;
      if (connector && group.id !== selectedId) void move(connector, { id: group.id, name: title });
    });
    return tr;
  }

  function sortBy(key) {
    sort = { key, descending: sort.key === key ? !sort.descending : false };
    sortSelect.value = `${key}${sort.descending ? ' desc' : ''}`;
    void live.refresh();
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

  function choose(id) {
    if (id !== selectedId) connectors.reset();
    selectedId = id;
    void live.refresh().then(() => byId('group-detail-title')?.focus());
  }

  // ---- the detail pane ---------------------------------------------------------------------

  function renderDetail(group, connectorData) {
    detail.hidden = false;
    if (!group) {
      replaceContent(
        detailHead,
        h('h3', { id: 'group-detail-title', tabindex: '-1' }, 'No group chosen'),
        h('p', { class: 'empty' }, 'Choose a group in the list to see its connectors and applications.'),
      );
      connectors.render(null);
      return;
    }
    if (group.gone) {
      selectedId = null;
      replaceContent(
        detailHead,
        h('h3', { id: 'group-detail-title', tabindex: '-1' }, 'Group deleted'),
        h(
          'p',
          { class: 'empty' },
          'This group no longer exists (it was deleted, perhaps in another console). Choose another one.',
        ),
      );
      connectors.render(null);
      return;
    }
    const title = group.name || '(no name)';
    const more = group.appCount - group.apps.length;
    replaceContent(
      detailHead,
      h(
        'div',
        { class: 'detail-title' },
        h('h3', { id: 'group-detail-title', tabindex: '-1' }, h('span', { class: 'group-name' }, title)),
        group.isDefault &&
          h('span', { class: 'badge badge-default' }, h('span', { 'aria-hidden': 'true' }, '★ '), 'Default group'),
      ),
      facts([
        ['Region', regionLabel(group.region)],
        ['Connectors', group.connectorCount === null ? '—' : group.connectorCount.toLocaleString('en-US')],
        [
          'Applications',
          group.appCount === 0
            ? group.isDefault
              ? 'None assigned (applications without an assignment use this group)'
              : 'None assigned (assign one in the Applications tab)'
            : [group.apps.map((a) => a.displayName || a.id).join(', '), more > 0 ? ` and ${more} more` : ''],
        ],
        ['Group id', h('code', null, group.id)],
      ]),
      h(
        'div',
        { class: 'detail-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button button-small',
            'data-focus-key': `edit-${group.id}`,
            'aria-label': `Edit group ${title}`,
            onclick: () => openEdit(group),
          },
          'Edit…',
        ),
        !group.isDefault &&
          h(
            'button',
            {
              type: 'button',
              class: 'button button-small button-danger-quiet',
              'data-focus-key': `delete-${group.id}`,
              'aria-label': `Delete group ${title}`,
              onclick: (event) => remove(group, event.currentTarget),
            },
            'Delete…',
          ),
      ),
      h('h4', { class: 'detail-sub' }, 'Connectors'),
    );
    const hadFocus = byId('group-connectors').contains(document.activeElement);
    connectors.render(connectorData);
    // A connector moved away takes its focused button with it: the keyboard lands on the table's search.
    if (hadFocus && document.activeElement === document.body) connectors.focusSearch();
  }

  // ---- writes ------------------------------------------------------------------------------

  const describe = (error) => humanize(error.message, names);

  async function moveWithPicker(connector, button) {
    const target = await picker.pick({
      title: `Move ${connector.machineName || 'connector'}`,
      text: 'Choose the connector group it should belong to. Type to search the groups by name.',
      ok: 'Move here',
      exclude: selectedId,
    });
    if (!target) return void button.focus();
    await move(connector, target);
  }

  async function move(connector, target) {
    names.set(target.id.toLowerCase(), target.name);
    await perform(
      feedback,
      {
        progress: `Moving ${connector.machineName} to ${target.name}…`,
        success: `Moved ${connector.machineName} to ${target.name}.`,
        describe,
      },
      () =>
        graph.post(
          `${PROXY}/connectors/${encodeURIComponent(connector.id)}/memberOf/$ref`,
          odataId(`${PROXY}/connectorGroups/${target.id}`),
        ),
    );
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
      feedback.error('Give the new group a name.', { title: 'Missing name' });
      newName.focus();
      return;
    }
    newName.removeAttribute('aria-invalid');
    const body = { name };
    if (newRegion.value) body.region = newRegion.value;
    let created = null;
    const ok = await perform(
      feedback,
      { progress: `Creating group ${name}…`, success: `Created group ${name}.`, button: event.submitter, describe },
      async () => (created = await graph.post(`${PROXY}/connectorGroups`, body)),
    );
    if (ok) {
      newName.value = '';
      newRegion.value = '';
      if (created?.id) selectedId = created.id;
    }
    await live.refresh();
    newName.focus();
  });

  // Rename and region, in a dialog.
  const dialog = byId('group-dialog');
  const groupForm = byId('group-form');
  const nameInput = byId('group-name');
  const regionSelect = byId('group-region');
  const groupError = byId('group-error');
  const saveButton = byId('group-save');
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
    saveButton.disabled = true;
    saveButton.textContent = 'Saving…';
    try {
      await graph.patch(`${PROXY}/connectorGroups/${encodeURIComponent(group.id)}`, changes);
      feedback.success(
        `Saved group ${name}${changes.region !== undefined ? ` (region: ${regionLabel(changes.region)})` : ''}.`,
      );
      await live.refresh();
      dialog.close();
    } catch (error) {
      groupError.textContent = describe(error);
    } finally {
      saveButton.disabled = false;
      saveButton.textContent = 'Save';
    }
  });

  async function remove(group, button) {
    const title = group.name || '(no name)';
    const confirmed = await confirm({
      title: `Delete group ${title}?`,
      text: 'This cannot be undone. Graph deletes a connector group only while no connectors and no applications are assigned to it.',
      ok: 'Delete group',
    });
    if (!confirmed) return void button.focus();
    const ok = await perform(
      feedback,
      { progress: `Deleting group ${title}…`, success: `Deleted group ${title}.`, button, describe },
      () => graph.del(`${PROXY}/connectorGroups/${encodeURIComponent(group.id)}`),
    );
    if (ok && selectedId === group.id) selectedId = null;
    await live.refresh();
    if (ok) byId('groups-title').focus();
    else focusKey(`delete-${group.id}`);
  }

  return {
    view: { name: 'groups', load, render, renderError, busy, leave: () => feedback.clear() },
  };
}
