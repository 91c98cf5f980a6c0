// Private Access sensors (the privateAccess profile).
import { byId, byText, facts, h, replaceContent, statusPill } from './dom.js';
import { permissionNotice } from './notices.js';

const yesNo = (value) => (value === true ? 'on' : value === false ? 'off' : 'not set');

export function createSensors({ graph }) {
  const body = byId('sensors-body');
  const summary = byId('sensors-summary');

  async function load() {
    const sensors = await graph.list('/onPremisesPublishingProfiles/privateAccess/sensors');
    return sensors.map((s) => ({
      id: s.id,
      machineName: s.machineName ?? '',
      externalIp: s.externalIp ?? '',
      status: s.status ?? '',
      version: s.version ?? '',
      isAuditMode: s.isAuditMode ?? null,
      isBreakglassEnabled: s.isBreakglassEnabled ?? null,
    }));
  }

  function render(sensors) {
    summary.textContent = `${sensors.length} sensor${sensors.length === 1 ? '' : 's'}`;
    if (sensors.length === 0) {
      return void replaceContent(
        body,
        h(
          'div',
          { class: 'empty-state' },
          h('p', null, h('strong', null, 'No Private Access sensors yet.')),
          h(
            'p',
            null,
            'Register one with ',
            h('code', null, 'POST /beta/onPremisesPublishingProfiles/privateAccess/sensors'),
            ' (machineName, externalIp, status); it appears here within seconds.',
          ),
        ),
      );
    }
    const sorted = [...sensors].sort((a, b) => byText(a.machineName, b.machineName));
    replaceContent(
      body,
      h(
        'ul',
        { class: 'tiles', 'aria-label': 'Sensors' },
        sorted.map((sensor) =>
          h(
            'li',
            { class: ['tile', sensor.status !== 'active' && 'is-inactive'], dataset: { sensorId: sensor.id } },
            h('h3', { class: 'tile-title' }, sensor.machineName || sensor.id),
            facts([
              ['External IP', sensor.externalIp],
              ['Status', statusPill(sensor.status)],
              ['Version', sensor.version],
              ['Audit mode', yesNo(sensor.isAuditMode)],
              ['Break-glass', yesNo(sensor.isBreakglassEnabled)],
            ]),
          ),
        ),
      ),
    );
  }

  function renderError(error) {
    summary.textContent = '';
    replaceContent(
      body,
      permissionNotice(error, 'OnPremisesPublishingProfiles.ReadWrite.All', 'list Private Access sensors'),
    );
  }

  return { view: { name: 'sensors', load, render, renderError, leave: () => {} } };
}
