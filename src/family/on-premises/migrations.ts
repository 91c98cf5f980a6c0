import type { Migration } from '../../store/migrations.js';

/**
 * The on-premises publishing family's tables, by schema version (localgraph's own tables of the
 * same versions are in src/store/migrations.ts; both run in one transaction).
 */
export const onPremisesMigrations: Migration[] = [
  {
    version: 1,
    description: 'the on-premises publishing family',
    statements: (d) => {
      const bool = d.booleanType;
      const json = d.jsonType;
      const text = d.textType;
      return [
        `CREATE TABLE profiles (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          hybrid_agent_updater_configuration ${json}, is_default_access_enabled ${bool}, is_enabled ${bool},
          PRIMARY KEY (tenant_id, id))`,
        `CREATE TABLE connector_groups (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          connector_group_type ${text} NOT NULL, is_default ${bool} NOT NULL, name ${text} NOT NULL, region ${text},
          PRIMARY KEY (tenant_id, id))`,
        // The database, not the code, keeps one default group per tenant.
        `CREATE UNIQUE INDEX connector_groups_one_default ON connector_groups (tenant_id) WHERE is_default = TRUE`,
        // A connector is in exactly one group: a required reference, which also keeps a group with
        // connectors from being deleted.
        `CREATE TABLE connectors (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          external_ip ${text} NOT NULL, machine_name ${text} NOT NULL, status ${text} NOT NULL, version ${text} NOT NULL,
          connector_group_id ${text} NOT NULL,
          PRIMARY KEY (tenant_id, id),
          FOREIGN KEY (tenant_id, connector_group_id) REFERENCES connector_groups (tenant_id, id))`,
        `CREATE INDEX connectors_by_group ON connectors (tenant_id, connector_group_id, id)`,
        `CREATE TABLE applications (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          deleted_date_time ${text}, app_id ${text} NOT NULL, created_date_time ${text}, description ${text}, display_name ${text},
          identifier_uris ${json}, on_premises_publishing ${json}, sign_in_audience ${text}, tags ${json}, web ${json},
          open_properties ${json},
          connector_group_id ${text},
          PRIMARY KEY (tenant_id, id),
          FOREIGN KEY (tenant_id, connector_group_id) REFERENCES connector_groups (tenant_id, id))`,
        `CREATE UNIQUE INDEX applications_by_app_id ON applications (tenant_id, app_id)`,
        `CREATE INDEX applications_by_group ON applications (tenant_id, connector_group_id, id)`,
        `CREATE TABLE ip_application_segments (
          tenant_id ${text} NOT NULL, application_id ${text} NOT NULL, id ${text} NOT NULL,
          action ${text} NOT NULL, destination_host ${text}, destination_type ${text}, port INTEGER, ports ${json}, protocol ${text},
          PRIMARY KEY (tenant_id, application_id, id),
          FOREIGN KEY (tenant_id, application_id) REFERENCES applications (tenant_id, id) ON DELETE CASCADE)`,
        `CREATE TABLE agents (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, id ${text} NOT NULL,
          external_ip ${text} NOT NULL, machine_name ${text} NOT NULL, status ${text} NOT NULL, supported_publishing_types ${json} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE agent_groups (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, id ${text} NOT NULL,
          display_name ${text} NOT NULL, is_default ${bool} NOT NULL, publishing_type ${text} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE published_resources (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, id ${text} NOT NULL,
          display_name ${text}, publishing_type ${text} NOT NULL, resource_name ${text},
          PRIMARY KEY (tenant_id, profile_id, id))`,
        `CREATE TABLE agent_group_agents (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, agent_group_id ${text} NOT NULL, agent_id ${text} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, agent_group_id, agent_id),
          FOREIGN KEY (tenant_id, profile_id, agent_group_id) REFERENCES agent_groups (tenant_id, profile_id, id) ON DELETE CASCADE,
          FOREIGN KEY (tenant_id, profile_id, agent_id) REFERENCES agents (tenant_id, profile_id, id) ON DELETE CASCADE)`,
        `CREATE INDEX agent_group_agents_by_agent ON agent_group_agents (tenant_id, profile_id, agent_id)`,
        `CREATE TABLE agent_group_published_resources (
          tenant_id ${text} NOT NULL, profile_id ${text} NOT NULL, agent_group_id ${text} NOT NULL, published_resource_id ${text} NOT NULL,
          PRIMARY KEY (tenant_id, profile_id, agent_group_id, published_resource_id),
          FOREIGN KEY (tenant_id, profile_id, agent_group_id) REFERENCES agent_groups (tenant_id, profile_id, id) ON DELETE CASCADE,
          FOREIGN KEY (tenant_id, profile_id, published_resource_id) REFERENCES published_resources (tenant_id, profile_id, id) ON DELETE CASCADE)`,
        `CREATE INDEX agent_group_published_resources_by_resource ON agent_group_published_resources (tenant_id, profile_id, published_resource_id)`,
        `CREATE TABLE sensors (
          tenant_id ${text} NOT NULL, id ${text} NOT NULL,
          external_ip ${text} NOT NULL, is_audit_mode ${bool}, is_breakglass_enabled ${bool} NOT NULL,
          machine_name ${text} NOT NULL, status ${text} NOT NULL, version ${text} NOT NULL,
          PRIMARY KEY (tenant_id, id))`,
      ];
    },
  },
  {
    version: 4,
    description: 'indexes for filtered and ordered connector pages',
    statements: (d) => {
      // The expression must be the one the filter translator writes, for the index to serve it.
      const folded = d.functions.foldCase('machine_name');
      return [
        `CREATE INDEX connectors_by_status ON connectors (tenant_id, status, id)`,
        `CREATE INDEX connectors_by_machine_name ON connectors (tenant_id, ${folded}, id)`,
        `CREATE INDEX connectors_by_status_machine_name ON connectors (tenant_id, status, ${folded}, id)`,
      ];
    },
  },
  {
    version: 5,
    description: 'indexes that serve the queries localgraph sends (query-plans.test.ts proves each)',
    statements: (d) => {
      const folded = d.functions.foldCase('app_id');
      return [
        // SQLite never chose it (without statistics it reads connectors_by_machine_name and checks
        // the status), and the filtered page meets its goals without it: one index less per write.
        'DROP INDEX connectors_by_status_machine_name',
        // `appId eq '…'` compares lower(app_id), as every string comparison does: an index on the
        // bare column kept appIds unique but served no lookup. Unique ignoring case is what a
        // GUID's uniqueness means anyway.
        'DROP INDEX applications_by_app_id',
        `CREATE UNIQUE INDEX applications_by_app_id ON applications (tenant_id, ${folded})`,
        // Covering: an agent's (a resource's) groups are read from the index alone; without the
        // group id in it, SQLite preferred scanning the profile's links in the primary key.
        'DROP INDEX agent_group_agents_by_agent',
        'CREATE INDEX agent_group_agents_by_agent ON agent_group_agents (tenant_id, profile_id, agent_id, agent_group_id)',
        'DROP INDEX agent_group_published_resources_by_resource',
        'CREATE INDEX agent_group_published_resources_by_resource ON agent_group_published_resources (tenant_id, profile_id, published_resource_id, agent_group_id)',
      ];
    },
  },
];
