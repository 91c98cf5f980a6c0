// The connectors tab: every connector of the tenant in one paged table, whatever its group, with
// search, a status filter and the group each belongs to; "Move…" moves one to another group.
import { createConnectorTable } from './connector-table.js';
import { byId, focusKey, h, replaceContent } from './dom.js';
import { createFeedback, perform } from './feedback.js';
import { odataId, PROXY } from './graph.js';
import { permissionNotice } from './notices.js';

export function createConnectors({ graph, live, picker }) {
  const feedback = createFeedback(byId('connectors-feedback'), { onDismiss: () => byId('connectors-title').focus() });
  const summary = byId('connectors-summary');
  const host = byId('connectors-body');
  const table = createConnectorTable({
    graph,
    host,
    name: 'all-connectors',
    basePath: () => `${PROXY}/connectors`,
    showGroup: true,
    onChange: () => void live.refresh(),
    onMove: (connector, button) => moveWithPicker(connector, button),
    empty: () => [
      h('p', null, h('strong', null, 'No connectors yet.')),
      h(
        'p',
        null,
        'Register one with ',
        h('code', null, `POST /beta${PROXY}/connectors`),
        ' (machineName, externalIp, status), or start a few simulated ones that keep sending heartbeats: ',
        h('code', null, 'localgraph simulate connectors --count 3'),
        '.',
      ),
    ],
  });

  async function load() {
    return table.load();
  }

  function render(data) {
    summary.textContent =
      data && data.count !== null && !data.filtered
        ? `${data.count.toLocaleString('en-US')} connector${data.count === 1 ? '' : 's'} in all groups`
        : '';
    table.render(data);
  }

  function renderError(error) {
    summary.textContent = '';
    const results = host.querySelector('.results');
    replaceContent(results, permissionNotice(error, 'Directory.ReadWrite.All', 'list connectors'));
  }

  async function moveWithPicker(connector, button) {
    const target = await picker.pick({
      title: `Move ${connector.machineName || 'connector'}`,
      text: `It is in ${connector.group?.name || 'no group'} now. Choose the connector group it should belong to; type to search the groups by name.`,
      ok: 'Move here',
      exclude: connector.group?.id ?? null,
    });
    if (!target) return void button.focus();
    await perform(
      feedback,
      {
        progress: `Moving ${connector.machineName} to ${target.name}…`,
        success: `Moved ${connector.machineName} to ${target.name}.`,
      },
      () =>
        graph.post(
          `${PROXY}/connectors/${encodeURIComponent(connector.id)}/memberOf/$ref`,
          odataId(`${PROXY}/connectorGroups/${target.id}`),
        ),
    );
    await live.refresh();
    // The row was drawn again: the keyboard goes back to its new "Move…" button.
    if (!focusKey(`move-${connector.id}`)) byId('connectors-title').focus();
  }

  return { view: { name: 'connectors', load, render, renderError, leave: () => feedback.clear() } };
}
