namespace Portable.Contracts.Otlp;

/// <summary>One HTTP/1.1 request as <see cref="LoopbackHttpServer"/> read it.</summary>
internal sealed record LoopbackRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
