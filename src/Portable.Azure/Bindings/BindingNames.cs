namespace Portable.Azure.Bindings;

/// <summary>The binding names Portable writes into <c>function.json</c> and reads back from the custom-handler payloads.</summary>
internal static class BindingNames
{
    public const string HttpRequest = "req";
    public const string HttpResponse = "res";
    public const string QueueMessage = "message";
    public const string Timer = "timer";
    public const string Event = "event";
    public const string Blob = "blob";

    /// <summary>The keys under which adapter facts are put in <see cref="FunctionContext.Properties"/>.</summary>
    public const string RetryCountProperty = "azure.retryCount";
    public const string MaxRetryCountProperty = "azure.maxRetryCount";
    public const string RetryContextProperty = "azure.retryContext";
    public const string QueueMessageIdProperty = "azure.queue.id";
    public const string QueueInsertionTimeProperty = "azure.queue.insertionTime";
    public const string QueueDequeueCountProperty = "azure.queue.dequeueCount";
    public const string QueuePopReceiptProperty = "azure.queue.popReceipt";
    public const string TimerIsPastDueProperty = "azure.timer.isPastDue";
    public const string MetadataProperty = "azure.metadata";
}
