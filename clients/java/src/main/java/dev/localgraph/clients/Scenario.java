package dev.localgraph.clients;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.UsernamePasswordCredentialBuilder;
import com.microsoft.graph.beta.models.Application;
import com.microsoft.graph.beta.models.Connector;
import com.microsoft.graph.beta.models.ConnectorCollectionResponse;
import com.microsoft.graph.beta.models.ConnectorGroup;
import com.microsoft.graph.beta.models.ConnectorGroupCollectionResponse;
import com.microsoft.graph.beta.models.ConnectorGroupType;
import com.microsoft.graph.beta.models.ConnectorStatus;
import com.microsoft.graph.beta.models.AgentStatus;
import com.microsoft.graph.beta.models.OnPremisesAgent;
import com.microsoft.graph.beta.models.OnPremisesAgentGroup;
import com.microsoft.graph.beta.models.OnPremisesPublishing;
import com.microsoft.graph.beta.models.OnPremisesPublishingProfile;
import com.microsoft.graph.beta.models.OnPremisesPublishingType;
import com.microsoft.graph.beta.models.PrivateAccessSensor;
import com.microsoft.graph.beta.models.PublishedResource;
import com.microsoft.graph.beta.models.ReferenceCreate;
import com.microsoft.graph.beta.models.ReferenceUpdate;
import com.microsoft.graph.beta.models.SensorStatus;
import com.microsoft.graph.beta.models.odataerrors.ODataError;
import com.microsoft.graph.beta.onpremisespublishingprofiles.item.OnPremisesPublishingProfileItemRequestBuilder;
import com.microsoft.graph.beta.serviceclient.GraphServiceClient;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The localgraph client scenario on Microsoft's Graph beta SDK for Java (microsoft-graph-beta) and
 * azure-identity: every step asserts what real Graph answers. The same code runs in both modes;
 * only the environment and the JVM's system properties differ (see README.md in this folder).
 */
public final class Scenario {
    // localgraph's well-known development credentials (serve --dev-credentials); the environment may name others.
    static final String DEV_TENANT = "6c6f6361-6c67-4000-8000-000000000001";
    static final String DEV_CLIENT_ID = "6c6f6361-6c67-4000-8000-000000000002";
    static final String DEV_SECRET = "localgraph-dev-secret~not-for-production";
    static final String DEV_USER = "dev@localgraph.onmicrosoft.com";
    static final String DEV_PASSWORD = "Localgraph-Dev-Password-1";
    static final String[] SCOPES = {"https://graph.microsoft.com/.default"};
    // @odata.id values are written as the Graph docs write them, whichever host serves the request.
    static final String GRAPH_REF = "https://graph.microsoft.com/beta/onPremisesPublishingProfiles";
    static final Pattern GUID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private Scenario() {}

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
    }

    static void equal(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) throw new AssertionError(what + ": expected " + expected + ", got " + actual);
    }

    static void step(String name) {
        System.out.println("  ok  " + name);
    }

    /** Runs a request that must fail and returns the SDK's typed error. */
    static ODataError odataError(Runnable request) {
        try {
            request.run();
        } catch (ODataError error) {
            return error;
        }
        throw new AssertionError("the request did not fail");
    }

    static ReferenceCreate reference(String path) {
        ReferenceCreate ref = new ReferenceCreate();
        ref.setOdataId(GRAPH_REF + path);
        return ref;
    }

    static <T> List<String> ids(List<T> items, java.util.function.Function<T, String> id) {
        List<String> out = new ArrayList<>();
        for (T item : items) out.add(id.apply(item));
        return out;
    }

    public static void main(String[] args) throws Exception {
        String graphUrl = System.getenv("LOCALGRAPH_GRAPH_URL");
        String authority = System.getenv("LOCALGRAPH_AUTHORITY_HOST");
        if ((graphUrl == null) != (authority == null)) {
            throw new IllegalStateException("LOCALGRAPH_GRAPH_URL and LOCALGRAPH_AUTHORITY_HOST go together (direct mode) or not at all (proxy mode)");
        }
        if (graphUrl == null && System.getProperty("https.proxyHost") == null) {
            // Proxy mode without a proxy would talk to the real Microsoft Graph: refuse instead.
            throw new IllegalStateException("proxy mode needs -Dhttps.proxyHost (localgraph's --proxy-port); refusing to reach graph.microsoft.com");
        }
        String tenant = env("LOCALGRAPH_TENANT_ID", DEV_TENANT);
        String clientId = env("LOCALGRAPH_CLIENT_ID", DEV_CLIENT_ID);

        ClientSecretCredentialBuilder app = new ClientSecretCredentialBuilder()
                .tenantId(tenant).clientId(clientId).clientSecret(env("LOCALGRAPH_CLIENT_SECRET", DEV_SECRET));
        @SuppressWarnings("deprecation") // the password grant is what automation without a browser uses; Entra still serves it
        UsernamePasswordCredentialBuilder user = new UsernamePasswordCredentialBuilder()
                .tenantId(tenant).clientId(clientId)
                .username(env("LOCALGRAPH_USERNAME", DEV_USER)).password(env("LOCALGRAPH_PASSWORD", DEV_PASSWORD));
        if (authority != null) {
            // Against a custom authority host, MSAL's instance discovery (a call to
            // login.microsoftonline.com) is turned off; through the proxy it runs as in production.
            app.authorityHost(authority).disableInstanceDiscovery();
            user.authorityHost(authority).disableInstanceDiscovery();
        }
        GraphServiceClient client = graphClient(user.build(), graphUrl);
        GraphServiceClient appClient = graphClient(app.build(), graphUrl);
        run(client, appClient);
    }

    static GraphServiceClient graphClient(TokenCredential credential, String graphUrl) {
        if (graphUrl == null) return new GraphServiceClient(credential, SCOPES);
        String host = URI.create(graphUrl).getHost();
        GraphServiceClient client = new GraphServiceClient(new AzureIdentityAuthenticationProvider(credential, new String[] {host}, SCOPES));
        client.getRequestAdapter().setBaseUrl(graphUrl);
        return client;
    }

    static void run(GraphServiceClient client, GraphServiceClient appClient) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        var profiles = client.onPremisesPublishingProfiles();
        OnPremisesPublishingProfileItemRequestBuilder proxy = profiles.byOnPremisesPublishingProfileId("applicationProxy");

        // 1. The default connector group.
        List<ConnectorGroup> groups = proxy.connectorGroups().get().getValue();
        List<ConnectorGroup> defaults = groups.stream().filter(g -> Boolean.TRUE.equals(g.getIsDefault())).toList();
        equal(defaults.size(), 1, "default connector groups");
        ConnectorGroup def = defaults.get(0);
        equal(def.getConnectorGroupType(), ConnectorGroupType.ApplicationProxy, "default group type");
        step("default connector group " + def.getId());

        // 2. A new group.
        ConnectorGroup body = new ConnectorGroup();
        body.setName("java-" + run);
        ConnectorGroup group = proxy.connectorGroups().post(body);
        check(GUID.matcher(group.getId()).matches(), "new group id is a GUID");
        equal(group.getName(), "java-" + run, "new group name");
        equal(group.getIsDefault(), false, "new group isDefault");
        var groupItem = proxy.connectorGroups().byConnectorGroupId(group.getId());
        equal(groupItem.get().getName(), "java-" + run, "GET new group");
        step("connector group created and read");

        // 3. A connector as the "Create connector" docs page does (app-only token: application permission).
        Connector newConnector = new Connector();
        newConnector.setExternalIp("131.137.147.164");
        newConnector.setMachineName("java-" + run + ".contoso.com");
        newConnector.setStatus(ConnectorStatus.Active);
        Connector connector = appClient.onPremisesPublishingProfiles().byOnPremisesPublishingProfileId("applicationProxy").connectors().post(newConnector);
        check(GUID.matcher(connector.getId()).matches(), "connector id is a GUID");
        equal(connector.getMachineName(), "java-" + run + ".contoso.com", "connector machineName");
        equal(connector.getStatus(), ConnectorStatus.Active, "connector status");
        check(connector.getVersion() != null && !connector.getVersion().isEmpty(), "connector version is set");
        var connectorItem = proxy.connectors().byConnectorId(connector.getId());
        equal(ids(connectorItem.memberOf().get().getValue(), ConnectorGroup::getId), List.of(def.getId()), "a new connector belongs to the default group");
        step("connector created with an app-only token, in the default group");

        // 4. Move it with members/$ref, then back with memberOf/$ref.
        groupItem.members().ref().post(reference("/applicationProxy/connectors/" + connector.getId()));
        equal(ids(groupItem.members().get().getValue(), Connector::getId), List.of(connector.getId()), "members after members/$ref");
        equal(ids(connectorItem.memberOf().get().getValue(), ConnectorGroup::getId), List.of(group.getId()), "memberOf after members/$ref");
        connectorItem.memberOf().ref().post(reference("/applicationProxy/connectorGroups/" + def.getId()));
        equal(ids(connectorItem.memberOf().get().getValue(), ConnectorGroup::getId), List.of(def.getId()), "memberOf after memberOf/$ref");
        step("connector moved with members/$ref and back with memberOf/$ref");

        // 5. An application, published through application proxy, assigned with connectorGroup/$ref.
        Application newApp = new Application();
        newApp.setDisplayName("java-" + run + " app");
        Application application = client.applications().post(newApp);
        var appItem = client.applications().byApplicationId(application.getId());
        OnPremisesPublishing publishing = new OnPremisesPublishing();
        publishing.setInternalUrl("https://java-" + run + ".contoso.com");
        publishing.setExternalUrl("https://java-" + run + "-contoso.msappproxy.net");
        publishing.setIsOnPremPublishingEnabled(true);
        Application patch = new Application();
        patch.setOnPremisesPublishing(publishing);
        appItem.patch(patch);
        ReferenceUpdate assign = new ReferenceUpdate();
        assign.setOdataId(GRAPH_REF + "/applicationProxy/connectorGroups/" + group.getId());
        appItem.connectorGroup().ref().put(assign);
        equal(appItem.connectorGroup().get().getId(), group.getId(), "GET application connectorGroup");
        equal(ids(groupItem.applications().get().getValue(), Application::getId), List.of(application.getId()), "connector group applications");
        step("application published and assigned with connectorGroup/$ref");

        // 6. $filter + $orderby + $top, every page walked with the SDK's PageIterator.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Connector c = new Connector();
            c.setExternalIp("10.0.0.1");
            c.setMachineName("java-" + run + "-page-" + i + ".contoso.com");
            c.setStatus(ConnectorStatus.Inactive);
            names.add(proxy.connectors().post(c).getMachineName());
        }
        ConnectorCollectionResponse first = proxy.connectors().get(config -> {
            config.queryParameters.filter = "startswith(machineName,'java-" + run + "-page-')";
            config.queryParameters.orderby = new String[] {"machineName desc"};
            config.queryParameters.top = 2;
        });
        equal(first.getValue().size(), 2, "first page size ($top=2)");
        check(first.getOdataNextLink() != null, "first page has @odata.nextLink");
        List<String> seen = new ArrayList<>();
        new PageIterator.Builder<Connector, ConnectorCollectionResponse>()
                .client(client)
                .collectionPage(first)
                .collectionPageFactory(ConnectorCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(c -> seen.add(c.getMachineName()))
                .build()
                .iterate();
        names.sort(Comparator.reverseOrder());
        equal(seen, names, "every page, in $orderby order");
        step("$filter + $orderby + $top walked with PageIterator (3 pages)");

        // 7. PATCH.
        ConnectorGroup rename = new ConnectorGroup();
        rename.setName("java-" + run + "-renamed");
        groupItem.patch(rename);
        equal(groupItem.get().getName(), "java-" + run + "-renamed", "group name after PATCH");
        Connector status = new Connector();
        status.setStatus(ConnectorStatus.Inactive);
        connectorItem.patch(status);
        equal(connectorItem.get().getStatus(), ConnectorStatus.Inactive, "connector status after PATCH");
        step("PATCH of a group and a connector");

        // 8. The delete rules, read from the typed ODataError.
        ODataError refused = odataError(() -> proxy.connectorGroups().byConnectorGroupId(def.getId()).delete());
        equal(refused.getResponseStatusCode(), 400, "default group delete status");
        equal(refused.getError().getCode(), "Request_BadRequest", "default group delete code");
        equal(refused.getError().getMessage(), "The default connector group cannot be deleted.", "default group delete message");
        groupItem.members().ref().post(reference("/applicationProxy/connectors/" + connector.getId()));
        refused = odataError(groupItem::delete);
        equal(refused.getResponseStatusCode(), 400, "non-empty group delete status");
        equal(refused.getError().getCode(), "Request_BadRequest", "non-empty group delete code");
        check(refused.getError().getMessage().contains("still has"), "non-empty group delete message: " + refused.getError().getMessage());
        connectorItem.memberOf().ref().post(reference("/applicationProxy/connectorGroups/" + def.getId()));
        refused = odataError(groupItem::delete);
        equal(refused.getError().getMessage(), "Connector group '" + group.getId() + "' still has applications assigned. Assign them to another connector group before deleting it.", "assigned group delete message");
        appItem.connectorGroup().ref().delete();
        equal(appItem.connectorGroup().get().getId(), def.getId(), "an unassigned application reads as the default group");
        groupItem.delete();
        ODataError missing = odataError(groupItem::get);
        equal(missing.getResponseStatusCode(), 404, "deleted group status");
        equal(missing.getError().getCode(), "Request_ResourceNotFound", "deleted group code");
        step("delete rules: default, non-empty and assigned groups refused with Request_BadRequest, then deleted");

        // 9. $batch with the SDK's batch helper.
        BatchRequestContent batch = new BatchRequestContent(client);
        String groupsStep = batch.addBatchRequestStep(proxy.connectorGroups().toGetRequestInformation());
        String connectorStep = batch.addBatchRequestStep(connectorItem.toGetRequestInformation());
        String missingStep = batch.addBatchRequestStep(groupItem.toGetRequestInformation());
        BatchResponseContent answer = client.getBatchRequestBuilder().post(batch, null);
        equal(answer.getResponsesStatusCode(), Map.of(groupsStep, 200, connectorStep, 200, missingStep, 404), "batch status codes");
        equal(answer.getResponseById(connectorStep, Connector::createFromDiscriminatorValue).getMachineName(), "java-" + run + ".contoso.com", "batch connector body");
        ConnectorGroupCollectionResponse listed = answer.getResponseById(groupsStep, ConnectorGroupCollectionResponse::createFromDiscriminatorValue);
        check(ids(listed.getValue(), ConnectorGroup::getId).contains(def.getId()), "batch groups body");
        step("$batch with BatchRequestContent");

        // 10. Agents, agent groups and published resources (provisioning profile).
        var prov = profiles.byOnPremisesPublishingProfileId("provisioning");
        OnPremisesAgent newAgent = new OnPremisesAgent();
        newAgent.setExternalIp("153.69.23.122");
        newAgent.setMachineName("java-" + run + "-agent.contoso.com");
        newAgent.setStatus(AgentStatus.Active);
        OnPremisesAgent agent = prov.agents().post(newAgent);
        var agentItem = prov.agents().byOnPremisesAgentId(agent.getId());
        OnPremisesAgentGroup newAgentGroup = new OnPremisesAgentGroup();
        newAgentGroup.setDisplayName("java-" + run + " agents");
        OnPremisesAgentGroup agentGroup = prov.agentGroups().post(newAgentGroup);
        equal(agentGroup.getPublishingType(), OnPremisesPublishingType.Provisioning, "agent group publishingType comes from the profile");
        var agentGroupItem = prov.agentGroups().byOnPremisesAgentGroupId(agentGroup.getId());
        agentItem.agentGroups().ref().post(reference("/provisioning/agentGroups/" + agentGroup.getId()));
        equal(ids(agentGroupItem.agents().get().getValue(), OnPremisesAgent::getId), List.of(agent.getId()), "agentGroups/{id}/agents");
        PublishedResource newResource = new PublishedResource();
        newResource.setDisplayName("java-" + run + " resource");
        newResource.setResourceName("domain1.contoso.com");
        PublishedResource resource = prov.publishedResources().post(newResource);
        var resourceItem = prov.publishedResources().byPublishedResourceId(resource.getId());
        resourceItem.agentGroups().ref().post(reference("/provisioning/agentGroups/" + agentGroup.getId()));
        equal(ids(agentGroupItem.publishedResources().get().getValue(), PublishedResource::getId), List.of(resource.getId()), "agentGroups/{id}/publishedResources");
        agentItem.agentGroups().byOnPremisesAgentGroupId(agentGroup.getId()).ref().delete();
        resourceItem.agentGroups().byOnPremisesAgentGroupId(agentGroup.getId()).ref().delete();
        equal(agentGroupItem.agents().get().getValue().size(), 0, "agents after the $ref DELETE");
        resourceItem.delete();
        agentGroupItem.delete();
        agentItem.delete();
        equal(odataError(agentItem::get).getResponseStatusCode(), 404, "deleted agent");
        step("agents, agent groups, published resources and their references");

        // 11. Private Access sensors.
        var sensors = profiles.byOnPremisesPublishingProfileId("privateAccess").sensors();
        PrivateAccessSensor newSensor = new PrivateAccessSensor();
        newSensor.setExternalIp("192.68.16.158");
        newSensor.setMachineName("java-" + run + "-sensor.contoso.com");
        newSensor.setStatus(SensorStatus.Active);
        PrivateAccessSensor sensor = sensors.post(newSensor);
        var sensorItem = sensors.byPrivateAccessSensorId(sensor.getId());
        PrivateAccessSensor sensorPatch = new PrivateAccessSensor();
        sensorPatch.setStatus(SensorStatus.Inactive);
        sensorItem.patch(sensorPatch);
        equal(sensorItem.get().getStatus(), SensorStatus.Inactive, "sensor after PATCH");
        sensorItem.delete();
        step("Private Access sensors");

        // 12. The profile PATCH.
        boolean before = Boolean.TRUE.equals(proxy.get().getIsDefaultAccessEnabled());
        OnPremisesPublishingProfile profilePatch = new OnPremisesPublishingProfile();
        profilePatch.setIsDefaultAccessEnabled(!before);
        proxy.patch(profilePatch);
        equal(proxy.get().getIsDefaultAccessEnabled(), !before, "profile after PATCH");
        profilePatch.setIsDefaultAccessEnabled(before);
        proxy.patch(profilePatch);
        step("profile PATCH");

        // Clean up.
        List<Connector> mine = proxy.connectors().get(config -> config.queryParameters.filter = "startswith(machineName,'java-" + run + "')").getValue();
        equal(mine.size(), 6, "connectors made by this run");
        for (Connector c : mine) proxy.connectors().byConnectorId(c.getId()).delete();
        appItem.delete();
        step("clean up");
    }
}
