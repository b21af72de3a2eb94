namespace Portable.Contracts.Otlp;

/// <summary>What <see cref="LoopbackHttpServer"/> writes back for one request.</summary>
internal sealed record LoopbackResponse(int Status, string ContentType, byte[] Body, string? Allow = null);
