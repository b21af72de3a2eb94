namespace Portable.OpenTelemetry.Tests;

/// <summary>
/// Tests that start process-wide activity or meter listeners run one at a time: a listener sees every source in the process, so a
/// parallel test's HttpClient calls or spans would land in another test's receiver.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ListenerCollection
{
    public const string Name = "Process-wide telemetry listeners";
}
