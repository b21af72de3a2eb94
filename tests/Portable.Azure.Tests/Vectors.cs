using System.Text.Json;

namespace Portable.Azure.Tests;

/// <summary>Reads the test data copied from the vector set (see TestData/README.md).</summary>
public static class Vectors
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", relative);

    public static string Text(string relative) => File.ReadAllText(Path(relative));

    public static string Authored(string name) => Text($"authored/custom-handler/{name}");

    public static JsonElement Json(string relative)
    {
        using var stream = File.OpenRead(Path(relative));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    public const string EventGridBlobCreated = "copied/Azure__azure-rest-api-specs/specification/eventgrid/data-plane/Microsoft.Storage/stable/2018-01-01/examples/event-grid-schema/blob_created.json";

    public const string CloudEventsBlobCreated = "copied/Azure__azure-rest-api-specs/specification/eventgrid/data-plane/Microsoft.Storage/stable/2018-01-01/examples/cloud-events-schema/blob_created.json";

    /// <summary>An event as a custom-handler payload: <c>{"Data":{"event":…},"Metadata":{}}</c>.</summary>
    public static string EventPayload(string eventJson) => """{"Data":{"event":""" + eventJson + """},"Metadata":{"sys":{"MethodName":"OnEvent"}}}""";
}
