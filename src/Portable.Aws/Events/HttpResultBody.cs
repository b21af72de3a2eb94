using System.Text.Json.Serialization;

namespace Portable.Aws.Events;

/// <summary>A response body as the response JSON carries it: UTF-8 text written as a JSON string, or any bytes written as base64.</summary>
/// <param name="Bytes">The body.</param>
/// <param name="IsBase64">Whether it is written as base64 (the response's <c>isBase64Encoded</c>).</param>
[JsonConverter(typeof(HttpResultBodyConverter))]
internal readonly record struct HttpResultBody(ReadOnlyMemory<byte> Bytes, bool IsBase64);
