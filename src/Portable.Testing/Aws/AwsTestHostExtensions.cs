namespace Portable.Testing;

/// <summary>The AWS driver of <see cref="PortableTestHost"/>.</summary>
public static class AwsTestHostExtensions
{
    /// <summary>A driver that hands AWS Lambda events to the host's functions through the AWS adapter.</summary>
    /// <param name="host">The test host.</param>
    /// <returns>The driver.</returns>
    public static AwsDriver Aws(this PortableTestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new AwsDriver(host);
    }
}
