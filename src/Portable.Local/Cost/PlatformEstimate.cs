namespace Portable.Local.Cost;

/// <summary>What one function would cost on one platform.</summary>
/// <param name="Platform">The platform's name.</param>
/// <param name="MonthlyUsd">The cost of the month's requests, free tier deducted when it was asked for.</param>
/// <param name="PerMillionUsd">The cost of a million requests beyond any free tier.</param>
/// <param name="BilledMs">The billed duration of one request, after the platform's rounding and minimum.</param>
/// <param name="BilledMemoryMb">The memory billed, after rounding up to the platform's sizes.</param>
internal sealed record PlatformEstimate(string Platform, double MonthlyUsd, double PerMillionUsd, double BilledMs, int BilledMemoryMb);
