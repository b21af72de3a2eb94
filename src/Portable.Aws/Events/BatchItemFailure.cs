namespace Portable.Aws.Events;

/// <summary>One failed message of a batch.</summary>
/// <param name="ItemIdentifier">The SQS message id.</param>
internal sealed record BatchItemFailure(string ItemIdentifier);
