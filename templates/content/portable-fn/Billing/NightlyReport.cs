using Portable;

namespace Billing;

/// <summary>Every night at 02:00 UTC: totals the invoices and publishes the report on topic billing-reports.</summary>
public sealed class NightlyReport(IRepository<Invoice> invoices, INotifier notifier) : IEventHandler<ScheduledEvent>
{
    public const string Topic = "billing-reports";

    public async Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        decimal total = 0;
        var count = 0;
        string? token = null;
        do
        {
            var page = await invoices.QueryAsync(new PageRequest(100, token), cancellationToken);
            total += page.Items.Sum(i => i.Value.Amount);
            count += page.Items.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);

        await notifier.PublishAsync(
            new Notification(Topic, $"{{\"invoices\":{count},\"total\":{total.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}")
            {
                Subject = $"Billing report {@event.ScheduledTime:yyyy-MM-dd}",
                DeduplicationId = $"report-{@event.ScheduledTime:yyyyMMddHHmm}",
            },
            cancellationToken);
    }
}
