using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Contracts.Settings;
using Portable.Hosting.AspNetCore;

namespace Portable.Local.Tests;

/// <summary>A secret declared with <c>builder.Resources.AddSecret</c> on the local host: from user secrets or the environment, or a clear failed start.</summary>
[Collection(ProcessExitCode.Collection)]
public sealed class SecretsTests
{
    private const string Secret = "PortableLocalTestsSecret";

    /// <summary>Answers the declared secret's value from <see cref="IConfiguration"/>, as a function would use it.</summary>
    public sealed class ReadSecret(IConfiguration configuration) : IHttpFunction
    {
        public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
            => Task.FromResult(HttpResponseData.Text(200, configuration[Secret] ?? "(none)"));
    }

    [Fact]
    public async Task Get_SecretSetWithDotnetUserSecrets_ReachesTheFunctionInDevelopment()
    {
        // Where `dotnet user-secrets set` writes for a project whose UserSecretsId is this id (Portable.Core.targets passes the id to the app).
        var id = Guid.NewGuid().ToString();
        var folder = Path.Combine(Environment.GetEnvironmentVariable("HOME")!, ".microsoft", "usersecrets", id);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "secrets.json"), $$"""{ "{{Secret}}": "from user secrets" }""");
        AppContext.SetData("Portable.UserSecretsId", id);
        try
        {
            var app = Build(args: ["--platform", "local"]); // as the local host runs: the Development environment
            Assert.Equal("Development", app.Environment.EnvironmentName);

            Assert.Equal("from user secrets", await GetAsync(app));
        }
        finally
        {
            AppContext.SetData("Portable.UserSecretsId", null);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Get_SecretSetAsAnEnvironmentVariable_ReachesTheFunction()
    {
        Environment.SetEnvironmentVariable(Secret, "from the environment");
        try
        {
            Assert.Equal("from the environment", await GetAsync(Build()));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Secret, null);
        }
    }

    [Fact]
    public async Task Run_DeclaredSecretWithoutAValue_LogsOneCriticalLineNamingItAndExitsOne()
    {
        var logs = new LineCapture();
        var web = LocalHost.Build(Build("PortableLocalTestsMissingSecret"), w => w.Logging.AddProvider(logs), Fast);
        try
        {
            await KestrelHost.RunAsync(web, (_, _) => Assert.Fail("The host must not start."), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(1, Environment.ExitCode);
            var critical = Assert.Single(logs.Lines, l => l.Level == LogLevel.Critical);
            Assert.Contains("'PortableLocalTestsMissingSecret'", critical.Message, StringComparison.Ordinal);
            Assert.Contains("dotnet user-secrets set PortableLocalTestsMissingSecret VALUE", critical.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    private static async Task<string> GetAsync(PortableApp app)
    {
        await using var web = LocalHost.Build(app, configureOptions: Fast);
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        var response = await client.GetAsync("/secret");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        await web.StopAsync();
        return text;
    }

    private static PortableApp Build(string secret = Secret, string[]? args = null)
    {
        var builder = PortableApp.CreateBuilder(args ?? []);
        builder.AppName = "local-secrets";
        builder.Resources.AddSecret(secret);
        builder.Functions.MapHttp<ReadSecret>("GET /secret", name: "ReadSecret");
        return builder.Build();
    }

    private static void Fast(LocalOptions o)
    {
        o.Port = 0;
        o.InMemory = true;
        o.RunSchedules = false;
    }
}
