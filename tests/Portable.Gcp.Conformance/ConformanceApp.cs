namespace Portable.Gcp.Conformance;

/// <summary>
/// Maps the five functions the conformance client calls. As a Cloud Run function the target takes every method and path; the
/// methods below only keep the three catch-all routes distinct in Portable's route table, which refuses two routes of one shape.
/// </summary>
internal static class ConformanceApp
{
    public const string OutputFile = "function_output.json";

    public static void Configure(PortableAppBuilder builder)
    {
        builder.AppName = "conformance";
        builder.AddJson(ConformanceJson.Default);
        builder.Functions
            .MapHttp<HttpFunction>("* /{*path}", "http")
            .MapEvent<CloudEventFunction>("*", "cloudevent")
            .MapEvent<LegacyEventFunction>("*", "legacyevent")
            .MapHttp<TypedFunction, System.Text.Json.JsonElement, TypedResponse>("POST /{*path}", name: "typed")
            .MapHttp<ConcurrentFunction>("GET /{*path}", "concurrent");
    }
}
