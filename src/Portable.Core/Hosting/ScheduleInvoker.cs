using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Portable.Json;

namespace Portable.Hosting;

internal sealed class ScheduleInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(string cron, TimeProvider time) : FunctionInvoker
    where TFunction : class, IEventHandler<ScheduledEvent>
{
    public override ValueTask InvokeScheduleAsync(IServiceProvider services, ScheduledEvent scheduledEvent, FunctionContext context, CancellationToken cancellationToken)
        => new(services.GetRequiredService<TFunction>().HandleAsync(scheduledEvent, context, cancellationToken));

    public override async ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
    {
        var value = input.IsEmpty || input.Span.Trim(" \r\n\t"u8).SequenceEqual("{}"u8)
            ? new ScheduledEvent(context.FunctionName, time.GetUtcNow(), cron)
            : PortableJson.Deserialize(input, CoreJsonContext.Default.ScheduledEvent, "The scheduled event");
        await InvokeScheduleAsync(services, value, context, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
