using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJson.Default));
builder.AddPortable();

var app = builder.Build();
app.MapGet("/hello/{name}", (string name) => $"Hello, {name}!");
app.MapPost("/double", (Item item) => item with { Count = item.Count * 2 });
app.MapGet("/events", () => TypedResults.ServerSentEvents(Events()));
await app.RunAsync();

static async IAsyncEnumerable<string> Events()
{
    yield return "a";
    await Task.Yield();
    yield return "b";
}

internal sealed record Item(string Name, int Count);

[JsonSerializable(typeof(Item))]
internal sealed partial class AppJson : JsonSerializerContext;
