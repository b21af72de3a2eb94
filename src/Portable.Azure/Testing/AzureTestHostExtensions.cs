using Portable.Hosting;

namespace Portable.Testing;

/// <summary>Adds the Azure driver to a test host (<c>PortableTestHost</c>).</summary>
public static class AzureTestHostExtensions
{
    /// <summary>A driver that hands custom-handler payloads to the host's functions through the Azure adapter.</summary>
    /// <param name="host">The test host.</param>
    /// <returns>The driver.</returns>
    public static AzureTestDriver Azure(this IPortableTestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new AzureTestDriver(host);
    }
}
