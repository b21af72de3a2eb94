using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>The issue's acceptance, tried on the real artefact: <c>dotnet publish samples/Orders -r linux-x64 -p:PortableTarget=aws</c>, then its <c>bootstrap</c> against an in-test Runtime API.</summary>
public sealed class PublishedBootstrapTests(PublishedBootstrap published) : IClassFixture<PublishedBootstrap>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public void Publish_IsNativeWithoutAotWarnings_AndWritesBootstrapZipWithItsSettingsAndTemplate()
    {
        Assert.True(published.ExitCode == 0, published.Log);
        Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), published.Log);
        Assert.True(File.Exists(published.Bootstrap), published.Log);
        Assert.False(File.Exists(Path.Combine(published.Output, "Orders.dll")), "The publish is not native: Orders.dll is there.");
        if (!OperatingSystem.IsWindows()) Assert.NotEqual(UnixFileMode.None, File.GetUnixFileMode(published.Bootstrap) & UnixFileMode.UserExecute);

        using var zip = ZipFile.OpenRead(Path.Combine(published.Output, "Orders.zip"));
        Assert.Equal(["appsettings.json", "bootstrap"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal)); // the settings are read beside bootstrap
        var entry = zip.GetEntry("bootstrap")!;
        Assert.Equal(0b111_101_101, (entry.ExternalAttributes >> 16) & 0b111_111_111);

        var template = SamYaml.Load(File.ReadAllText(Path.Combine(published.Output, "template.yaml"))).Map("Resources");
        foreach (var function in AwsEmulators.App(OrdersApp.Configure).Catalog.Functions)
        {
            Assert.Equal(function.Name, template.Map(function.Name + "Function").Map("Properties").Text("Handler"));
        }
    }

    [Fact]
    public void AwsOutput_CarriesNoLocalGcpOrAzureAdapter()
    {
        Assert.True(published.ExitCode == 0, published.Log);
        var binary = File.ReadAllBytes(published.Bootstrap);
        Assert.True(binary.AsSpan().IndexOf("Portable.Aws"u8) >= 0, "the AWS adapter should be in the binary");
        Assert.True(binary.AsSpan().IndexOf("Portable.Local"u8) < 0, "the local adapter is in the AWS binary");
        Assert.True(binary.AsSpan().IndexOf("Portable.Gcp"u8) < 0, "the GCP adapter is in the AWS binary");
        Assert.True(binary.AsSpan().IndexOf("Portable.Azure"u8) < 0, "the Azure adapter is in the AWS binary");
        Assert.Empty(Directory.GetFiles(published.Output, "Portable.Local*"));
    }

    [Fact]
    public async Task Bootstrap_AnswersHello_ErrorsOnAnEventThatIsNotJson_AndAnswersTheNextEvent()
    {
        Assert.True(published.ExitCode == 0, published.Log);
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = published.Start(api.Address, "Hello");
        try
        {
            var hello = await api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Ada")).WaitAsync(Wait);
            var bad = await api.Enqueue("not json at all").WaitAsync(Wait);
            var next = await api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Grace")).WaitAsync(Wait);

            Assert.Equal("response", hello.Kind);
            Assert.Equal(200, TestEvents.Parse(hello.Body).GetProperty("statusCode").GetInt32());
            Assert.Contains("Ada", TestEvents.Parse(hello.Body).GetProperty("body").GetString(), StringComparison.Ordinal);
            Assert.Equal("error", bad.Kind);
            Assert.Equal("response", next.Kind);
            Assert.Contains("Grace", next.Body, StringComparison.Ordinal);
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Bootstrap_WithAnUnknownHandler_PostsInitErrorAndExitsNonZero()
    {
        Assert.True(published.ExitCode == 0, published.Log);
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = published.Start(api.Address, "NoSuchFunction");

        var init = await api.InitError.WaitAsync(Wait);
        await process.WaitForExitAsync().WaitAsync(Wait);

        Assert.Contains("NoSuchFunction", init.Body, StringComparison.Ordinal);
        Assert.NotEqual(0, process.ExitCode);
    }

    [Fact]
    public async Task Bootstrap_WithAnSqsEventWhoseSecondRecordFails_ReturnsExactlyThatMessageId()
    {
        Assert.True(published.ExitCode == 0, published.Log);
        var table = AwsEmulators.Unique("orders");
        var environment = new Dictionary<string, string> { ["PORTABLE_TABLE_ORDERS"] = table };
        await using (var services = AwsEmulators.Services(AwsEmulators.App(OrdersApp.Configure), environment))
        {
            await AwsEmulators.CreateTableAsync(AwsEmulators.Dynamo, table);
            var orders = services.GetRequiredService<IRepository<Order>>();
            foreach (var id in new[] { "o-1", "o-3" })
            {
                await orders.PutAsync(id, new Order(id, "c-1", [new OrderItem("A", 1, 1m)], 1m, OrderStatus.Confirmed, DateTimeOffset.UtcNow), ExpectedVersion.None, default);
            }
        }

        foreach (var name in new[] { "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_SNS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION" })
        {
            environment[name] = Environment.GetEnvironmentVariable(name)!;
        }

        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = published.Start(api.Address, "SendConfirmation", environment);
        try
        {
            var outcome = await api.Enqueue(TestEvents.Sqs([
                ("msg-1", "{\"orderId\":\"o-1\"}", 1),
                ("msg-2", "{\"orderId\":\"o-2\"}", 1),
                ("msg-3", "{\"orderId\":\"o-3\"}", 1)])).WaitAsync(Wait);

            Assert.Equal("response", outcome.Kind);
            Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"msg-2\"}]}", outcome.Body);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
