using Portable.Hosting;

namespace Portable.Testing;

/// <summary>The AWS driver of a test host (<c>PortableTestHost</c>).</summary>
public static class AwsTestHostExtensions
{
    /// <summary>A driver that hands AWS Lambda events to the host's functions through the AWS adapter.</summary>
    /// <param name="host">The test host.</param>
    /// <returns>The driver.</returns>
    public static AwsDriver Aws(this IPortableTestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new AwsDriver(host);
    }
}
