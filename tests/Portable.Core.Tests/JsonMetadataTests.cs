using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary>
/// JSON metadata is resolved on first use (a cold start pays only for the function it runs), and
/// <see cref="FunctionCatalog.Validate()"/> finds a missing <c>[JsonSerializable]</c> for every function and resource at once.
/// </summary>
public sealed class JsonMetadataTests
{
    public sealed record Unlisted(string Value);

    public sealed class TakesUnlisted : IFunction<Unlisted, GreetingReply>
    {
        public Task<GreetingReply> HandleAsync(Unlisted input, FunctionContext context, CancellationToken cancellationToken)
            => Task.FromResult(new GreetingReply(input.Value));
    }

    private static PortableApp AppWithUnlistedFunction() => TestApp.Build(b => b.Functions
        .MapHttp<TakesUnlisted, Unlisted, GreetingReply>("POST /unlisted")
        .MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", name: "greet"));

    [Fact]
    public void Build_DoesNotResolveMetadata_ValidateNamesTheTypeAndTheFix()
    {
        var app = AppWithUnlistedFunction();

        var error = Assert.Throws<PortableConfigurationException>(app.Catalog.Validate);

        Assert.Contains(typeof(Unlisted).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("[JsonSerializable(typeof(Unlisted))]", error.Message, StringComparison.Ordinal);
        Assert.Contains("TakesUnlisted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateOneFunction_ChecksOnlyThatFunction()
    {
        var app = AppWithUnlistedFunction();

        FunctionCatalog.Validate(app.Catalog.Get("greet"));
        Assert.Throws<PortableConfigurationException>(() => FunctionCatalog.Validate(app.Catalog.Get("TakesUnlisted")));
    }

    [Fact]
    public async Task AFunctionWithMetadata_RunsAlthoughAnotherHasNone()
    {
        var app = TestApp.Build(b =>
        {
            b.Services.AddSingleton<Recorder>().AddScoped<ScopedProbe>();
            b.Functions
                .MapHttp<TakesUnlisted, Unlisted, GreetingReply>("POST /unlisted")
                .MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", name: "greet");
        });
        var executor = TestApp.CreateExecutor(app);
        var request = new HttpRequestData("POST", "/greet") { Body = Encoding.UTF8.GetBytes("""{"name":"Ada"}""") };
        request.Headers["Content-Type"] = "application/json";

        var response = await executor.InvokeHttpAsync(app.Catalog.Get("greet"), request, new InvocationInfo(), default);

        Assert.Equal(200, response.StatusCode);
        Assert.Throws<PortableConfigurationException>(app.Catalog.Validate);
    }

    [Fact]
    public void RepositoryWithoutMetadata_IsFoundByValidate_AndExplainedOnFirstUse()
    {
        var app = TestApp.Build(b => b.Resources.AddRepository<Unlisted>("unlisted").AddQueue<Order>("orders"));

        var error = Assert.Throws<PortableConfigurationException>(app.Catalog.Validate);
        var onUse = Assert.Throws<PortableConfigurationException>(() => app.Catalog.GetRepository<Unlisted>());

        Assert.Contains("repository 'unlisted'", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, onUse.Message);
        Assert.Equal("orders", app.Catalog.GetQueue<Order>().Name);
    }

    [Fact]
    public async Task Describe_ValidatesFirst()
    {
        var builder = PortableApp.CreateBuilder(["--describe"]);
        builder.AddJson(TestJsonContext.Default);
        builder.Functions.MapHttp<TakesUnlisted, Unlisted, GreetingReply>("POST /unlisted");

        await Assert.ThrowsAsync<PortableConfigurationException>(() => builder.Build().RunAsync());
    }
}
