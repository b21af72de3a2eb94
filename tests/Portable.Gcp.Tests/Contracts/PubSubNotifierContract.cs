using Microsoft.Extensions.DependencyInjection;
using Portable.Contracts;
using Portable.Gcp.PubSub;

namespace Portable.Gcp.Tests.Contracts;

/// <summary>The notifier contract on <see cref="PubSubNotifier"/>, read back from what the in-test Pub/Sub server was sent, as the push trigger maps it.</summary>
[ContractFor(typeof(PubSubNotifier))]
public sealed class PubSubNotifierContract : NotifierContract
{
    private GoogleContractServices? _google;

    protected override async Task<INotifier> CreateNotifierAsync(PortableApp app, string topic)
    {
        _google = await GoogleContractServices.StartAsync(app);
        return _google.Services.GetRequiredService<INotifier>();
    }

    protected override Task<IReadOnlyList<Notification>> ReceiveAsync()
        => Task.FromResult<IReadOnlyList<Notification>>(_google!.TakePublished(Topic).Select(m =>
        {
            var attributes = new Dictionary<string, string>(m.Attributes, StringComparer.Ordinal);
            attributes.Remove(PubSubAttributes.Subject, out var subject);
            attributes.Remove(PubSubAttributes.DeduplicationId, out var deduplicationId);
            return new Notification(Topic, m.Text) { Subject = subject, Attributes = attributes, DeduplicationId = deduplicationId };
        }).ToList());

    protected override async Task DeleteTopicAsync()
    {
        if (_google is not null) await _google.DisposeAsync();
    }
}
