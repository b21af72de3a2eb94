using System.Text.Json;
using Portable;

namespace Billing;

/// <summary>Consumes queue invoice-requests: issues the invoice and notifies topic invoices-issued. Delivery is at least once, so the work is idempotent.</summary>
public sealed class ProcessInvoice(IRepository<Invoice> invoices, INotifier notifier, TimeProvider time) : IMessageHandler<InvoiceRequested>
{
    public const string Topic = "invoices-issued";

    /// <summary>The largest amount one invoice may have: it keeps every sum of invoices (such as a nightly total) far from decimal's limit.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    public async Task HandleAsync(InvoiceRequested message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        if (message.Amount is <= 0 or > MaxAmount) throw new InvalidInputException("amount", $"An invoice amount is positive and at most {MaxAmount}.");

        // The platform's message id is stable across redeliveries: one invoice per message.
        var invoice = new Invoice("inv-" + context.InvocationId, message.CustomerId, message.Amount, time.GetUtcNow());
        try
        {
            await invoices.PutAsync(invoice.Id, invoice, ExpectedVersion.None, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return; // already issued by an earlier delivery
        }

        await notifier.PublishAsync(
            new Notification(Topic, JsonSerializer.Serialize(invoice, BillingJson.Default.Invoice)) { DeduplicationId = invoice.Id },
            cancellationToken);
    }
}
