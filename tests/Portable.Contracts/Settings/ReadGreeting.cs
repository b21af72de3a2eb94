using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Portable.Contracts.Settings;

/// <summary>What <see cref="ReadGreeting"/> saw: the bound options, the same keys read from <see cref="IConfiguration"/>, and the environment.</summary>
public sealed record GreetingView(string? Text, string? Suffix, string? ConfiguredText, string? ConfiguredSuffix, string? Environment);

/// <summary>The JSON metadata of <see cref="GreetingView"/>.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GreetingView))]
public sealed partial class SettingsJson : JsonSerializerContext;

/// <summary><c>GET /greeting</c>: answers the settings it was given through <see cref="IOptions{TOptions}"/> and <see cref="IConfiguration"/> from DI.</summary>
/// <param name="options">The bound options.</param>
/// <param name="configuration">The app's configuration.</param>
/// <param name="environment">The app's environment.</param>
public sealed class ReadGreeting(IOptions<GreetingOptions> options, IConfiguration configuration, IHostEnvironment environment) : IHttpFunction
{
    /// <inheritdoc />
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        var view = new GreetingView(
            options.Value.Text,
            options.Value.Suffix,
            configuration[SettingsApp.Section + ":Text"],
            configuration[SettingsApp.Section + ":Suffix"],
            environment.EnvironmentName);
        return Task.FromResult(HttpResponseData.Json(200, view, SettingsJson.Default.GreetingView));
    }
}
