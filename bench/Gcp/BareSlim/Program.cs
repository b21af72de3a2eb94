var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "8080", System.Globalization.CultureInfo.InvariantCulture)));
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/hello", (string? name) => $"Hello, {name ?? "world"}");
app.Run();
