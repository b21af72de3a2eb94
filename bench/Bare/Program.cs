var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:" + (Environment.GetEnvironmentVariable("PORT") ?? "8080"));
var app = builder.Build();
app.MapGet("/hello", (string? name) => $"Hello, {name ?? "world"}");
app.Run();
