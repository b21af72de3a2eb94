using Portable.Hosting;

namespace Portable.Testing;

/// <summary>Drives the functions of a test host (<c>PortableTestHost</c>) through the GCP adapter.</summary>
public static class GcpTestHostExtensions
{
    /// <summary>A driver that sends Cloud Run functions payloads to one function, in memory.</summary>
    /// <param name="host">The test host.</param>
    /// <param name="functionName">The function, as <c>FUNCTION_TARGET</c> would name it.</param>
    /// <param name="signatureType">The <c>FUNCTION_SIGNATURE_TYPE</c> (http, event, cloudevent, typed), or null.</param>
    /// <returns>The driver.</returns>
    public static GcpTestDriver Gcp(this IPortableTestHost host, string functionName, string? signatureType = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        return new GcpTestDriver(host, functionName, signatureType);
    }
}
