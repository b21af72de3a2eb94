using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Json;

namespace Portable.Hosting;

/// <summary>Invokes an <see cref="IBlobHandler"/>; direct invocation takes the portable <see cref="BlobEvent"/> JSON.</summary>
internal sealed class BlobInvoker<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(string bucket, BlobEvents events) : FunctionInvoker
    where TFunction : class, IBlobHandler
{
    public override ValueTask InvokeBlobAsync(IServiceProvider services, BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken)
        => new(services.GetRequiredService<TFunction>().HandleAsync(blobEvent, context, cancellationToken));

    public override async ValueTask<byte[]?> InvokeJsonAsync(IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken cancellationToken)
    {
        var value = PortableJson.Deserialize(input, CoreJsonContext.Default.BlobEvent, "The blob event");
        if (string.IsNullOrEmpty(value.Name)) throw new InvalidInputException("name", "The blob event has no object name.");
        if (string.IsNullOrEmpty(value.Id)) throw new InvalidInputException("id", "The blob event has no id.");
        if (!string.Equals(value.Bucket, bucket, StringComparison.Ordinal))
        {
            throw new InvalidInputException($"The blob event is for bucket '{value.Bucket}', but {context.FunctionName} handles bucket '{bucket}'.");
        }

        if (value.Type is not (BlobEvents.Created or BlobEvents.Deleted) || (events & value.Type) == 0)
        {
            throw new InvalidInputException($"The blob event's type is '{value.Type}', but {context.FunctionName} handles {events}.");
        }

        await InvokeBlobAsync(services, value, context, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
