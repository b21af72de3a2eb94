using Orders;
using Portable.Gcp.Tests.Fixtures;
using Portable.Hosting;
using static Portable.Gcp.Tests.Fixtures.RecordingGcloud;

namespace Portable.Gcp.Tests;

/// <summary>
/// Issue #13's GCP acceptance on the real artefact: the deploy.sh that <c>dotnet publish samples/Orders -c Release -r linux-x64
/// -p:PortableTarget=gcp</c> writes (test.sh publishes it into artifacts/published/gcp before the suites), checked with shellcheck
/// and run against a recording stand-in for gcloud, first on an empty project, then on one where everything exists.
/// </summary>
public sealed class PublishedDeployScriptTests
{
    private const string Invoker = "serviceAccount:orders-invoker@demo-project.iam.gserviceaccount.com";

    private static async Task<string> ScriptAsync() => Path.Combine(Path.GetDirectoryName(await PublishedOrders.GetAsync())!, "deploy.sh");

    private static FunctionCatalog Catalog()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        return builder.Build().Catalog;
    }

    private static string Account(string function) => $"orders-{function.ToLowerInvariant()}@demo-project.iam.gserviceaccount.com";

    [Fact]
    public async Task PublishedDeployScript_PassesShellcheck_AndIsExecutable()
    {
        var script = await ScriptAsync();
        var (exit, output) = await Shellcheck.RunAsync(script);

        Assert.True(exit == 0, output);
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("deploy.sh is a bash script for Linux and macOS.");
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute));
        Assert.StartsWith("#!/usr/bin/env bash\n", await File.ReadAllTextAsync(script), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstRun_BuildsOnce_AndDeploysOneServicePerFunction_WithItsTargetAccountAndSettings()
    {
        var run = await RunAsync(await ScriptAsync(), present: "");
        Assert.True(run.ExitCode == 0, run.Describe);

        var build = Assert.Single(run.Of("builds submit"));
        var image = Flag(build, "--tag")!;
        Assert.StartsWith("europe-west1-docker.pkg.dev/demo-project/portable/orders:", image, StringComparison.Ordinal);
        var deploys = run.Of("run deploy");
        var catalog = Catalog();
        Assert.Equal(catalog.Functions.Count, deploys.Count);
        foreach (var function in catalog.Functions)
        {
            var deploy = Assert.Single(deploys, d => Flag(d, "--set-env-vars")!.StartsWith($"FUNCTION_TARGET={function.Name},", StringComparison.Ordinal));
            Assert.Equal("orders-" + function.Name.ToLowerInvariant(), deploy[2]);
            Assert.Equal(image, Flag(deploy, "--image"));
            Assert.Equal(Account(function.Name), Flag(deploy, "--service-account"));
            Assert.Equal($"FUNCTION_TARGET={function.Name},GOOGLE_CLOUD_PROJECT=demo-project,DOTNET_ENVIRONMENT=Production", Flag(deploy, "--set-env-vars"));
            Assert.Equal(($"{function.Settings.MemoryMb}Mi", $"{(int)function.Settings.Timeout.TotalSeconds}"), (Flag(deploy, "--memory"), Flag(deploy, "--timeout")));
            Assert.Contains(run.Of("iam service-accounts create"), c => c[3] == "orders-" + function.Name.ToLowerInvariant());
        }
    }

    [Fact]
    public async Task OnlyAnonymousFunctions_AllowUnauthenticatedCalls_TheTriggeredOnesAreCalledByTheInvoker()
    {
        var run = await RunAsync(await ScriptAsync(), present: "");
        Assert.True(run.ExitCode == 0, run.Describe);

        var deploys = run.Of("run deploy");
        Assert.Equal(["orders-hello"], deploys.Where(d => d.Contains("--allow-unauthenticated")).Select(d => d[2]));
        Assert.All(deploys.Where(d => d[2] != "orders-hello"), d => Assert.Contains("--no-allow-unauthenticated", d));
        Assert.Equal(["orders-auditconfirmation", "orders-expireunconfirmed", "orders-importorders", "orders-sendconfirmation"],
            run.Of("run services add-iam-policy-binding").Where(b => Flag(b, "--member") == Invoker && Flag(b, "--role") == "roles/run.invoker").Select(b => b[3]).Order());
        Assert.DoesNotContain(run.Calls, c => c.Contains("allUsers"));
    }

    [Fact]
    public async Task EachQueueAndTopicFunction_GetsAnOidcPushSubscription_WithADeadLetterTopicTheServiceAgentMayUse()
    {
        var run = await RunAsync(await ScriptAsync(), present: "");
        Assert.True(run.ExitCode == 0, run.Describe);

        var topics = run.Of("pubsub topics create").Select(c => c[3]).ToList();
        Assert.Equal(["order-confirmations", "order-placed", "orders-auditconfirmation-dead-letter", "orders-sendconfirmation-dead-letter"], topics.Order());
        const string agent = "serviceAccount:service-" + ProjectNumber + "@gcp-sa-pubsub.iam.gserviceaccount.com";
        foreach (var (service, topic) in new[] { ("orders-sendconfirmation", "order-placed"), ("orders-auditconfirmation", "order-confirmations") })
        {
            var push = Assert.Single(run.Of("pubsub subscriptions create"), c => c[3] == service);
            var url = $"https://{service}-stub.a.run.app";
            Assert.Equal(topic, Flag(push, "--topic"));
            Assert.Equal($"{url}/projects/demo-project/topics/{topic}", Flag(push, "--push-endpoint"));
            Assert.Equal(("orders-invoker@demo-project.iam.gserviceaccount.com", url), (Flag(push, "--push-auth-service-account"), Flag(push, "--push-auth-token-audience")));
            Assert.Equal((service + "-dead-letter", "5", "10s", "600s"),
                (Flag(push, "--dead-letter-topic"), Flag(push, "--max-delivery-attempts"), Flag(push, "--min-retry-delay"), Flag(push, "--max-retry-delay")));
            Assert.Contains(run.Of("pubsub subscriptions create"), c => c[3] == service + "-dead-letter" && Flag(c, "--topic") == service + "-dead-letter");
            Assert.Contains(run.Of("pubsub topics add-iam-policy-binding"), b => b[3] == service + "-dead-letter" && Flag(b, "--member") == agent && Flag(b, "--role") == "roles/pubsub.publisher");
            Assert.Contains(run.Of("pubsub subscriptions add-iam-policy-binding"), b => b[3] == service && Flag(b, "--member") == agent && Flag(b, "--role") == "roles/pubsub.subscriber");
        }
    }

    [Fact]
    public async Task EachScheduleFunction_GetsASchedulerJob_WithOidc()
    {
        var run = await RunAsync(await ScriptAsync(), present: "");
        Assert.True(run.ExitCode == 0, run.Describe);

        var job = Assert.Single(run.Of("scheduler jobs create http"));
        Assert.Equal("orders-expireunconfirmed", job[4]);
        Assert.Equal(("*/5 * * * *", "UTC", "https://orders-expireunconfirmed-stub.a.run.app/", "POST"),
            (Flag(job, "--schedule"), Flag(job, "--time-zone"), Flag(job, "--uri"), Flag(job, "--http-method")));
        Assert.Equal(("orders-invoker@demo-project.iam.gserviceaccount.com", "https://orders-expireunconfirmed-stub.a.run.app"),
            (Flag(job, "--oidc-service-account-email"), Flag(job, "--oidc-token-audience")));
    }

    [Fact]
    public async Task EachFunctionsAccount_GetsRolesOnWhatItUses_AndNothingElse()
    {
        var run = await RunAsync(await ScriptAsync(), present: "");
        Assert.True(run.ExitCode == 0, run.Describe);

        List<string> Roles(string function) => run.Calls
            .Where(c => c.Contains("add-iam-policy-binding") && Flag(c, "--member") == "serviceAccount:" + Account(function))
            .Select(c => $"{Flag(c, "--role")} on {(c[0] == "projects" ? "project" : c[3])}").Order().ToList();
        Assert.Empty(Roles("Hello"));
        // A function with a bucket may sign URLs as itself (signBlob): the token creator role on its own account, not the project.
        Assert.Equal(["roles/datastore.user on project", $"roles/iam.serviceAccountTokenCreator on {Account("GetOrder")}", "roles/storage.objectUser on gs://demo-project-receipts"], Roles("GetOrder"));
        Assert.Equal(["roles/datastore.user on project"], Roles("ListOrders"));
        Assert.Equal(["roles/datastore.user on project", "roles/pubsub.publisher on order-placed"], Roles("PlaceOrder"));
        foreach (var function in Catalog().Functions)
        {
            var expected = function.Uses.Repositories.Count > 0 ? 1 : 0;
            expected += function.Uses.Queues.Concat(function.Uses.Topics).Distinct().Count() + function.Uses.Buckets.Count + (function.Uses.Buckets.Count > 0 ? 1 : 0);
            Assert.Equal(expected, Roles(function.Name).Count);
        }
    }

    [Fact]
    public async Task SecondRun_WhereEverythingExists_CreatesNothing_AndUpdatesSubscriptionsAndJobsInPlace()
    {
        var script = await ScriptAsync();
        var run = await RunAsync(script, present: "all");
        Assert.True(run.ExitCode == 0, run.Describe);

        Assert.DoesNotContain(run.Calls, c => c.Contains("create"));
        Assert.Equal(["orders-auditconfirmation", "orders-sendconfirmation"], run.Of("pubsub subscriptions update").Select(c => c[3]).Order());
        Assert.Single(run.Of("scheduler jobs update http"));
        Assert.Equal(Catalog().Functions.Count, run.Of("run deploy").Count);
        Assert.Single(run.Of("builds submit"));
    }

    [Fact]
    public async Task PublishedGuide_ExplainsTheScript_AndSaysNothingRanAgainstGoogleCloud()
    {
        var guide = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(await ScriptAsync())!, "gcp-deploy.md"));

        Assert.Contains("```sh\nPROJECT=my-project REGION=europe-west1 bash deploy.sh\n```", guide, StringComparison.Ordinal);
        Assert.Contains("Nothing here ran against Google Cloud", guide, StringComparison.Ordinal);
        Assert.Contains("| Hello | `http GET /hello` | `orders-hello` | `orders-hello` | public (`--allow-unauthenticated`) | none |", guide, StringComparison.Ordinal);
        Assert.Contains("Firestore has no per-collection IAM", guide, StringComparison.Ordinal);
        Assert.Contains("order-placed: delayed sends (SendOptions.Delay) are not supported on Pub/Sub", guide, StringComparison.Ordinal);
    }
}
