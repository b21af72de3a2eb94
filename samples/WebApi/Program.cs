using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portable;
using WebApi;

var builder = WebApplication.CreateBuilder(args);
// The one line: on Lambda, Cloud Run, Azure Functions or this machine, with the queue function beside the endpoints.
builder.AddPortable(portable =>
{
    portable.AddJson(WebApiJson.Default);
    portable.Resources.AddQueue<Greeting>("greetings");
    portable.Functions.MapQueue<RecordGreeting, Greeting>("greetings", "record-greeting");
});

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebApiJson.Default));
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddAuthentication(BearerTokenHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
builder.Services.AddAuthorization();
builder.Services.AddSingleton<FileStore>();
builder.Services.AddSingleton<GreetingBook>();
#if WITH_CONTROLLERS
builder.Services.AddControllers();
#endif

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<ServedByMiddleware>();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi(); // /openapi/v1.json
#if WITH_CONTROLLERS
app.MapControllers();
#endif

app.MapGet("/", () => "WebApi on Portable");
app.MapGet("/hello/{name}", (string name, string? greeting) => $"{greeting ?? "Hello"}, {name}!");
app.MapGet("/orders/{id:int}", Results<Ok<Order>, ProblemHttpResult> (int id) => id == 42
    ? TypedResults.Ok(new Order(42, "towel", 1))
    : TypedResults.Problem($"No order {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not Found"));
app.MapPost("/orders", Results<Created<Order>, ValidationProblem> (Order order) => order.Quantity > 0
    ? TypedResults.Created($"/orders/{order.Id}", order)
    : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["quantity"] = ["Must be at least 1."] }));
app.MapGet("/boom", string () => throw new InvalidOperationException("The details stay in the log, never in the answer."));
app.MapGet("/secret", (HttpContext context) => $"Hello, {context.User.Identity?.Name}.").RequireAuthorization();
app.MapPost("/login", (HttpResponse response) =>
{
    response.Cookies.Append("session", "s-123", new CookieOptions { HttpOnly = true, Path = "/" });
    return TypedResults.NoContent();
});

// A file upload (the raw body, any bytes) and its download, byte for byte.
app.MapPut("/files/{name}", async (string name, HttpRequest request, FileStore files, CancellationToken cancellationToken) =>
{
    using var buffer = new MemoryStream();
    await request.Body.CopyToAsync(buffer, cancellationToken);
    files.Put(name, buffer.ToArray(), request.ContentType ?? "application/octet-stream");
    return TypedResults.Created($"/files/{name}", new FileInfoView(name, buffer.Length));
});
app.MapGet("/files/{name}", Results<FileContentHttpResult, NotFound> (string name, FileStore files)
    => files.Get(name) is { } file ? TypedResults.File(file.Bytes, file.ContentType) : TypedResults.NotFound());

// A streaming endpoint: each reading is written as it is produced.
app.MapGet("/readings", (int? count, CancellationToken cancellationToken) => Readings(count ?? 5, cancellationToken));

// An endpoint that feeds the Portable queue function, and what the function has recorded.
app.MapPost("/greetings", async (Greeting greeting, [FromServices] IQueue<Greeting> queue, CancellationToken cancellationToken) =>
{
    await queue.SendAsync(greeting, null, cancellationToken);
    return TypedResults.Accepted("/greetings");
});
app.MapGet("/greetings", (GreetingBook book) => book.Names);

await app.RunAsync();

static async IAsyncEnumerable<Reading> Readings(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
{
    for (var i = 1; i <= Math.Clamp(count, 0, 100); i++)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new Reading(i, i * i);
    }
}
