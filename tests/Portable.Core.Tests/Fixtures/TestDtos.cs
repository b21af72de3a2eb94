namespace Portable.Core.Tests.Fixtures;

public sealed record Greeting(string Name);

public sealed record GreetingReply(string Message);

public sealed record OrderPlaced(string OrderId, decimal Amount);

public sealed record Order(string Id, string Customer);

public sealed record Invoice(string Number);

/// <summary>Deliberately absent from <see cref="TestJsonContext"/>.</summary>
public sealed record UnregisteredRequest(string Value);
