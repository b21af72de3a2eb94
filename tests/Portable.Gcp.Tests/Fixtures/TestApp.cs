using Microsoft.Extensions.DependencyInjection;
using Portable.Testing;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>The test app: one function of each trigger kind, recording what it receives.</summary>
internal static class TestApp
{
    public static void Configure(PortableAppBuilder builder, Recorder recorder)
    {
        builder.AddJson(TestJsonContext.Default);
        builder.Services.AddSingleton(recorder);
        builder.Functions
            .MapHttp<EchoHttp>("* /{*path}", "echo")
            .MapHttp<Crash>("GET /boom", "boom")
            .MapHttp<Slow>("GET /slow", "slow")
            .MapEvent<RecordEvent>("*", "cloudevent")
            .MapEvent<RecordLegacy>("*", "legacyevent")
            .MapQueue<RecordJob, Job>("jobs", "jobs")
            .MapTopic<RecordNews, Notification>("news", "news")
            .MapSchedule<RecordTick>("*/5 * * * *", "tick");
    }

    public static PortableApp Build(Recorder recorder, params string[] args)
    {
        var builder = PortableApp.CreateBuilder(args);
        builder.AppName = "gcp-test";
        Configure(builder, recorder);
        return builder.Build();
    }

    public static Task<PortableTestHost> StartTestHostAsync(Recorder recorder)
        => PortableTestHost.StartAsync(b => Configure(b, recorder));
}
