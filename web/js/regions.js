// Connector group regions (connectorGroupRegion, unknownFutureValue aside), with the names
// people use.
import { h } from './dom.js';

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
  const options = [
    h('option', { value: '' }, notSet),
    ...REGIONS.map(([value, label]) => h('option', { value }, `${label} (${value})`)),
  ];
  if (current && !REGIONS.some(([value]) => value === current)) options.push(h('option', { value: current }, current));
  select.replaceChildren(...options);
  select.value = current ?? '';
}
