namespace Portable.Gcp.Conformance;

/// <summary>
/// Maps the five functions the conformance client calls. The function <c>FUNCTION_TARGET</c> names takes every method and path,
/// as the conformance client expects of the Cloud Run function it is pointed at; the other HTTP functions get a method each, only
/// to keep the three catch-all routes distinct in Portable's route table, which refuses two routes of one shape.
/// </summary>
internal static class ConformanceApp
{
    public const string OutputFile = "function_output.json";

    public static void Configure(PortableAppBuilder builder)
    {
        builder.AppName = "conformance";
        builder.AddJson(ConformanceJson.Default);
        var target = Environment.GetEnvironmentVariable("FUNCTION_TARGET");
        string Route(string name, string method) => (target == name ? "*" : method) + " /{*path}";
        builder.Functions
            .MapHttp<HttpFunction>(Route("http", "PUT"), "http")
            .MapEvent<CloudEventFunction>("*", "cloudevent")
            .MapEvent<LegacyEventFunction>("*", "legacyevent")
            .MapHttp<TypedFunction, System.Text.Json.JsonElement, TypedResponse>(Route("typed", "POST"), name: "typed")
            .MapHttp<ConcurrentFunction>(Route("concurrent", "GET"), "concurrent");
    }
}
