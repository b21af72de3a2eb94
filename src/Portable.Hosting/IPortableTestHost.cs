namespace Portable.Hosting;

/// <summary>
/// An app running in memory for a test, as a cloud adapter's test driver needs it: the app (its catalog and clock) and the root
/// services its functions run on. Portable.Testing's <c>PortableTestHost</c> implements it, so each adapter can offer its own
/// driver (<c>host.Aws()</c>, <c>host.Gcp("Fn")</c>, <c>host.Azure()</c>) without referencing the testing package.
/// </summary>
public interface IPortableTestHost
{
    /// <summary>The app under test.</summary>
    PortableApp App { get; }

    /// <summary>The root services (singletons: repositories, queues, the notifier); a driver creates its invocations' scopes from them.</summary>
    IServiceProvider Services { get; }
}
