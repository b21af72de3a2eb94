namespace Portable.Hosting.Tests.Fixtures;

/// <summary>One row of the HTTP table: a request, and the function whose process serves it where a process serves one function (GCP).</summary>
public sealed record TableRequest(string Name, string Function, string Method, string Path, string? ContentType = null, string? Body = null)
{
    public override string ToString() => Name;
}
