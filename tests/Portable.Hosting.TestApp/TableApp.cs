namespace Portable.Hosting.TestApp;

/// <summary>Three HTTP functions that between them give every answer of the HTTP table: 200, 400, 404, 405, 413, 415 and 500.</summary>
public static class TableApp
{
    /// <summary>Maps the functions.</summary>
    /// <param name="builder">The app builder.</param>
    public static void Configure(PortableAppBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AppName = "table";
        builder.AddJson(TableJson.Default);
        builder.Functions
            .MapHttp<Echo, EchoRequest, EchoResponse>("POST /echo")
            .MapHttp<GetItem>("GET /items/{id}")
            .MapHttp<Boom>("GET /boom");
    }
}
