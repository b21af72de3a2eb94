using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portable.AspNetCore.Tests.Fixtures;

/// <summary>A JSON body bound by the minimal API.</summary>
public sealed record OrderRequest(string Id, int Quantity);

/// <summary>
/// An ordinary minimal-API app, written as for Kestrel: a middleware, route values, model binding from a JSON body, cookies,
/// a binary download and upload, ProblemDetails from <c>UseExceptionHandler</c>, and an exception that escapes the pipeline
/// (thrown before the exception handler). The same code runs on Kestrel and, with <c>AddPortable()</c>, on the Lambda server.
/// </summary>
public static class TestApp
{
    /// <summary>The bytes 0..255 twice: every byte value, not UTF-8.</summary>
    public static readonly byte[] Binary = [.. Enumerable.Range(0, 512).Select(i => (byte)i)];

    /// <summary>The app on Kestrel (<paramref name="runtimeApi"/> null, loopback port 0) or on Lambda against a Runtime API.</summary>
    public static async Task<WebApplication> StartAsync(string? runtimeApi, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        if (runtimeApi is not null) builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        else builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPortable();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions.Remove("traceId")); // differs on every run
        builder.Services.AddScoped<RequestCounter>();

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/escape") throw new InvalidOperationException("secret-detail-that-must-not-leak");
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["X-Served-By"] = "middleware";
                return Task.CompletedTask;
            });
            await next(context);
        });
        app.UseExceptionHandler();

        app.MapMethods("/hello/{name}", ["GET", "HEAD"], (string name, string? greeting) => $"{greeting ?? "Hello"}, {name}!");
        app.MapGet("/items/{id:int}", (int id, HttpRequest request) => Results.Text($"item {id} tags {string.Join('|', request.Query["tag"].ToArray())}"));
        app.MapGet("/where", (HttpRequest request) => $"base={request.PathBase} path={request.Path} query={request.QueryString} scheme={request.Scheme}");
        app.MapGet("/headers", (HttpRequest request) => string.Join('|', request.Headers["X-Multi"].ToArray()));
        app.MapPost("/orders", (OrderRequest order) => Results.Created($"/orders/{order.Id}", new { order.Id, Total = order.Quantity * 2 }));
        app.MapGet("/cookies/set", (HttpResponse response) =>
        {
            response.Cookies.Append("session", "abc123", new CookieOptions { Path = "/", HttpOnly = true });
            response.Cookies.Append("theme", "dark");
            return "cookies set";
        });
        app.MapGet("/cookies/echo", (HttpRequest request) => string.Join(';', request.Cookies.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));
        app.MapGet("/download", () => Results.File(Binary, "application/octet-stream", "data.bin"));
        app.MapPost("/upload", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            return Results.Bytes(buffer.ToArray(), "application/octet-stream");
        });
        app.MapGet("/partial", async (HttpResponse response) =>
        {
            await response.WriteAsync("the first half, then secret-detail-that-must-not-leak");
            await response.Body.FlushAsync();
            throw new InvalidOperationException("failed after the response started");
        });
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret-detail-that-must-not-leak"));
        app.MapGet("/scoped", (RequestCounter first, RequestCounter second, HttpContext context) =>
            ReferenceEquals(first, second) && ReferenceEquals(context.RequestServices.GetRequiredService<RequestCounter>(), first) ? $"one scope {first.Id}" : "two scopes");
        app.MapGet("/invocation", (HttpContext context) =>
        {
            var invocation = context.Features.Get<ILambdaInvocationFeature>();
            return invocation is null
                ? "none"
                : $"id={invocation.RequestId} trace={context.TraceIdentifier} arn={invocation.FunctionArn} deadline={invocation.Deadline?.ToUnixTimeMilliseconds()} event={invocation.RawEvent.Length} remote={context.Connection.RemoteIpAddress}";
        });
        app.MapGet("/deadline", async (HttpContext context) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
                return "not aborted";
            }
            catch (OperationCanceledException)
            {
                return "aborted";
            }
        });

        await app.StartAsync();
        return app;
    }

    /// <summary>The Kestrel app's address.</summary>
    public static Uri Address(WebApplication app) => new(app.Urls.First());

    /// <summary>A scoped service: one instance per request.</summary>
    public sealed class RequestCounter
    {
        public Guid Id { get; } = Guid.NewGuid();
    }
}
