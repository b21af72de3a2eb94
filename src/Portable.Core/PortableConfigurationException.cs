namespace Portable;

/// <summary>The app is wired wrongly; the message names the fix. Thrown at start-up, never for a single invocation's input.</summary>
public sealed class PortableConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public PortableConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public PortableConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public PortableConfigurationException()
        : this("The Portable app is not configured correctly.")
    {
    }
}
