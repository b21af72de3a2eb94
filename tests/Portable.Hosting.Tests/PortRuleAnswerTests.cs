using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Hosting.Tests.Fixtures;

namespace Portable.Hosting.Tests;

/// <summary>A broken port rule (an id too long, a document too large) is the caller's error: 400 for HTTP, invalid input for messages; other argument errors stay failures.</summary>
public sealed class PortRuleAnswerTests
{
    private readonly PortableApp _app;
    private readonly ServiceProvider _services;
    private readonly ListLoggerProvider _logs = new();

    public PortRuleAnswerTests()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "rules";
        builder.Resources.AddTopic("ids");
        builder.Functions
            .MapHttp<DocumentFunction>("GET /orders/{id}")
            .MapHttp<ArgumentFunction>("GET /argument")
            .MapTopic<DocumentTopicFunction, Notification>("ids", "document-topic");
        _app = builder.Build();
        var services = new ServiceCollection();
        foreach (var descriptor in _app.Services) ((ICollection<ServiceDescriptor>)services).Add(descriptor);
        services.AddLogging(l => l.AddProvider(_logs));
        services.AddPortableApp(_app, "test");
        _services = services.BuildServiceProvider();
    }

    [Fact]
    public async Task AnHttpFunction_GivenAnIdOverTheLimit_Answers400NamingTheRule_AndLogsAWarning()
    {
        var dispatcher = _services.GetRequiredService<HttpDispatcher>();

        var response = await dispatcher.DispatchAsync(new HttpRequestData("GET", "/orders/" + new string('x', 1100)), new InvocationInfo { InvocationId = "inv-7" }, default);

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("The document id is 1,100 bytes in UTF-8; ids are at most 256.", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("inv-7", StringComparison.Ordinal) && e.Message.Contains("1,100 bytes", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task AnHttpFunction_ThrowingItsOwnArgumentException_StillFails()
    {
        var dispatcher = _services.GetRequiredService<HttpDispatcher>();

        var response = await dispatcher.DispatchAsync(new HttpRequestData("GET", "/argument"), null, default);

        Assert.Equal(500, response.StatusCode);
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task ATopicFunction_BreakingAPortRule_IsInvalidInput_SoTheMessageIsDeadLetteredAtOnce()
    {
        var executor = _services.GetRequiredService<FunctionExecutor>();

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => executor.InvokeNotificationAsync(
            _app.Catalog.Get("document-topic"), new Notification("ids", "{}"), new InvocationInfo(), default));

        Assert.Contains("control character U+0085", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentException>(e.InnerException);
    }

    private sealed class DocumentFunction : IHttpFunction
    {
        public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        {
            PortRules.ValidateDocumentId(request.RouteValues["id"]);
            return Task.FromResult(HttpResponseData.Text(200, "found"));
        }
    }

    private sealed class ArgumentFunction : IHttpFunction
    {
        public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
            => throw new ArgumentException("a bug in the function, not the caller's input");
    }

    private sealed class DocumentTopicFunction : IMessageHandler<Notification>
    {
        public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken)
        {
            PortRules.ValidateDocumentId("n\u0085");
            return Task.CompletedTask;
        }
    }
}
