using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable;
using Portable.Blobs;

namespace Orders;

/// <summary>
/// Fires when a CSV file lands in bucket <c>imports</c> (header <c>customerId,sku,quantity,unitPrice</c>, one single-item order a
/// line, plain comma-separated values without quoting) and places each line's order through <see cref="OrderPlacer"/>, as
/// <c>POST /orders</c> does.
/// </summary>
/// <remarks>
/// <para>
/// Idempotent per file and line: a line's order id is derived from the bucket, the object name and the line number, and is created
/// with <see cref="ExpectedVersion.None"/>. "The same file" is the same object name in the same bucket: a redelivered event, or
/// the file uploaded again under its name (even with other content, which gets a new ETag), places none of its lines twice. Upload
/// under a new name to place the orders again. A line whose order exists but is still unconfirmed gets its confirmation queued
/// again, in case an earlier attempt stopped between the save and the send (confirming is idempotent).
/// </para>
/// <para>
/// A bad line (wrong number of fields, a number that does not parse, an invalid order) is logged with its line number and skipped;
/// the other lines are placed. A file without the expected header is logged and ignored: retrying it would not help. Anything else
/// (the store unreachable) throws, so the event is retried and, in the end, dead-lettered.
/// </para>
/// </remarks>
/// <param name="orders">The orders.</param>
/// <param name="placed">The queue of placed orders.</param>
/// <param name="imports">The bucket the files land in.</param>
/// <param name="time">The clock.</param>
/// <param name="metrics">The business metrics.</param>
public sealed partial class ImportOrders(
    IRepository<Order> orders,
    IQueue<OrderPlaced> placed,
    [FromKeyedServices(ImportOrders.Bucket)] IBlobStore imports,
    TimeProvider time,
    OrdersMetrics metrics) : IBlobHandler
{
    /// <summary>The bucket of order files.</summary>
    public const string Bucket = "imports";

    /// <summary>The header every file starts with.</summary>
    public const string Header = "customerId,sku,quantity,unitPrice";

    private readonly OrderPlacer _placer = new(orders, placed, time, metrics, PlaceOrder.MaxItems);

    /// <summary>The id of the order of one line of one file: the same on every delivery and every upload under the same name.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="name">The object name.</param>
    /// <param name="line">The line number, from 1 for the header.</param>
    /// <returns>The order id.</returns>
    public static string OrderIdOf(string bucket, string name, int line)
        => "o-imp-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{bucket}\n{name}\n{line.ToString(CultureInfo.InvariantCulture)}")))[..24];

    /// <inheritdoc />
    public async Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobEvent);
        ArgumentNullException.ThrowIfNull(context);
        var log = context.Logger;
        await using var download = await imports.GetAsync(blobEvent.Name, null, cancellationToken);
        if (download is null)
        {
            LogGone(log, blobEvent.Name);
            return;
        }

        using var reader = new StreamReader(download.Content, Encoding.UTF8); // streamed line by line: a large file is never held whole
        var header = await reader.ReadLineAsync(cancellationToken);
        if (!string.Equals(header?.Trim(), Header, StringComparison.OrdinalIgnoreCase))
        {
            LogBadHeader(log, blobEvent.Name, Header, header ?? "(empty file)");
            return;
        }

        int number = 1, placedCount = 0, skipped = 0, existing = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (Parse(line) is not { } request)
            {
                skipped++;
                LogBadLine(log, blobEvent.Name, number, "expected customerId,sku,quantity,unitPrice with a whole quantity and a decimal price");
                continue;
            }

            var orderId = OrderIdOf(blobEvent.Bucket, blobEvent.Name, number);
            try
            {
                await _placer.PlaceAsync(orderId, request, cancellationToken);
                placedCount++;
            }
            catch (InvalidInputException e)
            {
                skipped++;
                LogBadLine(log, blobEvent.Name, number, string.Join("; ", e.Errors.Select(error => $"{error.Key}: {string.Join(' ', error.Value)}")));
            }
            catch (ConcurrencyConflictException)
            {
                existing++;
                var stored = await orders.GetAsync(orderId, cancellationToken);
                if (stored?.Value.Status == OrderStatus.Placed) await _placer.ResendAsync(orderId, cancellationToken);
            }
        }

        LogImported(log, blobEvent.Name, placedCount, existing, skipped);
    }

    private static PlaceOrderRequest? Parse(string line)
    {
        var fields = line.Split(',');
        if (fields.Length != 4) return null;
        if (!int.TryParse(fields[2].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var quantity)) return null;
        if (!decimal.TryParse(fields[3].Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var unitPrice)) return null;
        return new PlaceOrderRequest(fields[0].Trim(), [new OrderItem(fields[1].Trim(), quantity, unitPrice)]);
    }

    [LoggerMessage(1, LogLevel.Information, "Imported {Name}: {Placed} order(s) placed, {Existing} placed before, {Skipped} bad line(s) skipped")]
    private static partial void LogImported(ILogger logger, string name, int placed, int existing, int skipped);

    [LoggerMessage(2, LogLevel.Warning, "Skipped line {Line} of {Name}: {Reason}")]
    private static partial void LogBadLine(ILogger logger, string name, int line, string reason);

    [LoggerMessage(3, LogLevel.Error, "Ignored {Name}: its first line must be '{Expected}' but is '{Actual}'; fix the file and upload it again")]
    private static partial void LogBadHeader(ILogger logger, string name, string expected, string actual);

    [LoggerMessage(4, LogLevel.Information, "{Name} was deleted before it was imported; nothing to do")]
    private static partial void LogGone(ILogger logger, string name);
}
