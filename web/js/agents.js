// Hybrid agents and agent groups of every publishing profile that has them (provisioning,
// pass-through authentication, ...), read in one $batch: each profile's groups as columns with
// their agents, and the agents in no group.
import { byId, byText, facts, h, replaceContent, statusPill } from './dom.js';
import { permissionNotice } from './notices.js';

/** The profiles that serve agents (applicationProxy and privateAccess do not). */
export const AGENT_PROFILES = [
  ['provisioning', 'Provisioning'],
  ['authentication', 'Pass-through authentication'],
  ['exchangeOnline', 'Exchange Online'],
  ['intunePfx', 'Intune PFX'],
  ['oflineDomainJoin', 'Offline domain join'],
];

export function createAgents({ graph }) {
  const body = byId('agents-body');
  const summary = byId('agents-summary');

  async function load() {
    const requests = AGENT_PROFILES.flatMap(([profile]) => [
      {
        id: `${profile}-groups`,
        url: `/onPremisesPublishingProfiles/${profile}/agentGroups?$select=id,displayName,isDefault`,
      },
      {
        id: `${profile}-agents`,
        url: `/onPremisesPublishingProfiles/${profile}/agents?$expand=agentGroups($select=id)`,
      },
    ]);
    const results = await graph.batch(requests);
    const failure = Object.values(results).find((r) => r instanceof Error);
    if (failure) throw failure;
    return AGENT_PROFILES.map(([profile, label]) => ({
      profile,
      label,
      groups: results[`${profile}-groups`].map((g) => ({
        id: g.id,
        displayName: g.displayName ?? '',
        isDefault: g.isDefault === true,
      })),
      agents: results[`${profile}-agents`].map((a) => ({
        id: a.id,
        machineName: a.machineName ?? '',
        externalIp: a.externalIp ?? '',
        status: a.status ?? '',
        supportedPublishingTypes: a.supportedPublishingTypes ?? [],
        groupIds: (a.agentGroups ?? []).map((g) => g.id),
      })),
    }));
  }

  function render(profiles) {
    const used = profiles.filter((p) => p.groups.length > 0 || p.agents.length > 0);
    const empty = profiles.filter((p) => p.groups.length === 0 && p.agents.length === 0);
    const agentCount = profiles.reduce((n, p) => n + p.agents.length, 0);
    const groupCount = profiles.reduce((n, p) => n + p.groups.length, 0);
    summary.textContent = `${agentCount} agent${agentCount === 1 ? '' : 's'} · ${groupCount} agent group${groupCount === 1 ? '' : 's'}`;
    replaceContent(
      body,
      used.map(profileSection),
      used.length === 0 &&
        h(
          'div',
          { class: 'empty-state' },
          h('p', null, h('strong', null, 'No agents and no agent groups in any profile yet.')),
          h(
            'p',
            null,
            'Register an agent with ',
            h('code', null, 'POST /beta/onPremisesPublishingProfiles/provisioning/agents'),
            ' (or another profile: authentication, exchangeOnline, …) and group agents with ',
            h('code', null, 'POST …/agentGroups'),
            '; they appear here within seconds.',
          ),
        ),
      empty.length > 0 &&
        used.length > 0 &&
        h('p', { class: 'hint' }, `Nothing in: ${empty.map((p) => p.label).join(', ')}.`),
    );
  }

  function profileSection(profile) {
    const groups = [...profile.groups].sort(
      (a, b) => Number(b.isDefault) - Number(a.isDefault) || byText(a.displayName, b.displayName),
    );
    const agents = [...profile.agents].sort((a, b) => byText(a.machineName, b.machineName));
    const known = new Set(groups.map((g) => g.id));
    const loose = agents.filter((a) => !a.groupIds.some((id) => known.has(id)));
    const headingId = `profile-${profile.profile}`;
    return h(
      'section',
      { class: 'profile', 'aria-labelledby': headingId, dataset: { profile: profile.profile } },
      h('h3', { id: headingId }, profile.label, ' ', h('span', { class: 'profile-key' }, `(${profile.profile})`)),
      h(
        'div',
        { class: 'board' },
        groups.map((group) => {
          const members = agents.filter((a) => a.groupIds.includes(group.id));
          const titleId = `agent-group-${group.id}`;
          return h(
            'section',
            {
              class: ['column', group.isDefault && 'is-default'],
              'aria-labelledby': titleId,
              dataset: { agentGroupId: group.id },
            },
            h(
              'header',
              { class: 'column-head' },
              h(
                'h4',
                { class: 'column-title', id: titleId },
                h('span', { class: 'group-name' }, group.displayName || '(no name)'),
                group.isDefault && h('span', { class: 'badge badge-default' }, 'Default group'),
              ),
              h('p', { class: 'column-meta' }, `${members.length} agent${members.length === 1 ? '' : 's'}`),
            ),
            members.length > 0
              ? h('ul', { class: 'cards', 'aria-label': `Agents in ${group.displayName}` }, members.map(agentCard))
              : h('p', { class: 'empty' }, 'No agents.'),
          );
        }),
        loose.length > 0 &&
          h(
            'section',
            { class: 'column column-stray', 'aria-labelledby': `${headingId}-loose` },
            h(
              'header',
              { class: 'column-head' },
              h('h4', { class: 'column-title', id: `${headingId}-loose` }, 'In no group'),
            ),
            h('ul', { class: 'cards', 'aria-label': 'Agents in no group' }, loose.map(agentCard)),
          ),
      ),
    );
  }

  function agentCard(agent) {
    return h(
      'li',
      { class: ['card', agent.status !== 'active' && 'is-inactive'], dataset: { agentId: agent.id } },
      h('h5', { class: 'card-title' }, agent.machineName || agent.id),
      facts([
        ['External IP', agent.externalIp],
        ['Status', statusPill(agent.status)],
        ['Publishing types', agent.supportedPublishingTypes.join(', ') || '—'],
      ]),
    );
  }

  function renderError(error) {
    summary.textContent = '';
    replaceContent(body, permissionNotice(error, 'Policy.Read.HybridAuthentication', 'list agents and agent groups'));
  }

  return { view: { name: 'agents', load, render, renderError, leave: () => {} } };
}
