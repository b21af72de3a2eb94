namespace Portable.Hosting.TestApp;

/// <summary>What <see cref="Echo"/> answers.</summary>
/// <param name="Text">The text it was given.</param>
public sealed record EchoResponse(string Text);
