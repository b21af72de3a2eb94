namespace Portable.Aws.Data;

/// <summary>An S3 answer that is not the well-formed XML <see cref="S3XmlReader"/> reads, or not the document that was expected.</summary>
internal sealed class S3XmlException(string message) : FormatException(message);
