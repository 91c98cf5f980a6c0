// The localgraph client scenario on Microsoft's Graph beta SDK for Go (msgraph-beta-sdk-go) and
// azidentity: every step asserts what real Graph answers. The same code runs in both modes; only
// the environment differs (see README.md in this folder).
//
// Only the request-builder packages used here are imported (onpremisespublishingprofiles,
// applications, models): the SDK's root package imports every one of its ~140 packages and
// multiplies the first build's time. The request adapter is therefore built here exactly as the
// root package's NewGraphRequestAdapter builds it, from msgraph-sdk-go-core.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/google/uuid"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	textser "github.com/microsoft/kiota-serialization-text-go"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/applications"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models"
	"github.com/microsoftgraph/msgraph-beta-sdk-go/models/odataerrors"
	opp "github.com/microsoftgraph/msgraph-beta-sdk-go/onpremisespublishingprofiles"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// localgraph's well-known development credentials (serve --dev-credentials); the environment may name others.
const (
	devTenant   = "6c6f6361-6c67-4000-8000-000000000001"
	devClientID = "6c6f6361-6c67-4000-8000-000000000002"
	devSecret   = "localgraph-dev-secret~not-for-production"
	devUser     = "dev@localgraph.onmicrosoft.com"
	devPassword = "Localgraph-Dev-Password-1"
	// The SDK version the adapter announces in its SdkVersion header, as the root package does.
	sdkVersion = "0.165.0"
	// @odata.id values are written as the Graph docs write them, whichever host serves the request.
	graphRef = "https://graph.microsoft.com/beta/onPremisesPublishingProfiles"
)

var (
	guid   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	scopes = []string{"https://graph.microsoft.com/.default"}
	ctx    = context.Background()
)

type env struct{ graphURL, authority, tenant, clientID, secret, user, password string }

func getenv(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func readEnv() env {
	e := env{
		graphURL:  os.Getenv("LOCALGRAPH_GRAPH_URL"),
		authority: os.Getenv("LOCALGRAPH_AUTHORITY_HOST"),
		tenant:    getenv("LOCALGRAPH_TENANT_ID", devTenant),
		clientID:  getenv("LOCALGRAPH_CLIENT_ID", devClientID),
		secret:    getenv("LOCALGRAPH_CLIENT_SECRET", devSecret),
		user:      getenv("LOCALGRAPH_USERNAME", devUser),
		password:  getenv("LOCALGRAPH_PASSWORD", devPassword),
	}
	if (e.graphURL == "") != (e.authority == "") {
		fail("LOCALGRAPH_GRAPH_URL and LOCALGRAPH_AUTHORITY_HOST go together (direct mode) or not at all (proxy mode)")
	}
	if e.graphURL == "" && os.Getenv("HTTPS_PROXY") == "" && os.Getenv("https_proxy") == "" {
		// Proxy mode without a proxy would talk to the real Microsoft Graph: refuse instead.
		fail("proxy mode needs HTTPS_PROXY (localgraph's --proxy-port); refusing to reach graph.microsoft.com")
	}
	return e
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func must[T any](value T, err error) T {
	if err != nil {
		fail("%s", describe(err))
	}
	return value
}

func ok(err error) {
	if err != nil {
		fail("%s", describe(err))
	}
}

func describe(err error) string {
	var odata *odataerrors.ODataError
	if errors.As(err, &odata) && odata.GetErrorEscaped() != nil {
		return fmt.Sprintf("ODataError %d %s: %s", odata.ResponseStatusCode, deref(odata.GetErrorEscaped().GetCode()), deref(odata.GetErrorEscaped().GetMessage()))
	}
	return err.Error()
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

func equal(actual, expected any, what string) {
	if !reflect.DeepEqual(actual, expected) {
		fail("%s: expected %#v, got %#v", what, expected, actual)
	}
}

func check(condition bool, what string) {
	if !condition {
		fail("%s", what)
	}
}

func step(name string) { fmt.Printf("  ok  %s\n", name) }

// odataError runs a request that must fail and returns the SDK's typed error.
func odataError(err error) *odataerrors.ODataError {
	var odata *odataerrors.ODataError
	if err == nil {
		fail("the request did not fail")
	}
	if !errors.As(err, &odata) {
		fail("not an ODataError: %v", err)
	}
	return odata
}

func ids[T interface{ GetId() *string }](items []T) []string {
	out := []string{}
	for _, item := range items {
		out = append(out, deref(item.GetId()))
	}
	return out
}

func reference(path string) models.ReferenceCreateable {
	ref := models.NewReferenceCreate()
	ref.SetOdataId(ptr(graphRef + path))
	return ref
}

func credentials(e env) (azcore.TokenCredential, azcore.TokenCredential) {
	var options azcore.ClientOptions
	// Against a custom authority host, MSAL's instance discovery (a call to login.microsoftonline.com)
	// is turned off; through the proxy it runs as in production.
	discoveryOff := false
	if e.authority != "" {
		options.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: e.authority + "/"}
		discoveryOff = true
	}
	app := must(azidentity.NewClientSecretCredential(e.tenant, e.clientID, e.secret, &azidentity.ClientSecretCredentialOptions{ClientOptions: options, DisableInstanceDiscovery: discoveryOff}))
	//lint:ignore SA1019 the password grant is what automation without a browser uses; Entra still serves it.
	user := must(azidentity.NewUsernamePasswordCredential(e.tenant, e.clientID, e.user, e.password, &azidentity.UsernamePasswordCredentialOptions{ClientOptions: options, DisableInstanceDiscovery: discoveryOff}))
	return app, user
}

// adapter is the SDK's GraphRequestAdapter as its root package builds it: the default JSON and
// text serializers, base URL https://graph.microsoft.com/beta unless LOCALGRAPH_GRAPH_URL names another.
func adapter(credential azcore.TokenCredential, e env) abstractions.RequestAdapter {
	var hosts []string // the SDK's default: Graph's public and national hosts
	if e.graphURL != "" {
		hosts = []string{must(url.Parse(e.graphURL)).Hostname()}
	} else {
		hosts = []string{"graph.microsoft.com"}
	}
	auth := must(kiotaazure.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(credential, scopes, hosts))
	options := msgraphcore.GraphClientOptions{GraphServiceVersion: "beta", GraphServiceLibraryVersion: sdkVersion}
	base := must(msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, options, nil, nil, nil))
	if e.graphURL != "" {
		base.SetBaseUrl(e.graphURL)
	} else {
		base.SetBaseUrl("https://graph.microsoft.com/beta")
	}
	return base
}

func registerSerializers() {
	abstractions.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return jsonser.NewJsonSerializationWriterFactory() })
	abstractions.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return textser.NewTextSerializationWriterFactory() })
	abstractions.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return jsonser.NewJsonParseNodeFactory() })
	abstractions.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return textser.NewTextParseNodeFactory() })
	// Batch items that fail come back as the typed ODataError, as the SDK's own responses do.
	ok(msgraphcore.RegisterError(msgraphcore.BatchRequestErrorRegistryKey, abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue, "4XX": odataerrors.CreateODataErrorFromDiscriminatorValue}))
}

func main() {
	e := readEnv()
	registerSerializers()
	appCredential, userCredential := credentials(e)
	user, app := adapter(userCredential, e), adapter(appCredential, e)
	root := map[string]string{"baseurl": user.GetBaseUrl()}
	profiles := opp.NewOnPremisesPublishingProfilesRequestBuilderInternal(root, user)
	appProfiles := opp.NewOnPremisesPublishingProfilesRequestBuilderInternal(map[string]string{"baseurl": app.GetBaseUrl()}, app)
	apps := applications.NewApplicationsRequestBuilderInternal(root, user)
	run := uuid.NewString()[:8]
	proxy := profiles.ByOnPremisesPublishingProfileId("applicationProxy")

	// 1. The default connector group.
	groups := must(proxy.ConnectorGroups().Get(ctx, nil)).GetValue()
	var def models.ConnectorGroupable
	for _, g := range groups {
		if deref(g.GetIsDefault()) {
			check(def == nil, "one default connector group")
			def = g
		}
	}
	check(def != nil, "a default connector group is listed")
	equal(deref(def.GetConnectorGroupType()), models.APPLICATIONPROXY_CONNECTORGROUPTYPE, "default group type")
	step("default connector group " + deref(def.GetId()))

	// 2. A new group.
	body := models.NewConnectorGroup()
	body.SetName(ptr("go-" + run))
	group := must(proxy.ConnectorGroups().Post(ctx, body, nil))
	check(guid.MatchString(deref(group.GetId())), "new group id is a GUID")
	equal(deref(group.GetName()), "go-"+run, "new group name")
	equal(deref(group.GetIsDefault()), false, "new group isDefault")
	groupItem := proxy.ConnectorGroups().ByConnectorGroupId(deref(group.GetId()))
	equal(deref(must(groupItem.Get(ctx, nil)).GetName()), "go-"+run, "GET new group")
	step("connector group created and read")

	// 3. A connector as the "Create connector" docs page does (app-only token: application permission).
	newConnector := models.NewConnector()
	newConnector.SetExternalIp(ptr("131.137.147.164"))
	newConnector.SetMachineName(ptr("go-" + run + ".contoso.com"))
	newConnector.SetStatus(ptr(models.ACTIVE_CONNECTORSTATUS))
	connector := must(appProfiles.ByOnPremisesPublishingProfileId("applicationProxy").Connectors().Post(ctx, newConnector, nil))
	connectorID := deref(connector.GetId())
	check(guid.MatchString(connectorID), "connector id is a GUID")
	equal(deref(connector.GetMachineName()), "go-"+run+".contoso.com", "connector machineName")
	equal(deref(connector.GetStatus()), models.ACTIVE_CONNECTORSTATUS, "connector status")
	check(deref(connector.GetVersion()) != "", "connector version is set")
	connectorItem := proxy.Connectors().ByConnectorId(connectorID)
	equal(ids(must(connectorItem.MemberOf().Get(ctx, nil)).GetValue()), []string{deref(def.GetId())}, "a new connector belongs to the default group")
	step("connector created with an app-only token, in the default group")

	// 4. Move it with members/$ref, then back with memberOf/$ref.
	ok(groupItem.Members().Ref().Post(ctx, reference("/applicationProxy/connectors/"+connectorID), nil))
	equal(ids(must(groupItem.Members().Get(ctx, nil)).GetValue()), []string{connectorID}, "members after members/$ref")
	equal(ids(must(connectorItem.MemberOf().Get(ctx, nil)).GetValue()), []string{deref(group.GetId())}, "memberOf after members/$ref")
	ok(connectorItem.MemberOf().Ref().Post(ctx, reference("/applicationProxy/connectorGroups/"+deref(def.GetId())), nil))
	equal(ids(must(connectorItem.MemberOf().Get(ctx, nil)).GetValue()), []string{deref(def.GetId())}, "memberOf after memberOf/$ref")
	step("connector moved with members/$ref and back with memberOf/$ref")

	// 5. An application, published through application proxy, assigned with connectorGroup/$ref.
	newApp := models.NewApplication()
	newApp.SetDisplayName(ptr("go-" + run + " app"))
	application := must(apps.Post(ctx, newApp, nil))
	appItem := apps.ByApplicationId(deref(application.GetId()))
	publishing := models.NewOnPremisesPublishing()
	publishing.SetInternalUrl(ptr("https://go-" + run + ".contoso.com"))
	publishing.SetExternalUrl(ptr("https://go-" + run + "-contoso.msappproxy.net"))
	publishing.SetIsOnPremPublishingEnabled(ptr(true))
	patch := models.NewApplication()
	patch.SetOnPremisesPublishing(publishing)
	must(appItem.Patch(ctx, patch, nil))
	assign := models.NewReferenceUpdate()
	assign.SetOdataId(ptr(graphRef + "/applicationProxy/connectorGroups/" + deref(group.GetId())))
	ok(appItem.ConnectorGroup().Ref().Put(ctx, assign, nil))
	equal(deref(must(appItem.ConnectorGroup().Get(ctx, nil)).GetId()), deref(group.GetId()), "GET application connectorGroup")
	equal(ids(must(groupItem.Applications().Get(ctx, nil)).GetValue()), []string{deref(application.GetId())}, "connector group applications")
	step("application published and assigned with connectorGroup/$ref")

	// 6. $filter + $orderby + $top, every page walked with the SDK's PageIterator.
	names := []string{}
	for i := range 5 {
		c := models.NewConnector()
		c.SetExternalIp(ptr("10.0.0.1"))
		c.SetMachineName(ptr(fmt.Sprintf("go-%s-page-%d.contoso.com", run, i)))
		c.SetStatus(ptr(models.INACTIVE_CONNECTORSTATUS))
		names = append(names, deref(must(proxy.Connectors().Post(ctx, c, nil)).GetMachineName()))
	}
	first := must(proxy.Connectors().Get(ctx, &opp.ItemConnectorsRequestBuilderGetRequestConfiguration{
		QueryParameters: &opp.ItemConnectorsRequestBuilderGetQueryParameters{
			Filter:  ptr("startswith(machineName,'go-" + run + "-page-')"),
			Orderby: []string{"machineName desc"},
			Top:     ptr(int32(2)),
		},
	}))
	equal(len(first.GetValue()), 2, "first page size ($top=2)")
	check(first.GetOdataNextLink() != nil, "first page has @odata.nextLink")
	iterator := must(msgraphcore.NewPageIterator[models.Connectorable](first, user, models.CreateConnectorCollectionResponseFromDiscriminatorValue))
	seen := []string{}
	ok(iterator.Iterate(ctx, func(c models.Connectorable) bool {
		seen = append(seen, deref(c.GetMachineName()))
		return true
	}))
	slices.Sort(names)
	slices.Reverse(names)
	equal(seen, names, "every page, in $orderby order")
	step("$filter + $orderby + $top walked with PageIterator (3 pages)")

	// 7. PATCH.
	rename := models.NewConnectorGroup()
	rename.SetName(ptr("go-" + run + "-renamed"))
	must(groupItem.Patch(ctx, rename, nil))
	equal(deref(must(groupItem.Get(ctx, nil)).GetName()), "go-"+run+"-renamed", "group name after PATCH")
	status := models.NewConnector()
	status.SetStatus(ptr(models.INACTIVE_CONNECTORSTATUS))
	must(connectorItem.Patch(ctx, status, nil))
	equal(deref(must(connectorItem.Get(ctx, nil)).GetStatus()), models.INACTIVE_CONNECTORSTATUS, "connector status after PATCH")
	step("PATCH of a group and a connector")

	// 8. The delete rules, read from the typed ODataError.
	refused := odataError(proxy.ConnectorGroups().ByConnectorGroupId(deref(def.GetId())).Delete(ctx, nil))
	equal(refused.ResponseStatusCode, 400, "default group delete status")
	equal(deref(refused.GetErrorEscaped().GetCode()), "Request_BadRequest", "default group delete code")
	equal(deref(refused.GetErrorEscaped().GetMessage()), "The default connector group cannot be deleted.", "default group delete message")
	ok(groupItem.Members().Ref().Post(ctx, reference("/applicationProxy/connectors/"+connectorID), nil))
	refused = odataError(groupItem.Delete(ctx, nil))
	equal(refused.ResponseStatusCode, 400, "non-empty group delete status")
	equal(deref(refused.GetErrorEscaped().GetCode()), "Request_BadRequest", "non-empty group delete code")
	check(strings.Contains(deref(refused.GetErrorEscaped().GetMessage()), "still has"), "non-empty group delete message: "+deref(refused.GetErrorEscaped().GetMessage()))
	ok(connectorItem.MemberOf().Ref().Post(ctx, reference("/applicationProxy/connectorGroups/"+deref(def.GetId())), nil))
	refused = odataError(groupItem.Delete(ctx, nil))
	equal(deref(refused.GetErrorEscaped().GetMessage()), "Connector group '"+deref(group.GetId())+"' still has applications assigned. Assign them to another connector group before deleting it.", "assigned group delete message")
	ok(appItem.ConnectorGroup().Ref().Delete(ctx, nil))
	equal(deref(must(appItem.ConnectorGroup().Get(ctx, nil)).GetId()), deref(def.GetId()), "an unassigned application reads as the default group")
	ok(groupItem.Delete(ctx, nil))
	missing := odataError(func() error { _, err := groupItem.Get(ctx, nil); return err }())
	equal(missing.ResponseStatusCode, 404, "deleted group status")
	equal(deref(missing.GetErrorEscaped().GetCode()), "Request_ResourceNotFound", "deleted group code")
	step("delete rules: default, non-empty and assigned groups refused with Request_BadRequest, then deleted")

	// 9. $batch with the SDK's batch helper.
	batch := msgraphcore.NewBatchRequest(user)
	groupsInfo := must(proxy.ConnectorGroups().ToGetRequestInformation(ctx, nil))
	connectorInfo := must(connectorItem.ToGetRequestInformation(ctx, nil))
	missingInfo := must(groupItem.ToGetRequestInformation(ctx, nil))
	groupsStep := must(batch.AddBatchRequestStep(*groupsInfo))
	connectorStep := must(batch.AddBatchRequestStep(*connectorInfo))
	missingStep := must(batch.AddBatchRequestStep(*missingInfo))
	answer := must(batch.Send(ctx, user))
	equal(answer.GetStatusCodes(), map[string]int32{deref(groupsStep.GetId()): 200, deref(connectorStep.GetId()): 200, deref(missingStep.GetId()): 404}, "batch status codes")
	batched := must(msgraphcore.GetBatchResponseById[models.Connectorable](answer, deref(connectorStep.GetId()), models.CreateConnectorFromDiscriminatorValue))
	equal(deref(batched.GetMachineName()), "go-"+run+".contoso.com", "batch connector body")
	listed := must(msgraphcore.GetBatchResponseById[models.ConnectorGroupCollectionResponseable](answer, deref(groupsStep.GetId()), models.CreateConnectorGroupCollectionResponseFromDiscriminatorValue))
	check(slices.Contains(ids(listed.GetValue()), deref(def.GetId())), "batch groups body")
	_, err := msgraphcore.GetBatchResponseById[models.ConnectorGroupable](answer, deref(missingStep.GetId()), models.CreateConnectorGroupFromDiscriminatorValue)
	equal(deref(odataError(err).GetErrorEscaped().GetCode()), "Request_ResourceNotFound", "batch 404 as an ODataError")
	step("$batch with BatchRequest")

	// 10. Agents, agent groups and published resources (provisioning profile).
	prov := profiles.ByOnPremisesPublishingProfileId("provisioning")
	newAgent := models.NewOnPremisesAgent()
	newAgent.SetExternalIp(ptr("153.69.23.122"))
	newAgent.SetMachineName(ptr("go-" + run + "-agent.contoso.com"))
	newAgent.SetStatus(ptr(models.ACTIVE_AGENTSTATUS))
	agent := must(prov.Agents().Post(ctx, newAgent, nil))
	agentItem := prov.Agents().ByOnPremisesAgentId(deref(agent.GetId()))
	newAgentGroup := models.NewOnPremisesAgentGroup()
	newAgentGroup.SetDisplayName(ptr("go-" + run + " agents"))
	agentGroup := must(prov.AgentGroups().Post(ctx, newAgentGroup, nil))
	equal(deref(agentGroup.GetPublishingType()), models.PROVISIONING_ONPREMISESPUBLISHINGTYPE, "agent group publishingType comes from the profile")
	agentGroupItem := prov.AgentGroups().ByOnPremisesAgentGroupId(deref(agentGroup.GetId()))
	ok(agentItem.AgentGroups().Ref().Post(ctx, reference("/provisioning/agentGroups/"+deref(agentGroup.GetId())), nil))
	equal(ids(must(agentGroupItem.Agents().Get(ctx, nil)).GetValue()), []string{deref(agent.GetId())}, "agentGroups/{id}/agents")
	newResource := models.NewPublishedResource()
	newResource.SetDisplayName(ptr("go-" + run + " resource"))
	newResource.SetResourceName(ptr("domain1.contoso.com"))
	resource := must(prov.PublishedResources().Post(ctx, newResource, nil))
	resourceItem := prov.PublishedResources().ByPublishedResourceId(deref(resource.GetId()))
	ok(resourceItem.AgentGroups().Ref().Post(ctx, reference("/provisioning/agentGroups/"+deref(agentGroup.GetId())), nil))
	equal(ids(must(agentGroupItem.PublishedResources().Get(ctx, nil)).GetValue()), []string{deref(resource.GetId())}, "agentGroups/{id}/publishedResources")
	ok(agentItem.AgentGroups().ByOnPremisesAgentGroupId(deref(agentGroup.GetId())).Ref().Delete(ctx, nil))
	ok(resourceItem.AgentGroups().ByOnPremisesAgentGroupId(deref(agentGroup.GetId())).Ref().Delete(ctx, nil))
	equal(ids(must(agentGroupItem.Agents().Get(ctx, nil)).GetValue()), []string{}, "agents after the $ref DELETE")
	ok(resourceItem.Delete(ctx, nil))
	ok(agentGroupItem.Delete(ctx, nil))
	ok(agentItem.Delete(ctx, nil))
	equal(odataError(func() error { _, err := agentItem.Get(ctx, nil); return err }()).ResponseStatusCode, 404, "deleted agent")
	step("agents, agent groups, published resources and their references")

	// 11. Private Access sensors.
	sensors := profiles.ByOnPremisesPublishingProfileId("privateAccess").Sensors()
	newSensor := models.NewPrivateAccessSensor()
	newSensor.SetExternalIp(ptr("192.68.16.158"))
	newSensor.SetMachineName(ptr("go-" + run + "-sensor.contoso.com"))
	newSensor.SetStatus(ptr(models.ACTIVE_SENSORSTATUS))
	sensor := must(sensors.Post(ctx, newSensor, nil))
	sensorItem := sensors.ByPrivateAccessSensorId(deref(sensor.GetId()))
	sensorPatch := models.NewPrivateAccessSensor()
	sensorPatch.SetStatus(ptr(models.INACTIVE_SENSORSTATUS))
	must(sensorItem.Patch(ctx, sensorPatch, nil))
	equal(deref(must(sensorItem.Get(ctx, nil)).GetStatus()), models.INACTIVE_SENSORSTATUS, "sensor after PATCH")
	ok(sensorItem.Delete(ctx, nil))
	step("Private Access sensors")

	// 12. The profile PATCH.
	before := deref(must(proxy.Get(ctx, nil)).GetIsDefaultAccessEnabled())
	profilePatch := models.NewOnPremisesPublishingProfile()
	profilePatch.SetIsDefaultAccessEnabled(ptr(!before))
	must(proxy.Patch(ctx, profilePatch, nil))
	equal(deref(must(proxy.Get(ctx, nil)).GetIsDefaultAccessEnabled()), !before, "profile after PATCH")
	profilePatch.SetIsDefaultAccessEnabled(ptr(before))
	must(proxy.Patch(ctx, profilePatch, nil))
	step("profile PATCH")

	// Clean up.
	for _, name := range append(names, "go-"+run+".contoso.com") {
		found := must(proxy.Connectors().Get(ctx, &opp.ItemConnectorsRequestBuilderGetRequestConfiguration{
			QueryParameters: &opp.ItemConnectorsRequestBuilderGetQueryParameters{Filter: ptr("machineName eq '" + name + "'")},
		})).GetValue()
		for _, c := range found {
			ok(proxy.Connectors().ByConnectorId(deref(c.GetId())).Delete(ctx, nil))
		}
	}
	ok(appItem.Delete(ctx, nil))
	step("clean up")
}
