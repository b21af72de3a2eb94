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

internal sealed class RawHttpInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction> : FunctionInvoker
    where TFunction : class, IHttpFunction
{
    public override ValueTask<HttpResponseData> InvokeHttpAsync(IServiceProvider services, HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => new(services.GetRequiredService<TFunction>().HandleAsync(request, context, cancellationToken));

    public override ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidInputException($"Function '{context.FunctionName}' handles raw HTTP requests; call its route instead of invoking it with JSON.");
}

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
            : PortableJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(notification.Body), message, "The notification body");
        await services.GetRequiredService<TFunction>().HandleAsync(value, context, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
    {
        await InvokeMessageAsync(services, input, context, cancellationToken).ConfigureAwait(false);
        return null;
    }
}

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
