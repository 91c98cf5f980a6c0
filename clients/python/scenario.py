"""The localgraph client scenario on Microsoft's Graph beta SDK for Python (msgraph-beta-sdk) and
azure-identity: every step asserts what real Graph answers. The same code runs in both modes; only
the environment differs (see README.md in this folder):

  direct: LOCALGRAPH_GRAPH_URL=https://localhost:PORT/beta and LOCALGRAPH_AUTHORITY_HOST=https://localhost:PORT
  proxy:  neither set (the SDK's https://graph.microsoft.com/beta and login.microsoftonline.com),
          HTTPS_PROXY=http://127.0.0.1:N and REQUESTS_CA_BUNDLE / SSL_CERT_FILE naming localgraph's CA.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
import uuid
from urllib.parse import quote, urlparse

from azure.identity import ClientSecretCredential, UsernamePasswordCredential
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from kiota_authentication_azure.azure_identity_authentication_provider import AzureIdentityAuthenticationProvider
from msgraph_beta import GraphRequestAdapter, GraphServiceClient
from msgraph_beta.generated.models.application import Application
from msgraph_beta.generated.models.connector import Connector
from msgraph_beta.generated.models.connector_group import ConnectorGroup
from msgraph_beta.generated.models.connector_group_type import ConnectorGroupType
from msgraph_beta.generated.models.connector_status import ConnectorStatus
from msgraph_beta.generated.models.hybrid_agent_updater_configuration import HybridAgentUpdaterConfiguration
from msgraph_beta.generated.models.ip_application_segment import IpApplicationSegment
from msgraph_beta.generated.models.ip_application_segment_collection_response import IpApplicationSegmentCollectionResponse
from msgraph_beta.generated.models.agent_status import AgentStatus
from msgraph_beta.generated.models.o_data_errors.o_data_error import ODataError
from msgraph_beta.generated.models.on_premises_agent import OnPremisesAgent
from msgraph_beta.generated.models.on_premises_agent_group import OnPremisesAgentGroup
from msgraph_beta.generated.models.on_premises_publishing import OnPremisesPublishing
from msgraph_beta.generated.models.on_premises_publishing_profile import OnPremisesPublishingProfile
from msgraph_beta.generated.models.on_premises_publishing_type import OnPremisesPublishingType
from msgraph_beta.generated.models.private_access_sensor import PrivateAccessSensor
from msgraph_beta.generated.models.published_resource import PublishedResource
from msgraph_beta.generated.models.private_network_destination_type import PrivateNetworkDestinationType
from msgraph_beta.generated.models.private_network_protocol import PrivateNetworkProtocol
from msgraph_beta.generated.models.reference_create import ReferenceCreate
from msgraph_beta.generated.models.reference_update import ReferenceUpdate
from msgraph_beta.generated.models.sensor_status import SensorStatus
from msgraph_beta.generated.models.ip_segment_configuration import IpSegmentConfiguration
from msgraph_beta.generated.on_premises_publishing_profiles.item.connectors.connectors_request_builder import ConnectorsRequestBuilder
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph_core import PageIterator
from msgraph_core.requests.batch_request_builder import BatchRequestBuilder
from msgraph_core.requests.batch_request_content import BatchRequestContent
from msgraph_core.requests.batch_request_item import BatchRequestItem

# localgraph's well-known development credentials (serve --dev-credentials); the environment may name others.
DEV_TENANT = "6c6f6361-6c67-4000-8000-000000000001"
DEV_CLIENT_ID = "6c6f6361-6c67-4000-8000-000000000002"
DEV_SECRET = "localgraph-dev-secret~not-for-production"
DEV_USER = "dev@localgraph.onmicrosoft.com"
DEV_PASSWORD = "Localgraph-Dev-Password-1"
SCOPES = ["https://graph.microsoft.com/.default"]
# @odata.id values are written as the Graph docs write them, whichever host serves the request.
GRAPH_REF = "https://graph.microsoft.com/beta/onPremisesPublishingProfiles"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ERRORS = {"XXX": ODataError}


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def equal(actual, expected, what: str) -> None:
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def step(name: str) -> None:
    print(f"  ok  {name}", flush=True)


async def odata_error(awaitable) -> ODataError:
    """Runs a request that must fail and returns the SDK's typed error."""
    try:
        await awaitable
    except ODataError as error:
        return error
    raise AssertionError("the request did not fail")


async def raw(client: GraphServiceClient, method: Method, path: str, body=None, model=None):
    """A request the SDK has no builder for, sent through its own request adapter (auth, errors)."""
    adapter = client.request_adapter
    info = RequestInformation(method, f"{adapter.base_url}{path}")
    if body is not None:
        info.set_content_from_parsable(adapter, "application/json", body)
    if model is None:
        return await adapter.send_no_response_content_async(info, ERRORS)
    return await adapter.send_async(info, model, ERRORS)


def environment() -> dict:
    graph_url = os.environ.get("LOCALGRAPH_GRAPH_URL")
    authority = os.environ.get("LOCALGRAPH_AUTHORITY_HOST")
    if bool(graph_url) != bool(authority):
        sys.exit("LOCALGRAPH_GRAPH_URL and LOCALGRAPH_AUTHORITY_HOST go together (direct mode) or not at all (proxy mode)")
    if not graph_url and not (os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")):
        # Proxy mode without a proxy would talk to the real Microsoft Graph: refuse instead.
        sys.exit("proxy mode needs HTTPS_PROXY (localgraph's --proxy-port); refusing to reach graph.microsoft.com")
    return {
        "graph_url": graph_url,
        "authority": authority,
        "tenant": os.environ.get("LOCALGRAPH_TENANT_ID", DEV_TENANT),
        "client_id": os.environ.get("LOCALGRAPH_CLIENT_ID", DEV_CLIENT_ID),
        "secret": os.environ.get("LOCALGRAPH_CLIENT_SECRET", DEV_SECRET),
        "user": os.environ.get("LOCALGRAPH_USERNAME", DEV_USER),
        "password": os.environ.get("LOCALGRAPH_PASSWORD", DEV_PASSWORD),
    }


def graph_client(credential, env: dict) -> GraphServiceClient:
    if not env["graph_url"]:
        return GraphServiceClient(credentials=credential, scopes=SCOPES)
    host = urlparse(env["graph_url"]).hostname
    auth = AzureIdentityAuthenticationProvider(credential, scopes=SCOPES, allowed_hosts=[host])
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = env["graph_url"]
    return GraphServiceClient(request_adapter=adapter)


def credentials(env: dict):
    # Against a custom authority host, MSAL's instance discovery (a call to login.microsoftonline.com)
    # is turned off; through the proxy it runs as in production.
    options = {"authority": env["authority"], "disable_instance_discovery": True} if env["authority"] else {}
    app = ClientSecretCredential(env["tenant"], env["client_id"], env["secret"], **options)
    user = UsernamePasswordCredential(env["client_id"], env["user"], env["password"], tenant_id=env["tenant"], **options)
    return app, user


async def scenario(client: GraphServiceClient, app_client: GraphServiceClient) -> None:
    run = uuid.uuid4().hex[:8]
    profiles = client.on_premises_publishing_profiles
    proxy = profiles.by_on_premises_publishing_profile_id("applicationProxy")

    # The profile and its neighbours.
    listed = await profiles.get()
    check({"applicationProxy", "provisioning", "privateAccess"} <= {p.id for p in listed.value}, "the profiles are listed")
    profile = await proxy.get()
    equal(profile.id, "applicationProxy", "GET profile")
    step("profiles listed and read")

    # 1. The default connector group.
    groups = await proxy.connector_groups.get()
    defaults = [g for g in groups.value if g.is_default]
    equal(len(defaults), 1, "default connector groups")
    default = defaults[0]
    equal(default.connector_group_type, ConnectorGroupType.ApplicationProxy, "default group type")
    step(f"default connector group {default.id}")

    # 2. A new group.
    group = await proxy.connector_groups.post(ConnectorGroup(name=f"python-{run}"))
    check(bool(GUID.match(group.id or "")), "new group id is a GUID")
    equal(group.name, f"python-{run}", "new group name")
    equal(group.is_default, False, "new group isDefault")
    fetched = await proxy.connector_groups.by_connector_group_id(group.id).get()
    equal(fetched.name, group.name, "GET new group")
    step("connector group created and read")

    # 3. A connector as the "Create connector" docs page does (app-only token: application permission).
    connector = await app_client.on_premises_publishing_profiles.by_on_premises_publishing_profile_id("applicationProxy").connectors.post(
        Connector(external_ip="131.137.147.164", machine_name=f"python-{run}.contoso.com", status=ConnectorStatus.Active)
    )
    check(bool(GUID.match(connector.id or "")), "connector id is a GUID")
    equal(connector.machine_name, f"python-{run}.contoso.com", "connector machineName")
    equal(connector.status, ConnectorStatus.Active, "connector status")
    check(bool(connector.version), "connector version is set")
    connectors = proxy.connectors
    member_of = await connectors.by_connector_id(connector.id).member_of.get()
    equal([g.id for g in member_of.value], [default.id], "a new connector belongs to the default group")
    step("connector created with an app-only token, in the default group")

    # 4. Move it with members/$ref, then back with memberOf/$ref.
    await proxy.connector_groups.by_connector_group_id(group.id).members.ref.post(
        ReferenceCreate(odata_id=f"{GRAPH_REF}/applicationProxy/connectors/{connector.id}")
    )
    members = await proxy.connector_groups.by_connector_group_id(group.id).members.get()
    equal([c.id for c in members.value], [connector.id], "members after members/$ref")
    member_of = await connectors.by_connector_id(connector.id).member_of.get()
    equal([g.id for g in member_of.value], [group.id], "memberOf after members/$ref")
    # One related entity: no GET on these item builders in the SDK, so through its adapter.
    base = "/onPremisesPublishingProfiles/applicationProxy"
    equal((await raw(client, Method.GET, f"{base}/connectorGroups/{group.id}/members/{connector.id}", model=Connector)).id, connector.id, "GET members/{id}")
    equal((await raw(client, Method.GET, f"{base}/connectors/{connector.id}/memberOf/{group.id}", model=ConnectorGroup)).id, group.id, "GET memberOf/{id}")
    await connectors.by_connector_id(connector.id).member_of.ref.post(
        ReferenceCreate(odata_id=f"{GRAPH_REF}/applicationProxy/connectorGroups/{default.id}")
    )
    member_of = await connectors.by_connector_id(connector.id).member_of.get()
    equal([g.id for g in member_of.value], [default.id], "memberOf after memberOf/$ref")
    step("connector moved with members/$ref and back with memberOf/$ref")

    # 5. An application, published through application proxy, assigned with connectorGroup/$ref.
    app = await client.applications.post(Application(display_name=f"python-{run} app"))
    check(bool(GUID.match(app.id or "")), "application id")
    application = client.applications.by_application_id(app.id)
    await application.patch(Application(on_premises_publishing=OnPremisesPublishing(
        internal_url=f"https://python-{run}.contoso.com",
        external_url=f"https://python-{run}-contoso.msappproxy.net",
        is_on_prem_publishing_enabled=True,
    )))
    await application.connector_group.ref.put(ReferenceUpdate(odata_id=f"{GRAPH_REF}/applicationProxy/connectorGroups/{group.id}"))
    equal((await application.connector_group.get()).id, group.id, "GET application connectorGroup")
    apps = await proxy.connector_groups.by_connector_group_id(group.id).applications.get()
    equal([a.id for a in apps.value], [app.id], "connector group applications")
    equal((await raw(client, Method.GET, f"{base}/connectorGroups/{group.id}/applications/{app.id}", model=Application)).id, app.id, "GET connectorGroups/{id}/applications/{id}")
    read = await application.get()
    equal(read.on_premises_publishing.internal_url, f"https://python-{run}.contoso.com", "application onPremisesPublishing")
    listed_apps = await app_client.applications.get()
    check(app.id in {a.id for a in listed_apps.value}, "GET /applications lists the new app")
    step("application published and assigned with connectorGroup/$ref")

    # 6. $filter + $orderby + $top, every page walked with the SDK's PageIterator.
    names = [f"python-{run}-page-{i}.contoso.com" for i in range(5)]
    for name in names:
        await connectors.post(Connector(external_ip="10.0.0.1", machine_name=name, status=ConnectorStatus.Inactive))
    query = ConnectorsRequestBuilder.ConnectorsRequestBuilderGetQueryParameters(
        filter=f"startswith(machineName,'python-{run}-page-')", orderby=["machineName desc"], top=2,
    )
    first = await connectors.get(request_configuration=RequestConfiguration(query_parameters=query))
    equal(len(first.value), 2, "first page size ($top=2)")
    check(bool(first.odata_next_link), "first page has @odata.nextLink")
    seen: list[str] = []

    def collect(item: Connector) -> bool:
        seen.append(item.machine_name)
        return True

    await PageIterator(first, client.request_adapter).iterate(collect)
    equal(seen, sorted(names, reverse=True), "every page, in $orderby order")
    step("$filter + $orderby + $top walked with PageIterator (3 pages)")

    # 7. PATCH.
    group_item = proxy.connector_groups.by_connector_group_id(group.id)
    await group_item.patch(ConnectorGroup(name=f"python-{run}-renamed"))
    equal((await group_item.get()).name, f"python-{run}-renamed", "group name after PATCH")
    await connectors.by_connector_id(connector.id).patch(Connector(status=ConnectorStatus.Inactive))
    equal((await connectors.by_connector_id(connector.id).get()).status, ConnectorStatus.Inactive, "connector status after PATCH")
    step("PATCH of a group and a connector")

    # 8. The delete rules, read from the typed ODataError.
    refused = await odata_error(proxy.connector_groups.by_connector_group_id(default.id).delete())
    equal(refused.response_status_code, 400, "default group delete status")
    equal(refused.error.code, "Request_BadRequest", "default group delete code")
    equal(refused.error.message, "The default connector group cannot be deleted.", "default group delete message")
    refused = await odata_error(group_item.delete())
    equal(refused.response_status_code, 400, "assigned group delete status")
    equal(refused.error.code, "Request_BadRequest", "assigned group delete code")
    equal(refused.error.message, f"Connector group '{group.id}' still has applications assigned. Assign them to another connector group before deleting it.", "assigned group delete message")
    await application.connector_group.ref.delete()
    equal((await application.connector_group.get()).id, default.id, "an unassigned application reads as the default group")
    await group_item.delete()
    missing = await odata_error(group_item.get())
    equal(missing.response_status_code, 404, "deleted group status")
    equal(missing.error.code, "Request_ResourceNotFound", "deleted group code")
    step("delete rules: default and assigned groups refused with Request_BadRequest, then deleted")

    # 9. $batch with the SDK's batch helper.
    def batch_item(request_id: str, info: RequestInformation) -> BatchRequestItem:
        item = BatchRequestItem(info, id=request_id)
        # msgraph-sdk-python#1015: once a builder has sent a request, its URL is absolute, and
        # Graph (like localgraph) refuses absolute URLs in a batch. The documented workaround:
        item.url = item.url.removeprefix(client.request_adapter.base_url)
        return item

    batch = BatchRequestContent()
    batch.add_request(None, batch_item("groups", proxy.connector_groups.to_get_request_information()))
    batch.add_request(None, batch_item("connector", connectors.by_connector_id(connector.id).to_get_request_information()))
    batch.add_request(None, batch_item("missing", proxy.connector_groups.by_connector_group_id(group.id).to_get_request_information()))
    answer = await BatchRequestBuilder(client.request_adapter).post(batch)
    equal(answer.get_response_status_codes(), {"groups": 200, "connector": 200, "missing": 404}, "batch status codes")
    # The bodies cannot be read back: kiota-serialization-json drops a batch response body that is
    # a JSON object, as Graph sends them (microsoft/kiota-python#737), so only the statuses are checked.
    step("$batch with BatchRequestBuilder")

    # 10. Agents, agent groups and published resources (provisioning profile).
    prov = profiles.by_on_premises_publishing_profile_id("provisioning")
    agent = await prov.agents.post(OnPremisesAgent(external_ip="153.69.23.122", machine_name=f"python-{run}-agent.contoso.com", status=AgentStatus.Active))
    check(bool(GUID.match(agent.id or "")), "agent id")
    agent_group = await prov.agent_groups.post(OnPremisesAgentGroup(display_name=f"python-{run} agents"))
    equal(agent_group.publishing_type, OnPremisesPublishingType.Provisioning, "agent group publishingType comes from the profile")
    await prov.agents.by_on_premises_agent_id(agent.id).agent_groups.ref.post(ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/agentGroups/{agent_group.id}"))
    equal([a.id for a in (await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).agents.get()).value], [agent.id], "agentGroups/{id}/agents")
    equal([g.id for g in (await prov.agents.by_on_premises_agent_id(agent.id).agent_groups.get()).value], [agent_group.id], "agents/{id}/agentGroups")
    resource = await prov.published_resources.post(PublishedResource(display_name=f"python-{run} resource", resource_name="domain1.contoso.com"))
    equal(resource.publishing_type, OnPremisesPublishingType.Provisioning, "published resource publishingType")
    await prov.published_resources.by_published_resource_id(resource.id).agent_groups.ref.post(ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/agentGroups/{agent_group.id}"))
    equal([r.id for r in (await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).published_resources.get()).value], [resource.id], "agentGroups/{id}/publishedResources")
    equal([g.id for g in (await prov.published_resources.by_published_resource_id(resource.id).agent_groups.get()).value], [agent_group.id], "publishedResources/{id}/agentGroups")
    await prov.published_resources.by_published_resource_id(resource.id).patch(PublishedResource(display_name=f"python-{run} resource (updated)"))
    equal((await prov.published_resources.by_published_resource_id(resource.id).get()).display_name, f"python-{run} resource (updated)", "published resource after PATCH")
    check(resource.id in {r.id for r in (await prov.published_resources.get()).value}, "published resources listed")
    await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).patch(OnPremisesAgentGroup(display_name=f"python-{run} agents (renamed)"))
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).get()).display_name, f"python-{run} agents (renamed)", "agent group after PATCH")
    await prov.agents.by_on_premises_agent_id(agent.id).patch(OnPremisesAgent(status=AgentStatus.Inactive))
    equal((await prov.agents.by_on_premises_agent_id(agent.id).get()).status, AgentStatus.Inactive, "agent after PATCH")
    check(agent.id in {a.id for a in (await prov.agents.get()).value}, "agents listed")
    check(agent_group.id in {g.id for g in (await prov.agent_groups.get()).value}, "agent groups listed")
    prov_path = "/onPremisesPublishingProfiles/provisioning"
    equal((await raw(client, Method.GET, f"{prov_path}/agents/{agent.id}/agentGroups/{agent_group.id}", model=OnPremisesAgentGroup)).id, agent_group.id, "GET agents/{id}/agentGroups/{id}")
    equal((await raw(client, Method.GET, f"{prov_path}/agentGroups/{agent_group.id}/agents/{agent.id}", model=OnPremisesAgent)).id, agent.id, "GET agentGroups/{id}/agents/{id}")
    equal((await raw(client, Method.GET, f"{prov_path}/agentGroups/{agent_group.id}/publishedResources/{resource.id}", model=PublishedResource)).id, resource.id, "GET agentGroups/{id}/publishedResources/{id}")
    equal((await raw(client, Method.GET, f"{prov_path}/publishedResources/{resource.id}/agentGroups/{agent_group.id}", model=OnPremisesAgentGroup)).id, agent_group.id, "GET publishedResources/{id}/agentGroups/{id}")
    # The other DELETE form of a reference: the collection's $ref with the object's URL in $id.
    for collection, ref in ((f"agents/{agent.id}/agentGroups", f"agentGroups/{agent_group.id}"), (f"publishedResources/{resource.id}/agentGroups", f"agentGroups/{agent_group.id}")):
        await raw(client, Method.DELETE, f"{prov_path}/{collection}/$ref?@id={quote(GRAPH_REF + '/provisioning/' + ref, safe='')}")
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).agents.get()).value, [], "agents after agents/{id}/agentGroups/$ref?$id=")
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).published_resources.get()).value, [], "publishedResources after publishedResources/{id}/agentGroups/$ref?$id=")
    await prov.agents.by_on_premises_agent_id(agent.id).agent_groups.ref.post(ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/agentGroups/{agent_group.id}"))
    await prov.published_resources.by_published_resource_id(resource.id).agent_groups.ref.post(ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/agentGroups/{agent_group.id}"))
    for collection, ref in ((f"agentGroups/{agent_group.id}/agents", f"agents/{agent.id}"), (f"agentGroups/{agent_group.id}/publishedResources", f"publishedResources/{resource.id}")):
        await raw(client, Method.DELETE, f"{prov_path}/{collection}/$ref?@id={quote(GRAPH_REF + '/provisioning/' + ref, safe='')}")
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).agents.get()).value, [], "agents after agentGroups/{id}/agents/$ref?$id=")
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).published_resources.get()).value, [], "publishedResources after agentGroups/{id}/publishedResources/$ref?$id=")
    await prov.agents.by_on_premises_agent_id(agent.id).agent_groups.ref.post(ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/agentGroups/{agent_group.id}"))
    await prov.published_resources.by_published_resource_id(resource.id).agent_groups.ref.post(ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/agentGroups/{agent_group.id}"))
    # The references come apart from either side.
    await prov.agents.by_on_premises_agent_id(agent.id).agent_groups.by_on_premises_agent_group_id(agent_group.id).ref.delete()
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).agents.get()).value, [], "agents after agentGroups/{id}/$ref DELETE")
    # The SDK has no $ref builders under agentGroups/{id}/agents and agentGroups/{id}/publishedResources:
    # those go through its request adapter.
    group_path = f"/onPremisesPublishingProfiles/provisioning/agentGroups/{agent_group.id}"
    await raw(client, Method.POST, f"{group_path}/agents/$ref", ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/agents/{agent.id}"))
    equal([a.id for a in (await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).agents.get()).value], [agent.id], "agents after agentGroups/{id}/agents/$ref")
    await raw(client, Method.DELETE, f"{group_path}/agents/{agent.id}/$ref")
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).agents.get()).value, [], "agents after agentGroups/{id}/agents/{id}/$ref DELETE")
    await prov.published_resources.by_published_resource_id(resource.id).agent_groups.by_on_premises_agent_group_id(agent_group.id).ref.delete()
    equal((await prov.published_resources.by_published_resource_id(resource.id).agent_groups.get()).value, [], "publishedResources/{id}/agentGroups after its $ref DELETE")
    await raw(client, Method.POST, f"{group_path}/publishedResources/$ref", ReferenceCreate(odata_id=f"{GRAPH_REF}/provisioning/publishedResources/{resource.id}"))
    equal([g.id for g in (await prov.published_resources.by_published_resource_id(resource.id).agent_groups.get()).value], [agent_group.id], "publishedResources/{id}/agentGroups after agentGroups/{id}/publishedResources/$ref")
    await raw(client, Method.DELETE, f"{group_path}/publishedResources/{resource.id}/$ref")
    equal((await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).published_resources.get()).value, [], "agentGroups/{id}/publishedResources after its $ref DELETE")
    await prov.published_resources.by_published_resource_id(resource.id).delete()
    await prov.agent_groups.by_on_premises_agent_group_id(agent_group.id).delete()
    await prov.agents.by_on_premises_agent_id(agent.id).delete()
    gone = await odata_error(prov.agents.by_on_premises_agent_id(agent.id).get())
    equal(gone.response_status_code, 404, "deleted agent")
    step("agents, agent groups, published resources and their references")

    # 11. Private Access sensors.
    sensors = profiles.by_on_premises_publishing_profile_id("privateAccess").sensors
    sensor = await sensors.post(PrivateAccessSensor(external_ip="192.68.16.158", machine_name=f"python-{run}-sensor.contoso.com", status=SensorStatus.Active))
    check(bool(GUID.match(sensor.id or "")), "sensor id")
    await sensors.by_private_access_sensor_id(sensor.id).patch(PrivateAccessSensor(status=SensorStatus.Inactive))
    equal((await sensors.by_private_access_sensor_id(sensor.id).get()).status, SensorStatus.Inactive, "sensor after PATCH")
    check(sensor.id in {s.id for s in (await sensors.get()).value}, "sensors listed")
    await sensors.by_private_access_sensor_id(sensor.id).delete()
    equal((await odata_error(sensors.by_private_access_sensor_id(sensor.id).get())).response_status_code, 404, "deleted sensor")
    step("Private Access sensors")

    # 12. The profile PATCH, and the agent updater configuration (no builder in the SDK: its adapter).
    before = (await proxy.get()).is_default_access_enabled
    await proxy.patch(OnPremisesPublishingProfile(is_default_access_enabled=not before))
    equal((await proxy.get()).is_default_access_enabled, not before, "profile after PATCH")
    await proxy.patch(OnPremisesPublishingProfile(is_default_access_enabled=before))
    adapter = client.request_adapter
    config_url = f"{adapter.base_url}/onPremisesPublishingProfiles/applicationProxy/hybridAgentUpdaterConfiguration"
    patch = RequestInformation(Method.PATCH, config_url)
    patch.set_content_from_parsable(adapter, "application/json", HybridAgentUpdaterConfiguration(allow_update_configuration_override=True))
    await adapter.send_no_response_content_async(patch, ERRORS)
    config = await adapter.send_async(RequestInformation(Method.GET, config_url), HybridAgentUpdaterConfiguration, ERRORS)
    equal(config.allow_update_configuration_override, True, "hybridAgentUpdaterConfiguration after PATCH")
    step("profile PATCH and hybridAgentUpdaterConfiguration")

    # 13. The application's IP segments (reached through the SDK's adapter: no builder either).
    await application.patch(Application(on_premises_publishing=OnPremisesPublishing(segments_configuration=IpSegmentConfiguration())))
    segments_url = f"{adapter.base_url}/applications/{app.id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments"
    create = RequestInformation(Method.POST, segments_url)
    create.set_content_from_parsable(adapter, "application/json", IpApplicationSegment(destination_host="10.1.1.0/24", destination_type=PrivateNetworkDestinationType.IpRangeCidr, protocol=PrivateNetworkProtocol.Tcp, ports=["443-443"]))
    segment = await adapter.send_async(create, IpApplicationSegment, ERRORS)
    check(bool(segment.id), "segment id")
    update = RequestInformation(Method.PATCH, f"{segments_url}/{segment.id}")
    update.set_content_from_parsable(adapter, "application/json", IpApplicationSegment(destination_host="10.1.2.0/24"))
    await adapter.send_no_response_content_async(update, ERRORS)
    got = await adapter.send_async(RequestInformation(Method.GET, f"{segments_url}/{segment.id}"), IpApplicationSegment, ERRORS)
    equal(got.destination_host, "10.1.2.0/24", "segment after PATCH")
    listed_segments = await adapter.send_async(RequestInformation(Method.GET, segments_url), IpApplicationSegmentCollectionResponse, ERRORS)
    equal([s.id for s in listed_segments.value], [segment.id], "segments listed")
    profile_segments = proxy.application_segments
    check(segment.id in {x.id for x in (await profile_segments.get()).value}, "the profile's applicationSegments list the segment")
    equal((await profile_segments.by_ip_application_segment_id(segment.id).get()).id, segment.id, "GET the profile's applicationSegments/{id}")
    owner = await adapter.send_async(RequestInformation(Method.GET, f"{segments_url}/{segment.id}/application"), Application, ERRORS)
    equal(owner.id, app.id, "segment application")
    await adapter.send_no_response_content_async(RequestInformation(Method.DELETE, f"{segments_url}/{segment.id}"), ERRORS)
    step("application segments")

    # Clean up: the connectors, the application.
    for item in (await connectors.get(request_configuration=RequestConfiguration(query_parameters=ConnectorsRequestBuilder.ConnectorsRequestBuilderGetQueryParameters(
        filter=f"startswith(machineName,'python-{run}')")))).value:
        await connectors.by_connector_id(item.id).delete()
    await application.delete()
    equal((await odata_error(application.get())).response_status_code, 404, "deleted application")
    step("clean up")


async def main() -> None:
    env = environment()
    app_credential, user_credential = credentials(env)
    with app_credential, user_credential:
        await scenario(graph_client(user_credential, env), graph_client(app_credential, env))


if __name__ == "__main__":
    asyncio.run(main())
