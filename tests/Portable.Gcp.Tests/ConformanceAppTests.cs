using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// The conformance app as its own process, started the way Google's conformance client starts it
/// (FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE, PORT), sent what the client sends, compared the way it compares.
/// </summary>
[Collection("processes")]
public sealed class ConformanceAppTests
{
    [Fact]
    public async Task Http_WritesTheRequestBody_AndAnswers200()
    {
        using var app = await ConformanceProcess.StartConformanceAsync("http", "http");
        var response = await app.Client.PostAsync("/", new StringContent("""{"res":"PASS"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"res":"PASS"}""", await File.ReadAllTextAsync(app.OutputFile));
    }

    [Fact]
    public async Task CloudEvent_GivenEveryBinaryInput_WritesItUnchanged_AndEveryLegacyInput_Converted()
    {
        using var app = await ConformanceProcess.StartConformanceAsync("cloudevent", "cloudevent");
        foreach (var name in Vectors.ConformanceEvents)
        {
            var input = Vectors.Parse(Vectors.Conformance($"{name}-cloudevent-input.json"));
            Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(BinaryRequest(input))).StatusCode);
            AssertWrittenCloudEvent(input, await File.ReadAllTextAsync(app.OutputFile));

            var legacy = new StringContent(Vectors.Conformance($"{name}-legacy-input.json"), Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync("/", legacy)).StatusCode);
            AssertWrittenCloudEvent(Vectors.Parse(Vectors.Conformance($"{name}-cloudevent-output.json")), await File.ReadAllTextAsync(app.OutputFile));
        }
    }

    [Fact]
    public async Task LegacyEvent_GivenEveryLegacyInput_WritesDataAndContext_AndEveryCloudEvent_Converted()
    {
        using var app = await ConformanceProcess.StartConformanceAsync("legacyevent", "event");
        foreach (var name in Vectors.ConformanceEvents)
        {
            var legacy = new StringContent(Vectors.Conformance($"{name}-legacy-input.json"), Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync("/", legacy)).StatusCode);
            AssertWrittenLegacyEvent(Vectors.Parse(Vectors.Conformance($"{name}-legacy-output.json")), await File.ReadAllTextAsync(app.OutputFile));

            var input = Vectors.Parse(Vectors.Conformance($"{name}-cloudevent-input.json"));
            Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(BinaryRequest(input))).StatusCode);
            var converted = name == "legacy_pubsub" ? "legacy_pubsub-legacy-output-converted.json" : $"{name}-legacy-output.json";
            AssertWrittenLegacyEvent(Vectors.Parse(Vectors.Conformance(converted)), await File.ReadAllTextAsync(app.OutputFile));
        }
    }

    [Fact]
    public async Task Typed_AnswersThePayload()
    {
        using var app = await ConformanceProcess.StartConformanceAsync("typed", "typed");
        var response = await app.Client.PostAsync("/", new StringContent("""{"message":"Hello world!"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Vectors.AssertJsonEqual(Vectors.Parse("""{"payload":{"message":"Hello world!"}}"""), Vectors.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Concurrent_AnswersOverlappingRequests_AndSigtermDrainsThemBeforeExit()
    {
        using var app = await ConformanceProcess.StartConformanceAsync("concurrent", "http");
        var requests = Enumerable.Range(0, 4).Select(_ => app.Client.PostAsync("/", new StringContent("""{"data": "hello"}""", Encoding.UTF8, "application/json"))).ToList();
        await Task.Delay(300);
        Assert.True(app.Terminate(), "The app did not exit after SIGTERM.");
        foreach (var request in requests) Assert.Equal(HttpStatusCode.OK, (await request).StatusCode);
        Assert.Equal(0, app.ExitCode);
    }

    private static HttpRequestMessage BinaryRequest(JsonElement cloudEvent)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/");
        foreach (var property in cloudEvent.EnumerateObject())
        {
            if (property.Name == "data")
            {
                request.Content = new StringContent(property.Value.GetRawText(), Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(cloudEvent.GetProperty("datacontenttype").GetString()!);
            }
            else if (property.Name != "datacontenttype")
            {
                request.Headers.Add("ce-" + property.Name, property.Value.GetString());
            }
        }

        return request;
    }

    private static void AssertWrittenCloudEvent(JsonElement expected, string written)
    {
        var actual = Vectors.Parse(written);
        foreach (var field in new[] { "id", "source", "type", "datacontenttype" })
            Assert.Equal(expected.GetProperty(field).GetString(), actual.GetProperty(field).GetString());
        Assert.Equal(expected.TryGetProperty("subject", out var s) ? s.GetString() : null, actual.TryGetProperty("subject", out var a) ? a.GetString() : null);
        Assert.Equal(DateTimeOffset.Parse(expected.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(actual.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("Z", actual.GetProperty("time").GetString()!, StringComparison.Ordinal);
        Vectors.AssertJsonEqual(expected.GetProperty("data"), actual.GetProperty("data"));
    }

    private static void AssertWrittenLegacyEvent(JsonElement expected, string written)
    {
        var actual = Vectors.Parse(written);
        var context = actual.GetProperty("context");
        Vectors.AssertSameLegacyEvent(expected, new LegacyEvent(actual.GetProperty("data"), new LegacyEventContext(
            context.GetProperty("eventId").GetString()!, context.GetProperty("timestamp").GetString(), context.GetProperty("eventType").GetString()!, context.GetProperty("resource"))));
    }
}
