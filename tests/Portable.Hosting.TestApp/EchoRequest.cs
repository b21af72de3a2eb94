namespace Portable.Hosting.TestApp;

/// <summary>What <see cref="Echo"/> reads.</summary>
/// <param name="Text">The text to echo; required and not empty.</param>
public sealed record EchoRequest(string? Text);
