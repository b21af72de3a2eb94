namespace Portable;

/// <summary>
/// The input of an invocation breaks a rule. Every adapter answers it as the caller's error: HTTP 400 with
/// <c>application/problem+json</c> naming the fields; a message that cannot be read is dead-lettered without retries.
/// </summary>
public sealed class InvalidInputException : Exception
{
    /// <summary>Creates the exception for one field.</summary>
    /// <param name="field">The JSON path of the field at fault, such as <c>items[0].quantity</c>.</param>
    /// <param name="message">What is wrong with it.</param>
    public InvalidInputException(string field, string message)
        : this(message, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] })
    {
    }

    /// <summary>Creates the exception with the errors of several fields.</summary>
    /// <param name="message">A summary of what is wrong.</param>
    /// <param name="errors">Each field's JSON path and what is wrong with it.</param>
    public InvalidInputException(string message, IReadOnlyDictionary<string, string[]> errors)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
    }

    /// <summary>Creates the exception with a message and no field errors.</summary>
    /// <param name="message">What is wrong.</param>
    public InvalidInputException(string message)
        : this(message, new Dictionary<string, string[]>(StringComparer.Ordinal))
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause, such as a <see cref="System.Text.Json.JsonException"/>.</param>
    public InvalidInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidInputException()
        : this("The input is not valid.")
    {
    }

    /// <summary>Each field's JSON path and what is wrong with it.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
