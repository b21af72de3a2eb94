using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Portable.Json;

namespace Portable.Hosting;

internal sealed class EventInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction> : FunctionInvoker
    where TFunction : class, IEventHandler<CloudEvent>
{
    public override ValueTask InvokeEventAsync(IServiceProvider services, CloudEvent cloudEvent, FunctionContext context, CancellationToken cancellationToken)
        => new(services.GetRequiredService<TFunction>().HandleAsync(cloudEvent, context, cancellationToken));

    public override async ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
    {
        var value = PortableJson.Deserialize(input, CoreJsonContext.Default.CloudEvent, "The event");
        await InvokeEventAsync(services, value, context, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
