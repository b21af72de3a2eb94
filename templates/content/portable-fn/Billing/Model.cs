using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing;

#if (http)
public sealed record RegisterCustomerRequest(string? Name, string? Email);

public sealed record Customer(string Id, string Name, string Email);
#endif
#if (queue || schedule)
public sealed record InvoiceRequested(string CustomerId, decimal Amount);

public sealed record Invoice(string Id, string CustomerId, decimal Amount, DateTimeOffset IssuedAt);
#endif

/// <summary>Source-generated JSON for every type the functions read and write (Native AOT needs it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
#if (http)
[JsonSerializable(typeof(RegisterCustomerRequest))]
[JsonSerializable(typeof(Customer))]
#endif
#if (queue || schedule)
[JsonSerializable(typeof(InvoiceRequested))]
[JsonSerializable(typeof(Invoice))]
#endif
public sealed partial class BillingJson : JsonSerializerContext;
