using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Azure.Data;
using Portable.Contracts;

namespace Portable.Azure.Tests.Contracts;

/// <summary>
/// The notifier contract on <see cref="EventGridNotifier"/>, publishing to an in-test Event Grid endpoint (there is no emulator)
/// and reading each CloudEvent back as a topic function would see it.
/// </summary>
[ContractFor(typeof(EventGridNotifier))]
public sealed class EventGridNotifierContract : NotifierContract
{
    private static readonly HashSet<string> Standard = new(StringComparer.Ordinal) { "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data" };
    private readonly HttpClient _http = new();
    private CaptureServer? _server;

    protected override async Task<INotifier> CreateNotifierAsync(PortableApp app, string topic)
    {
        _server = await CaptureServer.StartAsync();
        var options = new AzureOptions();
        options.Topics[topic] = new AzureTopicOptions { Endpoint = new Uri(_server.Address, "/api/events").ToString(), Key = "key" };
        return new EventGridNotifier(app.Catalog, options, _http, NullLogger<EventGridNotifier>.Instance);
    }

    protected override Task<IReadOnlyList<Notification>> ReceiveAsync()
    {
        var received = new List<Notification>();
        while (_server!.Requests.TryDequeue(out var request))
        {
            using var batch = JsonDocument.Parse(request.Body);
            foreach (var cloudEvent in batch.RootElement.EnumerateArray())
            {
                var data = cloudEvent.GetProperty("data");
                received.Add(new Notification(Topic, data.ValueKind == JsonValueKind.String ? data.GetString()! : data.GetRawText())
                {
                    Subject = cloudEvent.TryGetProperty("subject", out var subject) ? subject.GetString() : null,
                    Attributes = cloudEvent.EnumerateObject().Where(p => !Standard.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
                });
            }
        }

        return Task.FromResult<IReadOnlyList<Notification>>(received);
    }

    protected override async Task DeleteTopicAsync()
    {
        _http.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
