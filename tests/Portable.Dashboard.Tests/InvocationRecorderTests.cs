using System.Diagnostics;
using Portable.Local.Dashboard;

namespace Portable.Dashboard.Tests;

/// <summary>The span ring: bounded, newest first, and the outcome read from the span's status and tags.</summary>
public sealed class InvocationRecorderTests
{
    [Fact]
    public void Ring_KeepsOnlyTheNewestSpansUpToItsCapacity_NewestFirst()
    {
        using var recorder = new InvocationRecorder(capacity: 3);
        for (var i = 1; i <= 5; i++) recorder.Record(Invocation("F" + i));

        var page = recorder.Invocations(null, 0, 100);

        Assert.Equal(["F5", "F4", "F3"], page.Spans.Select(s => s.Function));
        Assert.Equal(5, page.Last);
        Assert.Equal(3, page.Capacity);
    }

    [Fact]
    public void Outcome_IsErrorForAFailedSpan_InvalidInputForARefusedOne_AndSuccessOtherwise()
    {
        using var recorder = new InvocationRecorder();
        var failed = Invocation("Failed");
        failed.SetStatus(ActivityStatusCode.Error, "boom");
        var refused = Invocation("Refused");
        refused.SetStatus(ActivityStatusCode.Error, "not JSON");
        refused.SetTag("error.type", "invalid_input");
        var answered400 = Invocation("Answered400");
        answered400.SetTag("http.response.status_code", 400);
        foreach (var activity in new[] { failed, refused, answered400, Invocation("Fine") }) recorder.Record(activity);

        var outcomes = recorder.Invocations(null, 0, 10).Spans.ToDictionary(s => s.Function!, s => (s.Outcome, s.Error));

        Assert.Equal(("error", "boom"), outcomes["Failed"]);
        Assert.Equal(("invalid_input", "not JSON"), outcomes["Refused"]);
        Assert.Equal(("invalid_input", (string?)null), outcomes["Answered400"]);
        Assert.Equal(("success", (string?)null), outcomes["Fine"]);
    }

    [Fact]
    public void ProducerSpans_AreKeptForTheTrace_ButAreNotInvocations()
    {
        using var recorder = new InvocationRecorder();
        var invocation = Invocation("PlaceOrder");
        var send = new Activity("send order-placed").SetParentId(invocation.TraceId, invocation.SpanId).SetTag("messaging.destination.name", "order-placed").Start();
        send.Stop();
        recorder.Record(invocation);
        recorder.Record(send);

        Assert.Single(recorder.Invocations(null, 0, 10).Spans);
        var trace = recorder.Trace(invocation.TraceId.ToHexString()).Spans;
        Assert.Equal(2, trace.Count);
        Assert.Equal("order-placed", trace.Single(s => s.Function is null).Destination);
        Assert.Equal(invocation.SpanId.ToHexString(), trace.Single(s => s.Function is null).ParentSpanId);
    }

    private static Activity Invocation(string function)
    {
        var activity = new Activity(function) { ActivityTraceFlags = ActivityTraceFlags.Recorded }.SetIdFormat(ActivityIdFormat.W3C);
        activity.SetTag("faas.invoked_name", function);
        activity.SetTag("faas.trigger", "http");
        activity.Start();
        activity.Stop();
        return activity;
    }
}
