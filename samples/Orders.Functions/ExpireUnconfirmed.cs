using Microsoft.Extensions.Logging;
using Portable;

namespace Orders;

/// <summary>Every five minutes: orders still <c>placed</c> after <see cref="MaxAge"/> become <c>expired</c>.</summary>
public sealed class ExpireUnconfirmed(IRepository<Order> orders, TimeProvider time) : IEventHandler<ScheduledEvent>
{
    /// <summary>How long an order may wait for its confirmation.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public async Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cutoff = time.GetUtcNow() - MaxAge;
        var expired = 0;
        string? token = null;
        do
        {
            var page = await orders.QueryAsync(new PageRequest(100, token), cancellationToken);
            foreach (var stored in page.Items.Where(s => s.Value.Status == OrderStatus.Placed && s.Value.PlacedAt < cutoff))
            {
                try
                {
                    await orders.PutAsync(stored.Id, stored.Value with { Status = OrderStatus.Expired }, ExpectedVersion.Exactly(stored.Version), cancellationToken);
                    expired++;
                }
                catch (ConcurrencyConflictException)
                {
                    // Confirmed meanwhile: leave it.
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        context.Logger.LogInformation("Expired {Count} unconfirmed orders placed before {Cutoff:u}", expired, cutoff);
    }
}
