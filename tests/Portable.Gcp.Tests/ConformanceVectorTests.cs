using Portable.Testing;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// The 17 conformance events in every direction the conformance client tries, through the GCP driver (the adapter's own
/// request handling): what a cloudevent function and a legacy (signature type event) function receive.
/// </summary>
public sealed class ConformanceVectorTests
{
    public static IEnumerable<object[]> Names => Vectors.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task CloudEventFunction_GivenBinaryCloudEvent_ReceivesItUnchanged(string name)
    {
        var received = await SendToCloudEventFunction(name, d => d.SendCloudEventAsync(Vectors.Conformance($"{name}-cloudevent-input.json"), binary: true));
        Vectors.AssertSameCloudEvent(Vectors.Parse(Vectors.Conformance($"{name}-cloudevent-input.json")), received);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task CloudEventFunction_GivenStructuredCloudEvent_ReceivesItUnchanged(string name)
    {
        var received = await SendToCloudEventFunction(name, d => d.SendCloudEventAsync(Vectors.Conformance($"{name}-cloudevent-input.json"), binary: false));
        Vectors.AssertSameCloudEvent(Vectors.Parse(Vectors.Conformance($"{name}-cloudevent-input.json")), received);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task CloudEventFunction_GivenLegacyEvent_ReceivesTheConvertedCloudEvent(string name)
    {
        var received = await SendToCloudEventFunction(name, d => d.SendLegacyEventAsync(Vectors.Conformance($"{name}-legacy-input.json")));
        Vectors.AssertSameCloudEvent(Vectors.Parse(Vectors.Conformance($"{name}-cloudevent-output.json")), received);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task LegacyFunction_GivenLegacyEvent_ReceivesDataAndContext(string name)
    {
        var received = await SendToLegacyFunction(d => d.SendLegacyEventAsync(Vectors.Conformance($"{name}-legacy-input.json")));
        Vectors.AssertSameLegacyEvent(Vectors.Parse(Vectors.Conformance($"{name}-legacy-output.json")), received);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task LegacyFunction_GivenCloudEvent_ReceivesItConvertedBack(string name)
    {
        var received = await SendToLegacyFunction(d => d.SendCloudEventAsync(Vectors.Conformance($"{name}-cloudevent-input.json"), binary: true));
        var expectedFile = File.Exists(Path.Combine(AppContext.BaseDirectory, "TestData", "conformance", $"{name}-legacy-output-converted.json"))
            ? $"{name}-legacy-output-converted.json"
            : $"{name}-legacy-output.json";
        Vectors.AssertSameLegacyEvent(Vectors.Parse(Vectors.Conformance(expectedFile)), received);
    }

    private static async Task<CloudEvent> SendToCloudEventFunction(string name, Func<GcpTestDriver, Task<HttpResponseData>> send)
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await send(host.Gcp("cloudevent", "cloudevent"));
        Assert.True(response.StatusCode == 200, $"{name}: {response.StatusCode} {System.Text.Encoding.UTF8.GetString(response.Body.Span)}");
        return Assert.Single(recorder.Events);
    }

    private static async Task<LegacyEvent> SendToLegacyFunction(Func<GcpTestDriver, Task<HttpResponseData>> send)
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await send(host.Gcp("legacyevent", "event"));
        Assert.True(response.StatusCode == 200, $"{response.StatusCode} {System.Text.Encoding.UTF8.GetString(response.Body.Span)}");
        return Assert.Single(recorder.LegacyEvents);
    }
}
