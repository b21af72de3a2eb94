using System.Diagnostics.Metrics;

namespace Orders;

/// <summary>The Orders business metrics, on the meter <c>Orders</c> (exported when the app wires OpenTelemetry with <c>m.AddMeter(OrdersMetrics.MeterName)</c>).</summary>
public sealed class OrdersMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Orders";

    private readonly Counter<long> _placed;

    /// <summary>Creates the metrics on a meter from the app's <see cref="IMeterFactory"/> (DI gives one on every platform).</summary>
    /// <param name="meterFactory">The factory.</param>
    public OrdersMetrics(IMeterFactory meterFactory)
        : this(meterFactory?.Create(MeterName) ?? throw new ArgumentNullException(nameof(meterFactory)))
    {
    }

    private OrdersMetrics(Meter meter) => _placed = meter.CreateCounter<long>("orders.placed", "{order}", "Orders placed.");

    /// <summary>Metrics on a meter of their own, for a function made by hand in a unit test.</summary>
    /// <returns>The metrics.</returns>
    public static OrdersMetrics Standalone() => new(new Meter(MeterName));

    /// <summary>Counts one order placed.</summary>
    public void OrderPlaced() => _placed.Add(1);
}
