namespace Portable.Aws.Events;

/// <summary>The partial batch response of an SQS event source mapping with <c>ReportBatchItemFailures</c>.</summary>
/// <param name="BatchItemFailures">The messages that failed; the others are deleted from the queue.</param>
internal sealed record BatchResponse(List<BatchItemFailure> BatchItemFailures);
