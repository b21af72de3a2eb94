using Microsoft.Extensions.Configuration;
using Portable.Aws.Events;

namespace Portable.AspNetCore.Lambda;

/// <summary>
/// Which HTTP events the Lambda server answers in the Runtime API's streaming response mode, from the configuration key
/// <c>Portable:Lambda:ResponseStreaming</c> (environment variable <c>Portable__Lambda__ResponseStreaming</c>):
/// <c>false</c> (the default) buffers every response; <c>true</c> streams the responses to function URL events (the function
/// URL must have <c>InvokeMode: RESPONSE_STREAM</c>); <c>FunctionUrlAndRestApi</c> streams those to API Gateway REST API events
/// too (every REST integration of the function must have <c>responseTransferMode: STREAM</c>, since a REST event does not say
/// how its integration reads the answer). HTTP API and ALB events are always buffered: neither can receive a stream.
/// </summary>
internal enum LambdaResponseStreaming
{
    /// <summary>Every response is buffered and posted in one piece.</summary>
    Off,

    /// <summary>Function URL events stream; the others are buffered.</summary>
    FunctionUrl,

    /// <summary>Function URL and REST API events stream; HTTP API and ALB events are buffered.</summary>
    FunctionUrlAndRestApi,
}

/// <summary>Reads <see cref="LambdaResponseStreaming"/> from configuration.</summary>
internal static class LambdaResponseStreamingSetting
{
    /// <summary>The configuration key.</summary>
    public const string Key = "Portable:Lambda:ResponseStreaming";

    /// <summary>The setting; <see cref="LambdaResponseStreaming.Off"/> when absent.</summary>
    /// <exception cref="PortableConfigurationException">The value is none of <c>false</c>, <c>true</c>, <c>FunctionUrl</c>, <c>FunctionUrlAndRestApi</c>.</exception>
    public static LambdaResponseStreaming Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Key]?.Trim();
        if (string.IsNullOrEmpty(value) || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("Off", StringComparison.OrdinalIgnoreCase))
        {
            return LambdaResponseStreaming.Off;
        }

        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals(nameof(LambdaResponseStreaming.FunctionUrl), StringComparison.OrdinalIgnoreCase))
        {
            return LambdaResponseStreaming.FunctionUrl;
        }

        if (value.Equals(nameof(LambdaResponseStreaming.FunctionUrlAndRestApi), StringComparison.OrdinalIgnoreCase))
        {
            return LambdaResponseStreaming.FunctionUrlAndRestApi;
        }

        throw new PortableConfigurationException(
            $"'{value}' is not a value of {Key}. Use false (buffered, the default), true (stream function URL responses; set the function URL's InvokeMode to RESPONSE_STREAM) or FunctionUrlAndRestApi (also REST API responses; set the integrations' responseTransferMode to STREAM).");
    }

    /// <summary>Whether an event from <paramref name="source"/> is answered as a stream.</summary>
    public static bool Streams(this LambdaResponseStreaming streaming, HttpEventSource source) => streaming switch
    {
        LambdaResponseStreaming.FunctionUrl => source == HttpEventSource.FunctionUrl,
        LambdaResponseStreaming.FunctionUrlAndRestApi => source is HttpEventSource.FunctionUrl or HttpEventSource.RestApi,
        _ => false,
    };
}
