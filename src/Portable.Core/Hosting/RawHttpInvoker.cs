using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Portable.Json;

namespace Portable.Hosting;

internal sealed class RawHttpInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction> : FunctionInvoker
    where TFunction : class, IHttpFunction
{
    public override ValueTask<HttpResponseData> InvokeHttpAsync(IServiceProvider services, HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => new(services.GetRequiredService<TFunction>().HandleAsync(request, context, cancellationToken));

    public override ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidInputException($"Function '{context.FunctionName}' handles raw HTTP requests; call its route instead of invoking it with JSON.");
}
