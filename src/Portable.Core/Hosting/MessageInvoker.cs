using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Portable.Json;

namespace Portable.Hosting;

internal sealed class MessageInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction, TMessage>(JsonTypeInfo<TMessage> message) : FunctionInvoker
    where TFunction : class, IMessageHandler<TMessage>
{
    public override async ValueTask InvokeMessageAsync(IServiceProvider services, ReadOnlyMemory<byte> body, FunctionContext context, CancellationToken cancellationToken)
    {
        var value = PortableJson.Deserialize(body, message, "The message");
        await services.GetRequiredService<TFunction>().HandleAsync(value, context, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask InvokeNotificationAsync(IServiceProvider services, Notification notification, FunctionContext context, CancellationToken cancellationToken)
    {
        var value = typeof(TMessage) == typeof(Notification)
            ? (TMessage)(object)notification
            : PortableJson.Deserialize(notification.Utf8Body, message, "The notification body");
        await services.GetRequiredService<TFunction>().HandleAsync(value, context, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
    {
        await InvokeMessageAsync(services, input, context, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
