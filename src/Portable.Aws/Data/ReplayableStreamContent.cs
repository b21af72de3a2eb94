using System.Net;

namespace Portable.Aws.Data;

/// <summary>
/// A request body read from a caller's seekable stream from <paramref name="start"/>, <paramref name="length"/> bytes: each
/// attempt of a retried request starts it over, and disposing the request leaves the caller's stream open.
/// </summary>
internal sealed class ReplayableStreamContent(Stream stream, long start, long length) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream target, TransportContext? context, CancellationToken cancellationToken)
    {
        stream.Position = start;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            var left = length;
            while (left > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new IOException($"The stream ended {left} bytes before the length it gave ({length} bytes from {start}).");
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) => SerializeToStreamAsync(target, context, CancellationToken.None);

    protected override bool TryComputeLength(out long size)
    {
        size = length;
        return true;
    }
}
