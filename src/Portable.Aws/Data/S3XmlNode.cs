namespace Portable.Aws.Data;

/// <summary>Where an <see cref="S3XmlReader"/> stands.</summary>
internal enum S3XmlNode
{
    /// <summary>Before the first element, or after the end of the document.</summary>
    None,

    /// <summary>On an element's start tag.</summary>
    Start,

    /// <summary>On an element's end (the end tag, or just after a self-closing element's start).</summary>
    End,
}
