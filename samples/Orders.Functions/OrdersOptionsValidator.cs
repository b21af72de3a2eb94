using Microsoft.Extensions.Options;

namespace Orders;

/// <summary>Checks <see cref="OrdersOptions"/>' ranges at start; source-generated, so Native AOT needs no reflection for it.</summary>
[OptionsValidator]
public sealed partial class OrdersOptionsValidator : IValidateOptions<OrdersOptions>;
