using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Hosting;

namespace Portable.AspNetCore.Tests.Fixtures;

/// <summary>A message an endpoint puts on the queue and the queue function takes.</summary>
public sealed record Greeting(string Name);

[JsonSerializable(typeof(Greeting))]
public sealed partial class FunctionsAppJson : JsonSerializerContext;

/// <summary>A singleton of the app's own (registered on the WebApplication's services), which the function writes to: proof of one container.</summary>
public sealed class GreetingLog
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _seen = new();

    public Task<string> Seen(string name) => _seen.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Record(string name, string platform) => _seen.GetOrAdd(name, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(platform);
}

/// <summary>The queue function: records each greeting in the app's <see cref="GreetingLog"/>, with the platform it ran on.</summary>
public sealed class RecordGreeting(GreetingLog log) : IMessageHandler<Greeting>
{
    public Task HandleAsync(Greeting message, FunctionContext context, CancellationToken cancellationToken)
    {
        log.Record(message.Name, context.Platform);
        return Task.CompletedTask;
    }
}

/// <summary>
/// An ASP.NET Core app with a Portable queue function beside its endpoints: <c>POST /greet/{name}</c> takes <see cref="IQueue{T}"/>
/// from the app's container and feeds the <c>record-greeting</c> function, which writes to the app's own <see cref="GreetingLog"/>.
/// </summary>
public static class FunctionsApp
{
    public const string Function = "record-greeting";
    public const string Queue = "greetings";

    public static WebApplication Build(IPortablePlatform? platform, Action<WebApplicationBuilder>? configure = null, ILoggerProvider? logs = null, string[]? args = null, bool anonymous = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Portable:Local:InMemory"] = "true";
        builder.Configuration["Portable:Local:PollInterval"] = "00:00:00.050";
        configure?.Invoke(builder);
        builder.Services.AddSingleton<GreetingLog>();
        PortableWebApplicationBuilderExtensions.AddPortable(builder, portable =>
        {
            portable.AddJson(FunctionsAppJson.Default);
            portable.Resources.AddQueue<Greeting>(Queue);
            portable.Functions.MapQueue<RecordGreeting, Greeting>(Queue, Function);
            if (anonymous) portable.AllowAnonymous();
        }, args ?? [], platform);

        var app = builder.Build();
        app.MapPost("/greet/{name}", async (string name, IQueue<Greeting> queue, CancellationToken cancellationToken) =>
        {
            await queue.SendAsync(new Greeting(name), null, cancellationToken);
            return Results.Accepted();
        });
        app.MapGet("/ping", () => "pong");
        return app;
    }
}
