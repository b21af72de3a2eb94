namespace Portable.Hosting.TestApp;

/// <summary>A typed function: JSON in and out (415 for another media type), a 400 problem for an empty text.</summary>
public sealed class Echo : IFunction<EchoRequest, EchoResponse>
{
    /// <inheritdoc />
    public Task<EchoResponse> HandleAsync(EchoRequest input, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrEmpty(input.Text)) throw new InvalidInputException("text", "The text is required.");
        return Task.FromResult(new EchoResponse(input.Text));
    }
}
