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

    /// <summary>The longest string the hosts accept in a function's input by default (<c>Portable:MaxInputStringBytes</c>), less one.</summary>
    public const int UnderLimit = (1024 * 1024) - 1;

    /// <summary>
    /// An order of <paramref name="size"/> bytes of JSON. <see cref="InputShape.HugeString"/>: valid, its SKU pads it (the function is given
    /// a string of that size). <see cref="InputShape.WrongType"/>: its <c>items</c> is a string of that size instead of an array, refused
    /// when it is read.
    /// </summary>
    public static byte[] Order(int size, InputShape shape = InputShape.HugeString)
    {
        if (shape == InputShape.StringsUnderLimit) return Encoding.UTF8.GetBytes(Repeated(size, """{"customerId":"c-1","items":[""", "]}", """{"sku":"$","quantity":1,"unitPrice":1}""", 's', ","));
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
        var message = shape switch
        {
            InputShape.HugeString => "{\"orderId\":\"" + new string('o', messageLength - 15) + "\"}",
            InputShape.WrongType => "{\"orderId\":[\"" + new string('o', messageLength - 17) + "\"]}",
            _ => Repeated(messageLength, "{", "}", "\"orderId\":\"$\"", 'o', ","),
        };
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
        var message = shape switch
        {
            InputShape.HugeString => "{\\\"orderId\\\":\\\"" + new string('o', pad) + "\\\"}",
            InputShape.WrongType => "{\\\"orderId\\\":[\\\"" + new string('o', pad - 4) + "\\\"]}",
            _ => Repeated(pad + 16, "{", "}", "\\\"orderId\\\":\\\"$\\\"", 'o', ","),
        };
        return Encoding.UTF8.GetBytes(shell.Replace("\"message\":\"\"", "\"message\":\"" + message + "\"", StringComparison.Ordinal));
    }

    /// <summary>
    /// <paramref name="head"/>, then <paramref name="item"/> (whose <c>$</c> is a string of <paramref name="fill"/>) repeated with strings
    /// of <see cref="UnderLimit"/> characters while they fit, the last one shorter, then <paramref name="tail"/>: <paramref name="size"/> bytes of ASCII.
    /// </summary>
    private static string Repeated(int size, string head, string tail, string item, char fill, string separator)
    {
        var text = new StringBuilder(head);
        var overhead = item.Length - 1;
        while (true)
        {
            var room = size - text.Length - tail.Length - (text.Length > head.Length ? separator.Length : 0) - overhead;
            if (room <= 0) break;
            if (text.Length > head.Length) text.Append(separator);
            text.Append(item.Replace("$", new string(fill, Math.Min(room, UnderLimit)), StringComparison.Ordinal));
        }

        return text.Append(tail).ToString();
    }
}
