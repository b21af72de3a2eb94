using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portable.Hosting.Tests.Fixtures;

/// <summary>A small app and the dispatcher over it, with every log entry kept.</summary>
public sealed class DispatchApp
{
    public DispatchApp()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "dispatch";
        builder.Functions
            .MapHttp<ItemFunction>("GET /items/{id}")
            .MapHttp<ItemFunction>("PUT /items/{id}", name: "PutItem")
            .MapHttp<FailingFunction>("POST /fail");
        App = builder.Build();
        var services = new ServiceCollection();
        foreach (var descriptor in App.Services) ((ICollection<ServiceDescriptor>)services).Add(descriptor);
        services.AddLogging(l => l.AddProvider(Logs));
        services.AddPortableApp(App, "test");
        Services = services.BuildServiceProvider();
        Dispatcher = Services.GetRequiredService<HttpDispatcher>();
    }

    public PortableApp App { get; }

    public ServiceProvider Services { get; }

    public HttpDispatcher Dispatcher { get; }

    public ListLoggerProvider Logs { get; } = new();
}

public sealed class ItemFunction : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(HttpResponseData.Text(200, $"{context.FunctionName} {(request.RouteValues.TryGetValue("id", out var id) ? id : "-")}"));
}

public sealed class FailingFunction : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException("the failure's own words");
}

public sealed class ListLoggerProvider : ILoggerProvider
{
    public List<(LogLevel Level, string Category, string Message)> Entries { get; } = [];

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider.Entries) provider.Entries.Add((logLevel, category, formatter(state, exception)));
        }
    }
}
