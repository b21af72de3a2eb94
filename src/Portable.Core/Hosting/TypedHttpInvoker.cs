using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Portable.Json;

namespace Portable.Hosting;

internal sealed class TypedHttpInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction, TInput, TOutput>(
    JsonTypeInfo<TInput> input, JsonTypeInfo<TOutput> output, int successStatusCode) : FunctionInvoker
    where TFunction : class, IFunction<TInput, TOutput>
{
    public override async ValueTask<HttpResponseData> InvokeHttpAsync(IServiceProvider services, HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        if (!request.Body.IsEmpty && !IsJson(request.ContentType))
        {
            return HttpResponseData.Problem(415, "Unsupported Media Type",
                $"Function '{context.FunctionName}' reads application/json; the request says '{request.ContentType ?? "nothing"}'.");
        }

        var value = PortableJson.Deserialize(request.Body, input, "The request body");
        var result = await services.GetRequiredService<TFunction>().HandleAsync(value, context, cancellationToken).ConfigureAwait(false);
        return HttpResponseData.Json(successStatusCode, result, output);
    }

    public override async ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> json, FunctionContext context, CancellationToken cancellationToken)
    {
        var value = PortableJson.Deserialize(json, input, "The input");
        var result = await services.GetRequiredService<TFunction>().HandleAsync(value, context, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(result, output);
    }

    private static bool IsJson(string? contentType)
        => contentType is not null
           && (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || contentType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
