namespace Portable.Azure.Bindings;

/// <summary>Where a queue message that can never be read goes at once, instead of through every retry: <c>{queue}-poison</c>, as the Functions host names it.</summary>
internal interface IPoisonQueue
{
    ValueTask SendAsync(string queue, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}
