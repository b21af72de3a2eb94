using Orders;
using Portable.Gcp.Deployment;
using Portable.Gcp.Tests.Fixtures;
using Portable.Hosting;
using static Portable.Gcp.Tests.Fixtures.RecordingGcloud;

namespace Portable.Gcp.Tests;

/// <summary>
/// deploy.sh for an app with what the Orders sample lacks (a secret, an event function, settings of its own), written from an
/// in-test catalog, checked with shellcheck and run against a recording stand-in for gcloud.
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private const string Storage = "google.cloud.storage.object.v1.finalized";
    private readonly string _folder = Directory.CreateTempSubdirectory("portable-gcp-script-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PortableApp App(Action<PortableAppBuilder>? more = null, bool secret = false)
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        if (secret) builder.Resources.AddSecret("PaymentsApiKey");
        builder.AddJson(TestJsonContext.Default);
        builder.Functions.MapEvent<RecordEvent>(Storage, "OnUpload").WithMemory(8192).WithTimeout(TimeSpan.FromSeconds(120)).WithMaxConcurrency(3);
        more?.Invoke(builder);
        return builder.Build();
    }

    private async Task<string> WriteAsync(PortableApp app)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "Dockerfile"), ContainerRecipeWriter.Dockerfile("Orders", jit: false));
        var script = Path.Combine(_folder, "deploy.sh");
        await File.WriteAllTextAsync(script, DeployScript.Build(app.Catalog, app.Catalog.Secrets));
        return script;
    }

    [Fact]
    public async Task Script_WithASecretAndAnEventFunction_PassesShellcheck()
    {
        var (exit, output) = await Shellcheck.RunAsync(await WriteAsync(App(secret: true)));
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Script_OfASingleAnonymousHttpFunction_PassesShellcheck_AndDeploysItAlone()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "Hello";
        builder.AddJson(TestJsonContext.Default);
        builder.Functions.MapHttp<EchoHttp>("GET /hello", "Hello").AllowAnonymous();
        var script = await WriteAsync(builder.Build());

        var (exit, output) = await Shellcheck.RunAsync(script);
        Assert.True(exit == 0, output);
        var run = await RunAsync(script, present: "");
        Assert.True(run.ExitCode == 0, run.Describe);
        var deploy = Assert.Single(run.Of("run deploy"));
        Assert.Equal(("hello-hello", "FUNCTION_TARGET=Hello,GOOGLE_CLOUD_PROJECT=demo-project,DOTNET_ENVIRONMENT=Production"), (deploy[2], Flag(deploy, "--set-env-vars")));
        Assert.Contains("--allow-unauthenticated", deploy);
        Assert.DoesNotContain(run.Calls, c => c.Contains("add-iam-policy-binding") || c[0] == "pubsub" || c[0] == "scheduler");
    }

    [Fact]
    public async Task Secrets_ReachEveryServiceAsSecretManagerReferences_AndEachAccountMayReadThemOnly()
    {
        var run = await RunAsync(await WriteAsync(App(secret: true)), present: "secrets");
        Assert.True(run.ExitCode == 0, run.Describe);

        var deploys = run.Of("run deploy");
        Assert.Equal(9, deploys.Count);
        Assert.All(deploys, d => Assert.Equal("PaymentsApiKey=PaymentsApiKey:latest", Flag(d, "--set-secrets")));
        var readers = run.Of("secrets add-iam-policy-binding");
        Assert.All(readers, r => Assert.Equal(("PaymentsApiKey", "roles/secretmanager.secretAccessor"), (r[2], Flag(r, "--role"))));
        Assert.Equal(deploys.Select(d => "serviceAccount:" + Flag(d, "--service-account")).Order(), readers.Select(r => Flag(r, "--member")!).Order());
        Assert.DoesNotContain(run.Calls, c => c.Contains("versions") || (c[0] == "secrets" && c[1] == "create"));
    }

    [Fact]
    public async Task SecretId_IsOverriddenByItsVariable_AndAMissingSecretStopsBeforeAnyDeploy()
    {
        var script = await WriteAsync(App(secret: true));
        var renamed = await RunAsync(script, present: "secrets", new Dictionary<string, string> { ["SECRET_PaymentsApiKey"] = "payments-staging" });
        Assert.True(renamed.ExitCode == 0, renamed.Describe);
        Assert.All(renamed.Of("run deploy"), d => Assert.Equal("PaymentsApiKey=payments-staging:latest", Flag(d, "--set-secrets")));
        Assert.All(renamed.Of("secrets add-iam-policy-binding"), r => Assert.Equal("payments-staging", r[2]));

        var missing = await RunAsync(script, present: "");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("The secret 'PaymentsApiKey' (PaymentsApiKey) is not in Secret Manager in demo-project", missing.Error, StringComparison.Ordinal);
        Assert.Empty(missing.Of("run deploy"));
        Assert.Empty(missing.Of("builds submit"));
    }

    [Fact]
    public async Task EventFunction_GetsAnEventarcTrigger_OnItsType_PlusItsFilters_CallingItAsTheInvoker_AndItsSettings()
    {
        var run = await RunAsync(await WriteAsync(App()), present: "", new Dictionary<string, string> { ["EVENT_FILTERS_OnUpload"] = "bucket=uploads" });
        Assert.True(run.ExitCode == 0, run.Describe);

        // The sample's ImportOrders has its own trigger on its bucket (BlobDeployScriptTests); this one is OnUpload's.
        Assert.Equal(["orders-importorders", "orders-onupload"], run.Of("eventarc triggers create").Select(t => t[3]).Order(StringComparer.Ordinal));
        var trigger = Assert.Single(run.Of("eventarc triggers create"), t => t[3] == "orders-onupload");
        Assert.Equal("orders-onupload", Flag(trigger, "--destination-run-service"));
        Assert.Equal(["type=" + Storage, "bucket=uploads"], Flags(trigger, "--event-filters"));
        Assert.Equal("orders-invoker@demo-project.iam.gserviceaccount.com", Flag(trigger, "--service-account"));
        Assert.Contains(run.Of("run services add-iam-policy-binding"), b => b[3] == "orders-onupload"
            && Flag(b, "--member") == "serviceAccount:orders-invoker@demo-project.iam.gserviceaccount.com" && Flag(b, "--role") == "roles/run.invoker");
        Assert.Contains(run.Of("projects add-iam-policy-binding"), b => Flag(b, "--role") == "roles/eventarc.eventReceiver"
            && Flag(b, "--member") == "serviceAccount:orders-invoker@demo-project.iam.gserviceaccount.com");

        var service = Assert.Single(run.Of("run deploy"), d => d[2] == "orders-onupload");
        Assert.Equal(("8192Mi", "2", "120", "3"), (Flag(service, "--memory"), Flag(service, "--cpu"), Flag(service, "--timeout"), Flag(service, "--max-instances")));
        Assert.Contains("--no-allow-unauthenticated", service);
        Assert.DoesNotContain("--execution-environment", service);
    }

    [Fact]
    public async Task SecondRun_WhereEverythingExists_UpdatesTheTrigger_AndCreatesNothing()
    {
        var run = await RunAsync(await WriteAsync(App(secret: true)), present: "all");
        Assert.True(run.ExitCode == 0, run.Describe);

        Assert.DoesNotContain(run.Calls, c => c.Contains("create"));
        Assert.Equal(["orders-importorders", "orders-onupload"], run.Of("eventarc triggers update").Select(t => t[3]).Order(StringComparer.Ordinal));
        Assert.Equal(9, run.Of("run deploy").Count); // the sample's eight functions and OnUpload
    }

    [Fact]
    public async Task Environment_BecomesDotnetEnvironment_AndAnUnsafeOneIsRefused()
    {
        var script = await WriteAsync(App());
        var staging = await RunAsync(script, present: "", new Dictionary<string, string> { ["ENVIRONMENT"] = "Staging" });
        Assert.True(staging.ExitCode == 0, staging.Describe);
        Assert.All(staging.Of("run deploy"), d => Assert.EndsWith(",DOTNET_ENVIRONMENT=Staging", Flag(d, "--set-env-vars"), StringComparison.Ordinal));

        var unsafeName = await RunAsync(script, present: "", new Dictionary<string, string> { ["ENVIRONMENT"] = "Prod,X=1" });
        Assert.NotEqual(0, unsafeName.ExitCode);
        Assert.Contains("ENVIRONMENT is 'Prod,X=1'", unsafeName.Error, StringComparison.Ordinal);
        Assert.Empty(unsafeName.Calls);
    }

    [Fact]
    public async Task GivenImage_IsDeployedAsItIs_WithoutABuild()
    {
        var run = await RunAsync(await WriteAsync(App()), present: "", new Dictionary<string, string> { ["IMAGE"] = "europe-docker.pkg.dev/p/r/orders:v7" });
        Assert.True(run.ExitCode == 0, run.Describe);
        Assert.Empty(run.Of("builds submit"));
        Assert.Empty(run.Of("artifacts repositories create"));
        Assert.All(run.Of("run deploy"), d => Assert.Equal("europe-docker.pkg.dev/p/r/orders:v7", Flag(d, "--image")));
    }

    [Fact]
    public async Task PrivateHttpFunctions_AreCallableByTheInvokersGiven_AndNoOneElse()
    {
        var run = await RunAsync(await WriteAsync(App()), present: "", new Dictionary<string, string> { ["INVOKERS"] = "user:ada@example.com,group:ops@example.com" });
        Assert.True(run.ExitCode == 0, run.Describe);

        var grants = run.Of("run services add-iam-policy-binding").Where(b => !Flag(b, "--member")!.StartsWith("serviceAccount:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["orders-getorder group:ops@example.com", "orders-getorder user:ada@example.com", "orders-listorders group:ops@example.com", "orders-listorders user:ada@example.com",
            "orders-placeorder group:ops@example.com", "orders-placeorder user:ada@example.com"],
            grants.Select(b => b[3] + " " + Flag(b, "--member")).Order());
        Assert.DoesNotContain(run.Calls, c => c.Contains("allUsers"));
    }

    [Fact]
    public async Task MissingProjectOrRegion_FailsNamingIt_BeforeCallingGcloud()
    {
        var script = await WriteAsync(App());
        var noProject = await RunAsync(script, present: "", new Dictionary<string, string> { ["PROJECT"] = "" });
        var noRegion = await RunAsync(script, present: "", new Dictionary<string, string> { ["REGION"] = "" });

        Assert.Equal((1, 1), (noProject.ExitCode, noRegion.ExitCode));
        Assert.StartsWith("deploy.sh: PROJECT is not set", noProject.Error, StringComparison.Ordinal);
        Assert.StartsWith("deploy.sh: REGION is not set", noRegion.Error, StringComparison.Ordinal);
        Assert.Empty(noProject.Calls.Concat(noRegion.Calls));
    }

    [Fact]
    public void Arm64_IsReportedAsNotHonoured_AndTheServicesStayX64()
    {
        var app = App(b => b.Functions.MapHttp<EchoHttp>("GET /echo", "Echo").WithArchitecture(FunctionArchitecture.Arm64));
        var report = new DeploymentReport(ContainerRecipeWriter.Cloud);
        ContainerRecipeWriter.Review(app.Catalog, report);

        var entry = Assert.Single(report.Entries, e => e.CannotHonour);
        Assert.Equal("Echo", entry.Subject);
        Assert.Contains("Cloud Run runs x86_64", entry.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("arm", DeployScript.Build(app.Catalog, app.Catalog.Secrets), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WildcardEventType_AndAPushTimeoutPastPubSubsDeadline_AreReportedAsNotHonoured()
    {
        var app = App(b => b.Functions
            .MapEvent<RecordEvent>("*", "AnyEvent")
            .MapQueue<RecordJob, Job>("jobs", "LongJob").WithTimeout(TimeSpan.FromSeconds(900)));
        var report = new DeploymentReport(ContainerRecipeWriter.Cloud);
        ContainerRecipeWriter.Review(app.Catalog, report);

        Assert.Equal(["AnyEvent", "LongJob"], report.Entries.Where(e => e.CannotHonour).Select(e => e.Subject).Order());
        var script = DeployScript.Build(app.Catalog, app.Catalog.Secrets);
        Assert.DoesNotContain("eventarc_trigger orders-anyevent", script, StringComparison.Ordinal);
        Assert.Contains("push_subscription orders-longjob jobs \"$url\" 600", script, StringComparison.Ordinal);
    }

    [Fact]
    public void OrdersSample_HasNothingGoogleCloudCannotHonour_OnlyNotes()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var report = new DeploymentReport(ContainerRecipeWriter.Cloud);
        ContainerRecipeWriter.Review(builder.Build().Catalog, report);

        Assert.DoesNotContain(report.Entries, e => e.CannotHonour);
        Assert.Equal(["order-placed", "order-placed"], report.Entries.Select(e => e.Subject));
    }

    [Fact]
    public async Task WriteDeployment_OfAnAppWithASecret_WritesItsReferenceOnly_NeverItsValue()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        builder.Resources.AddSecret("PaymentsApiKey");
        builder.Configuration["PaymentsApiKey"] = "sk_live_do-not-ship-this";
        var printed = await ConsoleCapture.RunAsync(() => GcpPlatform.Instance.WriteDeploymentAsync(builder.Build(), _folder, default));

        var script = await File.ReadAllTextAsync(Path.Combine(_folder, "deploy.sh"));
        Assert.Contains("--set-secrets \"PaymentsApiKey=$secret_PaymentsApiKey:latest\"", script, StringComparison.Ordinal);
        Assert.Contains("secret_PaymentsApiKey=\"${SECRET_PaymentsApiKey:-PaymentsApiKey}\"", script, StringComparison.Ordinal);
        Assert.Contains("`SECRET_PaymentsApiKey`", await File.ReadAllTextAsync(Path.Combine(_folder, "gcp-deploy.md")), StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(_folder, "*", SearchOption.AllDirectories).Append("stdout"))
        {
            var text = file == "stdout" ? printed : await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("sk_live_do-not-ship-this", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WriteDeployment_PrintsWhatCannotBeHonouredAsAnMSBuildWarning()
    {
        var app = App(b => b.Functions.MapHttp<EchoHttp>("GET /echo", "Echo").WithArchitecture(FunctionArchitecture.Arm64));
        var printed = await ConsoleCapture.RunAsync(() => GcpPlatform.Instance.WriteDeploymentAsync(app, _folder, default));

        Assert.Contains("Portable : warning PORTABLE001: Google Cloud: Echo: declares arm64, but Cloud Run runs x86_64", printed, StringComparison.Ordinal);
        Assert.Contains("- **Cannot honour** Echo: declares arm64", await File.ReadAllTextAsync(Path.Combine(_folder, "gcp-deploy.md")), StringComparison.Ordinal);
    }
}
