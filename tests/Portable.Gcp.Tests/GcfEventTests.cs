using Portable.Testing;
using System.Text;
using System.Text.Json;
using Portable.Gcp.Events;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>The .NET Functions Framework's legacy-event set, with the type, source and subject its converter tests expect.</summary>
public sealed class GcfEventTests
{
    [Theory]
    [InlineData("storage", "google.cloud.storage.object.v1.finalized", "//storage.googleapis.com/projects/_/buckets/some-bucket", "objects/folder/Test.cs")]
    [InlineData("legacy_storage_change", "google.cloud.storage.object.v1.changed", "//storage.googleapis.com/projects/_/buckets/sample-bucket", "objects/MyFile")]
    [InlineData("firestore_simple", "google.cloud.firestore.document.v1.written", "//firestore.googleapis.com/projects/project-id/databases/(default)", "documents/gcf-test/2Vm2mI1d0wIaK2Waj5to")]
    [InlineData("pubsub_text", "google.cloud.pubsub.topic.v1.messagePublished", "//pubsub.googleapis.com/projects/sample-project/topics/gcf-test", null)]
    [InlineData("legacy_pubsub", "google.cloud.pubsub.topic.v1.messagePublished", "//pubsub.googleapis.com/projects/sample-project/topics/gcf-test", null)]
    [InlineData("pubsub_binary", "google.cloud.pubsub.topic.v1.messagePublished", "//pubsub.googleapis.com/projects/sample-project/topics/gcf-test", null)]
    [InlineData("firebase-db1", "google.firebase.database.ref.v1.written", "//firebasedatabase.googleapis.com/projects/_/locations/us-central1/instances/my-project-id", "refs/gcf-test/xyz")]
    [InlineData("firebase-db2", "google.firebase.database.ref.v1.written", "//firebasedatabase.googleapis.com/projects/_/locations/europe-west1/instances/my-project-id", "refs/gcf-test/xyz")]
    [InlineData("firebase-auth1", "google.firebase.auth.user.v1.created", "//firebaseauth.googleapis.com/projects/my-project-id", "users/UUpby3s4spZre6kHsgVSPetzQ8l2")]
    [InlineData("firebase-auth2", "google.firebase.auth.user.v1.deleted", "//firebaseauth.googleapis.com/projects/my-project-id", "users/UUpby3s4spZre6kHsgVSPetzQ8l2")]
    [InlineData("firebase-remote-config", "google.firebase.remoteconfig.remoteConfig.v1.updated", "//firebaseremoteconfig.googleapis.com/projects/sample-project", null)]
    [InlineData("firebase-analytics", "google.firebase.analytics.log.v1.written", "//firebaseanalytics.googleapis.com/projects/my-project-id/apps/com.example.exampleapp", "events/session_start")]
    public async Task LegacyEvent_ConvertsTo_TheExpectedTypeSourceAndSubject(string file, string type, string source, string? subject)
    {
        var received = await SendLegacyAsync(file);
        Assert.Equal(type, received.Type);
        Assert.Equal(source, received.Source);
        Assert.Equal(subject, received.Subject);
    }

    [Fact]
    public async Task StorageEvent_CarriesTheBucketExtension()
    {
        var received = await SendLegacyAsync("storage");
        Assert.Equal("some-bucket", received.Extensions!["bucket"].GetString());
    }

    [Theory]
    [InlineData("pubsub_text")]
    [InlineData("pubsub_binary")]
    [InlineData("legacy_pubsub")]
    public async Task PubSubEvent_CarriesTheTopicExtension(string file)
    {
        var received = await SendLegacyAsync(file);
        Assert.Equal("gcf-test", received.Extensions!["topic"].GetString());
    }

    [Theory]
    [InlineData("pubsub_text", "2020-05-06T07:33:34.556Z")]
    [InlineData("pubsub_text_microsecond_precision", "2020-05-06T07:33:34.556123Z")]
    public async Task PubSubEvent_KeepsThePublishTimePrecision(string file, string publishTime)
    {
        var received = await SendLegacyAsync(file);
        var expected = DateTimeOffset.Parse(publishTime, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, received.Time);
        Assert.Equal(publishTime, received.Data!.Value.GetProperty("message").GetProperty("publishTime").GetString());
    }

    [Theory]
    [InlineData("firebase-analytics-no-app-id")]
    [InlineData("firebase-analytics-no-event-name")]
    public async Task AnalyticsEvent_WithoutAppIdOrEventName_Answers400(string file)
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await host.Gcp("cloudevent").SendLegacyEventAsync(Vectors.GcfEvent(file));
        Assert.Equal(400, response.StatusCode);
        Assert.Empty(recorder.Events);
    }

    [Fact]
    public async Task RawPushEnvelope_OnTopicPath_BecomesMessagePublished()
    {
        var received = await SendPushFileAsync("raw_pubsub", "/projects/sample-project/topics/gcf-test");
        Assert.Equal("google.cloud.pubsub.topic.v1.messagePublished", received.Type);
        Assert.Equal("//pubsub.googleapis.com/projects/sample-project/topics/gcf-test", received.Source);
        Assert.Equal("4102184774039362", received.Id);
        Assert.Equal(DateTimeOffset.Parse("2022-02-15T11:28:32.942Z", System.Globalization.CultureInfo.InvariantCulture), received.Time);
        Assert.Equal("VGV4dCBtZXNzYWdl", received.Data!.Value.GetProperty("message").GetProperty("data").GetString());
    }

    [Fact]
    public async Task EmulatorPushEnvelope_OnAnotherPath_HasUnknownTopicAndNoTime()
    {
        var received = await SendPushFileAsync("emulator_pubsub", "/");
        Assert.Equal("//pubsub.googleapis.com/projects/unknown-project!/topics/unknown-topic!", received.Source);
        Assert.Equal("1", received.Id);
        Assert.Null(received.Time);
    }

    [Fact]
    public void UnknownLegacyType_IsRefusedAsInvalidInput()
    {
        var e = Assert.Throws<InvalidInputException>(() => LegacyEventConverter.ToCloudEvent(Vectors.Parse(
            """{"eventId":"1","eventType":"providers/unknown/eventTypes/x","resource":"projects/p","data":{}}""")));
        Assert.Contains("providers/unknown/eventTypes/x", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NanosecondTimestamp_IsReadToTheTick()
    {
        Assert.Equal(new DateTimeOffset(2020, 12, 3, 0, 26, 41, TimeSpan.Zero).AddTicks(3216233), LegacyEventConverter.ParseTime("2020-12-03T00:26:41.321623382Z"));
    }

    private static async Task<CloudEvent> SendLegacyAsync(string file)
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        var response = await host.Gcp("cloudevent").SendLegacyEventAsync(Vectors.GcfEvent(file));
        Assert.True(response.StatusCode == 200, Encoding.UTF8.GetString(response.Body.Span));
        return Assert.Single(recorder.Events);
    }

    private static async Task<CloudEvent> SendPushFileAsync(string file, string path)
    {
        var recorder = new Recorder();
        await using var host = await TestApp.StartTestHostAsync(recorder);
        // The bytes as stored: raw_pubsub and emulator_pubsub begin with a UTF-8 byte-order mark.
        var request = new HttpRequestData("POST", path) { Body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "dotnet-gcfevents", file + ".json")) };
        request.Headers["Content-Type"] = "application/json";
        var response = await host.Gcp("cloudevent").SendAsync(request);
        Assert.True(response.StatusCode == 200, Encoding.UTF8.GetString(response.Body.Span));
        var received = Assert.Single(recorder.Events);
        Assert.Equal(JsonValueKind.Object, received.Data!.Value.ValueKind);
        return received;
    }
}
