namespace Portable.Azure;

/// <summary>Where a topic's notifications are published: an Event Grid topic that takes the CloudEvents 1.0 schema.</summary>
public sealed class AzureTopicOptions
{
    /// <summary>The topic endpoint, such as <c>https://orders.westeurope-1.eventgrid.azure.net/api/events</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The topic's access key, sent as <c>aeg-sas-key</c>; null to authenticate with <c>DefaultAzureCredential</c>.</summary>
    public string? Key { get; set; }
}
