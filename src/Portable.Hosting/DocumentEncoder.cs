using System.Buffers;
using System.Text.Encodings.Web;

namespace Portable.Hosting;

/// <summary>
/// <see cref="JavaScriptEncoder.Default"/>, the encoder <see cref="System.Text.Json.Utf8JsonWriter"/> uses when it is given none,
/// for the writer of a document that may be at most <see cref="CappedBufferWriter.Limit"/> bytes: a string that cannot fit in
/// the room left is refused before the writer escapes it. The writer escapes a string (any non-ASCII or HTML-sensitive
/// character) into a buffer of 6 characters an input character that it rents from the shared pool, which keeps it: a 3 MB
/// string of <c>é</c> would cost 36 MB, refused only afterwards. Every character becomes at least one byte of JSON, so a string
/// longer than the room left proves the document over the limit. Every other call is <see cref="JavaScriptEncoder.Default"/>'s,
/// so the JSON is the same (tested against the writer without an encoder, over every UTF-16 code unit).
/// </summary>
internal sealed class DocumentEncoder(CappedBufferWriter output) : JavaScriptEncoder
{
    private static readonly JavaScriptEncoder Inner = Default;

    public override int MaxOutputCharactersPerInputCharacter => Inner.MaxOutputCharactersPerInputCharacter;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        output.CheckRoomFor(textLength);
        return Inner.FindFirstCharacterToEncode(text, textLength);
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        output.CheckRoomFor(utf8Text.Length);
        return Inner.FindFirstCharacterToEncodeUtf8(utf8Text);
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
        => Inner.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);

    public override bool WillEncode(int unicodeScalar) => Inner.WillEncode(unicodeScalar);

    public override OperationStatus EncodeUtf8(ReadOnlySpan<byte> utf8Source, Span<byte> utf8Destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock = true)
        => Inner.EncodeUtf8(utf8Source, utf8Destination, out bytesConsumed, out bytesWritten, isFinalBlock);

    public override OperationStatus Encode(ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten, bool isFinalBlock = true)
        => Inner.Encode(source, destination, out charsConsumed, out charsWritten, isFinalBlock);
}
