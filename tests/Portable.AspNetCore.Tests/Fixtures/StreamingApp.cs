using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portable.AspNetCore.Tests.Fixtures;

/// <summary>
/// An app that streams, written as for Kestrel: <c>Response.Body</c> writes with flushes, server-sent events, an
/// <c>IAsyncEnumerable</c> result, cookies, a failure after the response started and one before. The streaming endpoints
/// wait on a <see cref="Gate"/> between their first and second part, which the test opens once it has seen the first.
/// </summary>
public static class StreamingApp
{
    /// <summary>The app on Lambda against a Runtime API, with <c>Portable:Lambda:ResponseStreaming</c> set to <paramref name="streaming"/> (null: not set).</summary>
    public static async Task<WebApplication> StartAsync(string runtimeApi, string? streaming, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        if (streaming is not null) builder.Configuration["Portable:Lambda:ResponseStreaming"] = streaming;
        builder.AddPortable();
        builder.Services.AddSingleton<Gate>();

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["X-Started"] = "on-starting";
                return Task.CompletedTask;
            });
            await next(context);
        });

        app.MapGet("/stream/body", async (HttpContext context, Gate gate) =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("first\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await gate.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("second\n", context.RequestAborted);
        });
        app.MapGet("/stream/sse", (Gate gate, CancellationToken token) => TypedResults.ServerSentEvents(Events(gate, token)));
        app.MapGet("/stream/items", (Gate gate, CancellationToken token) => Items(gate, token));
        app.MapGet("/stream/cookies", (HttpResponse response) =>
        {
            response.Cookies.Append("session", "abc123", new CookieOptions { Path = "/", HttpOnly = true });
            response.Cookies.Append("theme", "dark");
            response.Headers["X-Custom"] = "yes";
            return Results.Text("with cookies", "text/plain");
        });
        app.MapGet("/stream/fail", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("partial", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            throw new InvalidOperationException("failed after the response started");
        });
        app.MapGet("/stream/fail-early", string () => throw new InvalidOperationException("secret-detail-that-must-not-leak"));

        await app.StartAsync();
        return app;
    }

    private static async IAsyncEnumerable<string> Events(Gate gate, [EnumeratorCancellation] CancellationToken token)
    {
        yield return "one";
        await gate.WaitAsync(token);
        yield return "two";
    }

    private static async IAsyncEnumerable<int> Items(Gate gate, [EnumeratorCancellation] CancellationToken token)
    {
        yield return 1;
        await gate.WaitAsync(token);
        yield return 2;
    }

    /// <summary>Holds a streaming endpoint between its two parts until the test opens it; <see cref="Reset"/> closes it again.</summary>
    public sealed class Gate
    {
        private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WaitAsync(CancellationToken token) => Volatile.Read(ref _open).Task.WaitAsync(token);

        public void Open() => Volatile.Read(ref _open).TrySetResult();

        public void Reset() => Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
