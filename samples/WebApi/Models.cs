using System.Text.Json.Serialization;

namespace WebApi;

/// <summary>An order.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Item">What was ordered.</param>
/// <param name="Quantity">How many.</param>
public sealed record Order(int Id, string Item, int Quantity);

/// <summary>A greeting, put on the <c>greetings</c> queue by <c>POST /greetings</c>.</summary>
/// <param name="Name">Who is greeted.</param>
public sealed record Greeting(string Name);

/// <summary>One reading of the streaming endpoint.</summary>
/// <param name="Index">Its position.</param>
/// <param name="Value">Its value.</param>
public sealed record Reading(int Index, int Value);

/// <summary>An uploaded file.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Length">Its size in bytes.</param>
public sealed record FileInfoView(string Name, long Length);

/// <summary>The app's JSON types, source-generated for Native AOT; Portable reads the queue's messages with it too.</summary>
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(Reading))]
[JsonSerializable(typeof(IAsyncEnumerable<Reading>))]
[JsonSerializable(typeof(FileInfoView))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
internal sealed partial class WebApiJson : JsonSerializerContext;
