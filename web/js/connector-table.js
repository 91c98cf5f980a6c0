// A page of connectors as a table: machine name, external IP, status, version (and, across
// groups, the group), with a search box, a status filter and paging, all through Graph's
// $filter, $orderby, $count and @odata.nextLink. Rows can be dragged onto a connector group;
// each row's "Move…" button is the keyboard path to the same move.
import { breakable, h, replaceContent, statusPill } from './dom.js';
import { literal, withQuery } from './graph.js';
import { createPager, rangeText } from './pager.js';

export const CONNECTOR_PAGE = 25;
export const DRAG_TYPE = 'application/x-localgraph-connector';
const SEARCH_DELAY_MS = 300;

/**
 * createConnectorTable({ graph, host, name, basePath(), showGroup, onChange(), onMove(connector, button), empty() })
 * → { load(), render(data), reset() }
 * `basePath()` is the collection to read (null: nothing to show); `onChange` asks the owner to
 * load again (a search, a filter, a page turned); `empty()` is what to say (nodes) when the
 * collection holds no connector at all.
 */
export function createConnectorTable({
  graph,
  host,
  name,
  basePath,
  showGroup = false,
  onChange,
  onMove,
  empty,
  onDragState = () => {},
}) {
  const pager = createPager(CONNECTOR_PAGE);
  let queryKey = null;
  let timer;
  let descending = false;

  const searchId = `${name}-search`;
  const statusId = `${name}-status`;
  const search = h('input', {
    id: searchId,
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${name}-search-hint`,
  });
  const status = h(
    'select',
    { id: statusId },
    h('option', { value: '' }, 'All statuses'),
    h('option', { value: 'active' }, 'Active'),
    h('option', { value: 'inactive' }, 'Inactive'),
  );
  const results = h('div', { class: 'results' });
  host.replaceChildren(
    h(
      'div',
      { class: 'toolbar', role: 'search', 'aria-label': `Search ${name.replace(/-/g, ' ')}` },
      h(
        'div',
        { class: 'field field-grow' },
        h('label', { for: searchId }, 'Search connectors'),
        search,
        h('p', { class: 'hint', id: `${name}-search-hint` }, 'Machine name, or the start of an external IP.'),
      ),
      h('div', { class: 'field' }, h('label', { for: statusId }, 'Status'), status),
    ),
    results,
  );
  const changed = () => {
    queryKey = null;
    onChange();
  };
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(changed, SEARCH_DELAY_MS);
  });
  status.addEventListener('change', changed);

  function firstPage(base) {
    const text = search.value.trim();
    const conditions = [];
    if (status.value) conditions.push(`status eq ${literal(status.value)}`);
    if (text) conditions.push(`(contains(machineName,${literal(text)}) or startswith(externalIp,${literal(text)}))`);
    return withQuery(base, {
      $select: 'id,machineName,externalIp,status,version',
      $filter: conditions.join(' and ') || undefined,
      $orderby: `machineName${descending ? ' desc' : ''}`,
      $expand: showGroup ? 'memberOf($select=id,name,isDefault)' : undefined,
      $count: 'true',
    });
  }

  async function load() {
    const base = basePath();
    if (!base) return null;
    const first = firstPage(base);
    if (first !== queryKey) {
      queryKey = first;
      pager.start(first);
    }
    const page = await graph.page(pager.url, { size: CONNECTOR_PAGE, count: true });
    return {
      query: first,
      base,
      filtered: Boolean(search.value.trim() || status.value),
      index: pager.index,
      next: page.next,
      count: page.count,
      items: page.items.map((c) => ({
        id: c.id,
        machineName: c.machineName ?? '',
        externalIp: c.externalIp ?? '',
        status: c.status ?? '',
        version: c.version ?? '',
        group:
          showGroup && c.memberOf?.[0]
            ? { id: c.memberOf[0].id, name: c.memberOf[0].name ?? '', isDefault: c.memberOf[0].isDefault === true }
            : null,
      })),
    };
  }

  function render(data) {
    if (!data) return void replaceContent(results);
    if (data.items.length === 0 && data.index === 0) {
      return void replaceContent(
        results,
        data.filtered
          ? h(
              'div',
              { class: 'empty-state' },
              h('p', null, 'No connector matches this search and status.'),
              h(
                'button',
                {
                  type: 'button',
                  class: 'button button-small',
                  'data-focus-key': `${name}-clear`,
                  onclick: clearFilters,
                },
                'Clear search and filter',
              ),
            )
          : h('div', { class: 'empty-state' }, empty()),
      );
    }
    replaceContent(
      results,
      h(
        'p',
        { class: 'range', id: `${name}-range` },
        rangeText(data.index, CONNECTOR_PAGE, data.items.length, data.count, 'connector'),
      ),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'grid connectors-table', 'aria-describedby': `${name}-range` },
          h('caption', { class: 'visually-hidden' }, 'Connectors'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h(
                'th',
                { scope: 'col', 'aria-sort': descending ? 'descending' : 'ascending' },
                h(
                  'button',
                  { type: 'button', class: 'sort-button', 'data-focus-key': `${name}-sort`, onclick: toggleSort },
                  'Machine name',
                  h('span', { 'aria-hidden': 'true' }, descending ? ' ▼' : ' ▲'),
                ),
              ),
              h('th', { scope: 'col' }, 'External IP'),
              h('th', { scope: 'col' }, 'Status'),
              h('th', { scope: 'col' }, 'Version'),
              showGroup && h('th', { scope: 'col' }, 'Group'),
              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
            ),
          ),
          h('tbody', null, data.items.map(row)),
        ),
      ),
      pagerNav(data),
    );
  }

  function pagerNav(data) {
    if (data.index === 0 && !data.next) return null;
    return h(
      'nav',
      { class: 'pager', 'aria-label': `Pages of ${name.replace(/-/g, ' ')}` },
      h(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          disabled: data.index === 0,
          'data-focus-key': `${name}-previous`,
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
          'data-focus-key': `${name}-next`,
          onclick: () => turn(data, () => pager.forward(data.next)),
        },
        'Next page',
      ),
    );
  }

  /** Turns the page, unless the table on screen is from an older query (its links lead elsewhere). */
  function turn(data, step) {
    if (data.query !== queryKey) return;
    step();
    onChange();
  }

  function toggleSort() {
    descending = !descending;
    changed();
  }

  function clearFilters() {
    search.value = '';
    status.value = '';
    changed();
    search.focus();
  }

  function row(connector) {
    const label = connector.machineName || connector.id;
    const tr = h(
      'tr',
      {
        draggable: 'true',
        class: connector.status !== 'active' && 'is-inactive',
        dataset: { connectorId: connector.id },
      },
      h('th', { scope: 'row', 'data-label': 'Machine name' }, h('span', { class: 'machine-name' }, breakable(label))),
      h('td', { 'data-label': 'External IP', class: 'ip' }, connector.externalIp || '—'),
      h('td', { 'data-label': 'Status' }, statusPill(connector.status)),
      h('td', { 'data-label': 'Version', class: 'ip' }, connector.version || '—'),
      showGroup &&
        h(
          'td',
          { 'data-label': 'Group' },
          connector.group
            ? [
                connector.group.name || '(no name)',
                connector.group.isDefault
                  ? h(
                      'span',
                      { class: 'badge badge-default badge-inline', title: 'The default group' },
                      h('span', { 'aria-hidden': 'true' }, '★'),
                      h('span', { class: 'visually-hidden' }, ' (default group)'),
                    )
                  : null,
              ]
            : '—',
        ),
      h(
        'td',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button button-small',
            'data-focus-key': `move-${connector.id}`,
            'aria-label': `Move ${label} to another group`,
            onclick: (event) => onMove(connector, event.currentTarget),
          },
          'Move…',
        ),
      ),
    );
    tr.addEventListener('dragstart', (event) => {
      event.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ id: connector.id, machineName: connector.machineName }));
      event.dataTransfer.setData('text/plain', connector.machineName);
      event.dataTransfer.effectAllowed = 'move';
      tr.classList.add('is-dragging');
      onDragState(connector);
    });
    tr.addEventListener('dragend', () => {
      tr.classList.remove('is-dragging');
      onDragState(null);
    });
    return tr;
  }

  return {
    load,
    render,
    /** Back to the first page, without search or filter (another group was chosen). */
    reset() {
      clearTimeout(timer);
      search.value = '';
      status.value = '';
      queryKey = null;
    },
    focusSearch: () => search.focus(),
  };
}
