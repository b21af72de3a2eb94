using System.Text;
using Portable.Hosting;

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

    /// <summary>
    /// The output binding name of a queue a function sends to: <c>out</c> and the queue name's letters and digits, each part
    /// capitalized (<c>order-placed</c> is <c>outOrderPlaced</c>). The Functions host takes binding names of letters and digits
    /// starting with a letter, at most 128; hosts before 4.1038 refuse <c>_</c>, so none is used. Portable names are at most 80.
    /// </summary>
    public static string QueueOutput(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var name = new StringBuilder("out", 3 + queue.Length);
        var partStarts = true;
        foreach (var c in queue)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                partStarts = true;
                continue;
            }

            name.Append(partStarts ? char.ToUpperInvariant(c) : c);
            partStarts = false;
        }

        return name.ToString();
    }

    /// <summary>The output binding name of each queue a function sends to, by queue name.</summary>
    /// <exception cref="PortableConfigurationException">Two of the queues would have the same binding name.</exception>
    public static IReadOnlyDictionary<string, string> QueueOutputs(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var bindings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var queue in function.Sends)
        {
            var binding = QueueOutput(queue);
            if (bindings.FirstOrDefault(b => string.Equals(b.Value, binding, StringComparison.OrdinalIgnoreCase)) is { Key: { } other })
            {
                throw new PortableConfigurationException(
                    $"{function.Name} sends to '{other}' and '{queue}', which would both be the output binding '{binding}' in function.json " +
                    "(binding names are letters and digits). Rename one of the queues.");
            }

            bindings[queue] = binding;
        }

        return bindings;
    }

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
