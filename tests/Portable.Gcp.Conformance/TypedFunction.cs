using System.Text.Json;

namespace Portable.Gcp.Conformance;

/// <summary><c>typed</c>: answers <c>{"payload": &lt;the request&gt;}</c>.</summary>
internal sealed class TypedFunction : IFunction<JsonElement, TypedResponse>
{
    public Task<TypedResponse> HandleAsync(JsonElement input, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(new TypedResponse(input.Clone()));
}
