namespace Orders;

/// <summary>The audit record of one confirmed order.</summary>
public sealed record AuditEntry(string OrderId, string CustomerId, decimal Total, DateTimeOffset AuditedAt);
