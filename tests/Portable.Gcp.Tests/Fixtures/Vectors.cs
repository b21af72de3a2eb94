using System.Text.Json;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>Reads the copied vectors (BOM-tolerant) and compares events the way the conformance client does.</summary>
internal static class Vectors
{
    public static readonly string[] ConformanceEvents =
    [
        "firebase-auth", "firebase-db1", "firebase-db2", "firebase-db3", "firebase-db4", "firebase-db5", "firebase-db6", "firebase-db7",
        "firebase-db8", "firebase-dbdelete1", "firebase-dbdelete2", "firestore_complex", "firestore_simple", "legacy_pubsub",
        "pubsub_binary", "pubsub_text", "storage",
    ];

    public static IEnumerable<object[]> Names => ConformanceEvents.Select(n => new object[] { n });

    public static string Conformance(string file) => Read(Path.Combine("conformance", file));

    public static string GcfEvent(string name) => Read(Path.Combine("dotnet-gcfevents", name + ".json"));

    public static string Read(string relative) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", relative));

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json.TrimStart('\uFEFF'));
        return document.RootElement.Clone();
    }

    /// <summary>The CloudEvent fields the conformance client compares: id, source, subject, type, time, datacontenttype, data.</summary>
    public static void AssertSameCloudEvent(JsonElement expected, CloudEvent actual)
    {
        Assert.Equal(expected.GetProperty("id").GetString(), actual.Id);
        Assert.Equal(expected.GetProperty("source").GetString(), actual.Source);
        Assert.Equal(expected.TryGetProperty("subject", out var s) ? s.GetString() : null, actual.Subject);
        Assert.Equal(expected.GetProperty("type").GetString(), actual.Type);
        Assert.Equal(DateTimeOffset.Parse(expected.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture), actual.Time);
        Assert.Equal(expected.GetProperty("datacontenttype").GetString(), actual.DataContentType);
        AssertJsonEqual(expected.GetProperty("data"), actual.Data);
    }

    /// <summary>The legacy fields the conformance client compares: eventId, eventType, timestamp (as a time), resource (deep) and data.</summary>
    public static void AssertSameLegacyEvent(JsonElement expected, LegacyEvent actual)
    {
        var context = expected.GetProperty("context");
        Assert.Equal(context.GetProperty("eventId").GetString(), actual.Context.EventId);
        Assert.Equal(context.GetProperty("eventType").GetString(), actual.Context.EventType);
        Assert.Equal(
            DateTimeOffset.Parse(context.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(actual.Context.Timestamp!, System.Globalization.CultureInfo.InvariantCulture));
        AssertJsonEqual(context.GetProperty("resource"), actual.Context.Resource);
        AssertJsonEqual(expected.GetProperty("data"), actual.Data);
    }

    public static void AssertJsonEqual(JsonElement expected, JsonElement? actual)
    {
        Assert.True(actual.HasValue, $"Expected {expected.GetRawText()}, got no value.");
        Assert.True(JsonElement.DeepEquals(expected, actual.Value), $"Expected {expected.GetRawText()}\nbut got {actual.Value.GetRawText()}");
    }
}
