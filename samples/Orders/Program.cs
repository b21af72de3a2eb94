using Orders;
using Portable;

var builder = PortableApp.CreateBuilder(args);
OrdersApp.Configure(builder);
// Traces and metrics over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; without it nothing starts and nothing is exported.
builder.AddOpenTelemetryExport(o => o.AddMeter(OrdersMetrics.MeterName));
await builder.Build().RunAsync();
