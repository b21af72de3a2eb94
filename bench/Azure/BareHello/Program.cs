using System.Net;

// Listens where a custom handler would, and answers GET /hello?name=Ada with "Hello, Ada".
var builder = WebApplication.CreateSlimBuilder(args);
var port = int.Parse(Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "8080", System.Globalization.CultureInfo.InvariantCulture);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => Results.Ok());
app.MapGet("/hello", (HttpContext context) => Results.Text($"Hello, {context.Request.Query["name"].FirstOrDefault() ?? "world"}"));
await app.RunAsync();
