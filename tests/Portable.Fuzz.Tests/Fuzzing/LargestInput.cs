using System.Text;
using System.Text.Json.Nodes;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>
/// The largest input each host accepts by default, built to that size exactly: the body or event limit of each adapter
/// (<c>LocalOptions.MaxRequestBodyBytes</c> 1 MiB, Lambda's 6 MB synchronous payload, Cloud Run's 32 MiB request,
/// the Azure custom handler's 2 MiB for a queue invocation, <c>CustomHandlerEndpoint.MaxEventPayloadBytes</c>), less a little room for the request line and headers.
/// </summary>
internal static class LargestInput
{
    public const int LocalBytes = 1024 * 1024;
    public const int LambdaBytes = 6 * 1024 * 1024;
    public const int CloudRunBytes = 32 * 1024 * 1024;
    public const int AzureBytes = 2 * 1024 * 1024; // CustomHandlerEndpoint.MaxEventPayloadBytes

    /// <summary>
    /// An order of <paramref name="size"/> bytes of JSON. <see cref="InputShape.HugeString"/>: valid, its SKU pads it (the function is given
    /// a string of that size). <see cref="InputShape.WrongType"/>: its <c>items</c> is a string of that size instead of an array, refused
    /// when it is read.
    /// </summary>
    public static byte[] Order(int size, InputShape shape = InputShape.HugeString)
    {
        var (head, tail) = shape == InputShape.HugeString
            ? ("""{"customerId":"c-1","items":[{"sku":" """.TrimEnd(), """ ","quantity":1,"unitPrice":1}]}""".TrimStart())
            : ("""{"customerId":"c-1","items":" """.TrimEnd(), " \"}".TrimStart());
        return Encoding.UTF8.GetBytes(head + new string('s', size - head.Length - tail.Length) + tail);
    }

    /// <summary>A Pub/Sub push envelope of <paramref name="size"/> bytes whose message is an <c>OrderPlaced</c> with a padded id.</summary>
    public static byte[] Push(int size, InputShape shape = InputShape.HugeString)
    {
        var overhead = Encoding.UTF8.GetByteCount(Build("")) + 64;
        var messageLength = (size - overhead) / 4 * 3;
        var message = shape == InputShape.HugeString
            ? "{\"orderId\":\"" + new string('o', messageLength - 15) + "\"}"
            : "{\"orderId\":[\"" + new string('o', messageLength - 17) + "\"]}";
        var json = Build(Convert.ToBase64String(Encoding.UTF8.GetBytes(message)));
        return Encoding.UTF8.GetBytes(json);

        static string Build(string data) => new JsonObject
        {
            ["message"] = new JsonObject { ["data"] = data, ["messageId"] = "big-1", ["publishTime"] = "2026-11-30T09:00:00.000Z" },
            ["subscription"] = "projects/test-project/subscriptions/order-placed-push",
        }.ToJsonString();
    }

    /// <summary>An Azure queue-trigger invocation payload, in the shape of <see cref="AzureQueuePayload"/>, carrying <paramref name="message"/>.</summary>
    public static string AzureQueuePayloadFor(string message) => new JsonObject
    {
        ["Data"] = new JsonObject { ["message"] = message },
        ["Metadata"] = new JsonObject { ["DequeueCount"] = 1, ["Id"] = "small-1" },
    }.ToJsonString();

    /// <summary>An Azure queue-trigger invocation payload of <paramref name="size"/> bytes: a huge message string.</summary>
    public static byte[] AzureQueuePayload(int size, InputShape shape = InputShape.HugeString)
    {
        var shell = "{\"Data\":{\"message\":\"\"},\"Metadata\":{\"DequeueCount\":1,\"Id\":\"big-1\"}}";
        var pad = size - Encoding.UTF8.GetByteCount(shell) - 32;
        var message = shape == InputShape.HugeString
            ? "{\\\"orderId\\\":\\\"" + new string('o', pad) + "\\\"}"
            : "{\\\"orderId\\\":[\\\"" + new string('o', pad - 4) + "\\\"]}";
        return Encoding.UTF8.GetBytes(shell.Replace("\"message\":\"\"", "\"message\":\"" + message + "\"", StringComparison.Ordinal));
    }
}
