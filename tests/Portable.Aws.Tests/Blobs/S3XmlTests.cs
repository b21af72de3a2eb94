using System.Globalization;
using System.Text;
using System.Xml;
using Portable.Aws.Data;

namespace Portable.Aws.Tests.Blobs;

/// <summary>
/// The S3 answers' XML reader: the answer shapes of the S3 API reference (written here, not copied), the text forms S3 uses for
/// awkward keys, every refusal, and a differential run against .NET's XmlReader (allowed in tests) over generated listings.
/// </summary>
public sealed class S3XmlTests
{
    private static byte[] Utf8(string xml) => Encoding.UTF8.GetBytes(xml);

    [Fact]
    public void ReadListing_ListObjectsV2Page_ReadsEveryContentsAndTheNextToken_AndSkipsCommonPrefixes()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>orders-bucket</Name>
              <Prefix>invoices/</Prefix>
              <KeyCount>3</KeyCount>
              <MaxKeys>3</MaxKeys>
              <Delimiter>/</Delimiter>
              <IsTruncated>true</IsTruncated>
              <Contents>
                <Key>invoices/2026-11.pdf</Key>
                <LastModified>2026-11-30T18:04:11.000Z</LastModified>
                <ETag>&quot;8d3a1f2b9c04e5f6a7b8c9d0e1f2a3b4&quot;</ETag>
                <ChecksumAlgorithm>CRC32</ChecksumAlgorithm>
                <Size>48213</Size>
                <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>ops</DisplayName></Owner>
                <StorageClass>STANDARD</StorageClass>
              </Contents>
              <Contents>
                <Key>invoices/2026-12.pdf</Key>
                <LastModified>2026-12-01T07:00:00.000Z</LastModified>
                <ETag>"5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b-3"</ETag>
                <Size>25165824</Size>
                <StorageClass>STANDARD</StorageClass>
              </Contents>
              <Contents>
                <Key>invoices/empty</Key>
                <LastModified>2026-12-01T07:00:01.000Z</LastModified>
                <ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag>
                <Size>0</Size>
              </Contents>
              <CommonPrefixes><Prefix>invoices/archive/</Prefix></CommonPrefixes>
              <CommonPrefixes><Prefix>invoices/drafts/</Prefix></CommonPrefixes>
              <EncodingType>url</EncodingType>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
              <StartAfter></StartAfter>
            </ListBucketResult>
            """;

        var page = S3BlobStore.ReadListing(Utf8(xml), default);

        Assert.Equal(["invoices/2026-11.pdf", "invoices/2026-12.pdf", "invoices/empty"], page.Items.Select(i => i.Name));
        Assert.Equal([48213L, 25165824L, 0L], page.Items.Select(i => i.Size));
        Assert.Equal(["8d3a1f2b9c04e5f6a7b8c9d0e1f2a3b4", "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b-3", "d41d8cd98f00b204e9800998ecf8427e"], page.Items.Select(i => i.ETag));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 18, 4, 11, TimeSpan.Zero), page.Items[0].LastModified);
        Assert.Equal("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", page.ContinuationToken);
    }

    [Fact]
    public void ReadListing_LastPage_HasNoToken()
    {
        const string xml = "<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><Contents><Key>a</Key><Size>1</Size></Contents></ListBucketResult>";

        var page = S3BlobStore.ReadListing(Utf8(xml), default);

        Assert.Equal("a", Assert.Single(page.Items).Name);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public void ReadListing_EmptyBucket_SelfClosingElements_IsAnEmptyPage()
    {
        var page = S3BlobStore.ReadListing(Utf8("<ListBucketResult><Name>b</Name><Prefix/><KeyCount>0</KeyCount><NextContinuationToken/></ListBucketResult>"), default);

        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public void ReadListing_AwkwardKeys_ResolvesEntitiesReferencesCDataAndUtf8_SkipsCommentsAndPrefixes()
    {
        var xml = "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- one page -->\n"
            + "<s3:ListBucketResult xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\" note='a &amp; b'>"
            + "<s3:Contents><s3:Key>fish &amp; chips/&lt;menu&gt;</s3:Key><s3:Size>1</s3:Size></s3:Contents>"
            + "<s3:Contents><s3:Key>smile &#x1F600; and &#128512;</s3:Key><s3:Size>2</s3:Size></s3:Contents>"
            + "<s3:Contents><s3:Key><![CDATA[raw <b> & ]] stays]]></s3:Key><s3:Size>3</s3:Size></s3:Contents>"
            + "<s3:Contents><s3:Key>Zürich/日本語/Ωmega</s3:Key><s3:Size>4</s3:Size></s3:Contents>"
            + "<s3:Contents><s3:Key>line&#13;&#10;end&#x9;tab&apos;&quot;</s3:Key><!-- between --><s3:Size>5</s3:Size></s3:Contents>"
            + "<s3:Contents><s3:Key>half<!-- a comment inside -->whole<?pi skipped?></s3:Key><s3:Size>6</s3:Size></s3:Contents>"
            + "<s3:Contents><s3:Key>raw\r\nbreak</s3:Key><s3:Size>7</s3:Size></s3:Contents>"
            + "</s3:ListBucketResult>\n<!-- after -->\n";

        var page = S3BlobStore.ReadListing(Encoding.UTF8.GetBytes(xml), default);

        Assert.Equal(
            ["fish & chips/<menu>", "smile \U0001F600 and \U0001F600", "raw <b> & ]] stays", "Zürich/日本語/Ωmega", "line\r\nend\ttab'\"", "halfwhole", "raw\nbreak"],
            page.Items.Select(i => i.Name));
        Assert.Equal("\uD83D\uDE00", page.Items[1].Name.Substring(6, 2));
    }

    [Fact]
    public void ReadListing_WhitespaceOnlyKey_IsKept()
    {
        // The XmlReader used before (IgnoreWhitespace) dropped a whitespace-only text node and listed the key " " as "".
        var bytes = Utf8("<ListBucketResult><Contents><Key> </Key></Contents><Contents><Key>\t\n</Key></Contents></ListBucketResult>");

        Assert.Equal([" ", "\t\n"], S3BlobStore.ReadListing(bytes, default).Items.Select(i => i.Name));
        Assert.Equal([" ", "\t\n"], ReadListingWithXmlReader(bytes).Keys);
    }

    [Fact]
    public void ReadListing_OtherRoot_SaysWhatS3Answered()
    {
        var error = Assert.Throws<S3XmlException>(() => S3BlobStore.ReadListing(Utf8("<ListAllMyBucketsResult/>"), default));
        Assert.Equal("S3 ListObjectsV2 answered <ListAllMyBucketsResult>, not <ListBucketResult>.", error.Message);
    }

    [Theory]
    [InlineData("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>")]
    [InlineData("<ListBucketResult><Contents/></ListBucketResult>")]
    public void ReadListing_ContentsWithoutKey_IsRefused(string xml)
    {
        var error = Assert.Throws<S3XmlException>(() => S3BlobStore.ReadListing(Utf8(xml), default));
        Assert.Equal("S3 listed an object without a Key.", error.Message);
    }

    [Fact]
    public void ReadError_ErrorDocument_GivesCodeMessageAndRequestId()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error>
              <Code>NoSuchKey</Code>
              <Message>The resource you requested does not exist</Message>
              <Resource>/orders-bucket/invoices/2027-01.pdf</Resource>
              <RequestId>4442587FB7D0A2F9</RequestId>
              <HostId>bmV2ZXIgY29waWVkLCB3cml0dGVuIGZvciB0aGlzIHRlc3Q=</HostId>
            </Error>
            """;

        Assert.Equal(("NoSuchKey", "The resource you requested does not exist", "4442587FB7D0A2F9"), S3Client.ReadError(Utf8(xml)));
    }

    [Fact]
    public void ReadError_DocumentThatIsNotAnError_IsAllNull()
    {
        const string xml = "<CompleteMultipartUploadResult><Code>not an error</Code></CompleteMultipartUploadResult>";
        Assert.Equal((null, null, null), S3Client.ReadError(Utf8(xml)));
    }

    [Fact]
    public async Task RefusalAsync_BodyThatIsNotXml_KeepsTheBodyAsTheMessage()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.BadGateway) { Content = new StringContent("upstream timed out") };

        var refusal = await S3Client.RefusalAsync("GetObject", response, default);

        Assert.Equal("S3 GetObject answered 502 BadGateway: upstream timed out", refusal.Message);
    }

    [Fact]
    public void ReadElement_InitiateMultipartUploadResult_GivesTheUploadId()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Bucket>orders-bucket</Bucket>
              <Key>exports/big.csv</Key>
              <UploadId>Vn8qGd2.kP3mTq0wX5zY7bR1cE4fH6jL9nS_aU-oI2eW</UploadId>
            </InitiateMultipartUploadResult>
            """;

        Assert.Equal("Vn8qGd2.kP3mTq0wX5zY7bR1cE4fH6jL9nS_aU-oI2eW", S3BlobStore.ReadElement(Utf8(xml), "UploadId"));
    }

    [Fact]
    public void ReadElement_CompleteMultipartUploadResult_GivesTheQuotedETag_AndIsNoError()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Location>https://orders-bucket.s3.eu-west-1.amazonaws.com/exports/big.csv</Location>
              <Bucket>orders-bucket</Bucket>
              <Key>exports/big.csv</Key>
              <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag>
            </CompleteMultipartUploadResult>
            """;

        Assert.Equal("\"3858f62230ac3c915f300c664312c11f-9\"", S3BlobStore.ReadElement(Utf8(xml), "ETag"));
        Assert.Equal((null, null, null), S3Client.ReadError(Utf8(xml)));
    }

    [Fact]
    public void ReadError_ErrorAfterA200_OfCompleteMultipartUpload_IsFound()
    {
        const string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>";
        Assert.Equal(("InternalError", "We encountered an internal error. Please try again.", null), S3Client.ReadError(Utf8(xml)));
    }

    [Fact]
    public void Reader_WalksStartsAndEnds_WithDepth_AndSkip()
    {
        var reader = new S3XmlReader(Utf8("<a x='1'><b><c>t</c></b><d/><e>v</e></a>"));
        var seen = new List<string>();
        while (reader.Read())
        {
            seen.Add($"{(reader.Node == S3XmlNode.Start ? "+" : "-")}{reader.LocalName}{reader.Depth}");
            if (reader.Node == S3XmlNode.Start && reader.LocalName == "b") reader.Skip();
            else if (reader.Node == S3XmlNode.Start && reader.LocalName == "e") Assert.Equal("v", reader.ReadText());
        }

        Assert.Equal(["+a0", "+b1", "+d1", "-d1", "+e1", "-a0"], seen);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "doctype", "<?xml version=\"1.0\"?><!DOCTYPE Error [<!ENTITY x \"boom\">]><Error><Code>&x;</Code></Error>", "DOCTYPE" },
        { "unknown entity", "<Error><Code>&nbsp;</Code></Error>", "unknown entity '&nbsp;'" },
        { "bare ampersand", "<Error><Code>a & b</Code></Error>", "'&'" },
        { "mismatched tags", "<Error><Code>x</Message></Error>", "</Message> does not match <Code>" },
        { "unclosed root", "<Error><Code>x</Code>", "ends inside <Error>" },
        { "unclosed tag", "<Error><Code", "ends inside the tag <Code>" },
        { "end without start", "<Error></Code></Error>", "</Code> does not match <Error>" },
        { "text before the root", "oops<Error/>", "text outside the root element" },
        { "text after the root", "<Error/>trailing", "text outside the root element" },
        { "plain text", "Service Unavailable", "text outside the root element" },
        { "second root", "<Error/><Error/>", "a second root element" },
        { "no root", "<?xml version=\"1.0\"?><!-- nothing -->", "no root element" },
        { "invalid utf-8", "<Error><Code>\u0001</Code></Error>", "not valid UTF-8" },
        { "invalid character reference", "<Error><Code>&#1;</Code></Error>", "'&#1;'" },
        { "surrogate reference", "<Error><Code>&#xD800;</Code></Error>", "'&#xD800;'" },
        { "reference beyond Unicode", "<Error><Code>&#x110000;</Code></Error>", "beyond Unicode" },
        { "raw control character", "<Error><Code>\u0002</Code></Error>", "U+0002" },
        { "declaration not first", "<Error/><?xml version=\"1.0\"?>", "XML declaration" },
        { "double dash in comment", "<Error><!-- a -- b --></Error>", "'--'" },
        { "unclosed CDATA", "<Error><Code><![CDATA[x</Code></Error>", "CDATA" },
        { "unquoted attribute", "<Error id=1/>", "no quoted value" },
        { "child where text is expected", "<Error><Code><b>x</b></Code></Error>", "holds the element <b>" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Reader_MalformedDocument_IsRefusedWithAReason_AsXmlReaderRefusesIt(string what, string xml, string reason)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        if (what == "invalid utf-8") bytes = [.. Utf8("<Error><Code>"), 0xC3, 0x28, .. Utf8("</Code></Error>")];

        var error = Assert.Throws<S3XmlException>(() => S3Client.ReadError(bytes));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("(line 1, byte ", error.Message, StringComparison.Ordinal);
        if (what != "child where text is expected") Assert.ThrowsAny<XmlException>(() => ReadAllWithXmlReader(bytes));
    }

    [Fact]
    public void Reader_ErrorPosition_CountsLines()
    {
        var error = Assert.Throws<S3XmlException>(() => S3Client.ReadError(Utf8("<Error>\n  <Code>&bogus;</Code>\n</Error>")));
        Assert.EndsWith("(line 2, byte 9 of the line).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadListing_GeneratedPages_AgreeWithXmlReader()
    {
        var random = new Random(20261201);
        for (var n = 0; n < 300; n++)
        {
            var (xml, expected) = GeneratePage(random);
            var bytes = Encoding.UTF8.GetBytes(xml);

            var ours = S3BlobStore.ReadListing(bytes, default);
            var theirs = ReadListingWithXmlReader(bytes);

            Assert.Equal(expected.Select(e => e.Key), ours.Items.Select(i => i.Name));
            Assert.Equal(theirs.Keys, ours.Items.Select(i => i.Name));
            Assert.Equal(theirs.ETags, ours.Items.Select(i => i.ETag));
            Assert.Equal(theirs.Sizes, ours.Items.Select(i => i.Size));
            Assert.Equal(expected.Select(e => e.Size), ours.Items.Select(i => i.Size));
            Assert.Equal(theirs.Token, ours.ContinuationToken);
        }
    }

    private static (string Xml, List<(string Key, long Size)> Expected) GeneratePage(Random random)
    {
        var xml = new StringBuilder();
        if (random.Next(2) == 0) xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        xml.Append(Gap(random)).Append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">").Append(Gap(random));
        xml.Append("<Name>bucket</Name>").Append(Gap(random)).Append("<IsTruncated>true</IsTruncated>").Append(Gap(random));
        var expected = new List<(string, long)>();
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            var key = Escape(random, RandomText(random, random.Next(1, 40)), out var read);
            var size = random.NextInt64(0, 5L << 40);
            expected.Add((read, size));
            xml.Append("<Contents>").Append(Gap(random))
                .Append("<Key>").Append(key).Append("</Key>").Append(Gap(random))
                .Append("<LastModified>2026-12-01T08:00:00.000Z</LastModified>").Append(Gap(random))
                .Append("<ETag>").Append(Escape(random, $"\"{random.Next():x8}{random.Next():x8}\"")).Append("</ETag>").Append(Gap(random))
                .Append("<Size>").Append(size.ToString(CultureInfo.InvariantCulture)).Append("</Size>").Append(Gap(random))
                .Append(random.Next(3) == 0 ? "<Owner><ID>x</ID><DisplayName/></Owner>" : "").Append("<StorageClass>STANDARD</StorageClass>")
                .Append("</Contents>").Append(Gap(random));
        }

        if (random.Next(4) == 0) xml.Append("<CommonPrefixes><Prefix>").Append(Escape(random, RandomText(random, 5))).Append("</Prefix></CommonPrefixes>");
        if (random.Next(2) == 0) xml.Append("<NextContinuationToken>").Append(Escape(random, RandomText(random, random.Next(1, 30)))).Append("</NextContinuationToken>");
        xml.Append("</ListBucketResult>").Append(Gap(random));
        return (xml.ToString(), expected);
    }

    private static string Gap(Random random) => random.Next(6) switch
    {
        0 => "\n  ",
        1 => "<!-- c -->",
        2 => "\r\n\t",
        _ => "",
    };

    /// <summary>Text from wide Unicode: ASCII (with the characters XML must escape), Latin, CJK, symbols, astral characters.</summary>
    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder();
        while (text.Length < length)
        {
            var pick = random.Next(10);
            var code = pick switch
            {
                0 => "<>&\"'\r\n\t]"[random.Next(9)],
                1 or 2 => random.Next(0x20, 0x7F),
                3 => random.Next(0xA0, 0x250),
                4 => random.Next(0x370, 0x2000),
                5 => random.Next(0x3000, 0xD7FF),
                6 => random.Next(0xE000, 0xFFFE),
                7 => random.Next(0x10000, 0x20000),
                8 => random.Next(0x1F300, 0x1FAFF),
                _ => random.Next(0x20000, 0x10FFFF),
            };
            text.Append(char.ConvertFromUtf32(code));
        }

        return text.ToString();
    }

    /// <summary>Writes text as an XML producer may: entities, decimal or hexadecimal references, CDATA, or raw where XML allows.</summary>
    private static string Escape(Random random, string text) => Escape(random, text, out _);

    /// <summary>As <see cref="Escape(Random, string)"/>; <paramref name="read"/> is the text a reader gives back (a raw CR, or CR LF, reads as LF).</summary>
    private static string Escape(Random random, string text, out string read)
    {
        if (random.Next(6) == 0 && !text.Contains("]]>", StringComparison.Ordinal))
        {
            read = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
            return "<![CDATA[" + text + "]]>";
        }

        var xml = new StringBuilder();
        var back = new StringBuilder();
        var rawCr = false;
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            var code = char.ConvertToUtf32(text, i);
            var form = random.Next(4);
            var must = code is '<' or '&' || (code == '>' && i >= 2 && text[i - 1] == ']' && text[i - 2] == ']');
            var raw = false;
            if (form == 0 || (must && form == 1)) xml.Append(CultureInfo.InvariantCulture, $"&#x{code:X};");
            else if (form == 1) xml.Append(CultureInfo.InvariantCulture, $"&#{code};");
            else if (must || (form == 2 && code is '>' or '"' or '\'' or '\r'))
            {
                xml.Append(code switch { '<' => "&lt;", '&' => "&amp;", '>' => "&gt;", '"' => "&quot;", '\'' => "&apos;", _ => "&#13;" });
            }
            else
            {
                xml.Append(char.ConvertFromUtf32(code));
                raw = true;
            }

            // A raw CR reads as LF, and the LF of a raw CR LF is not read again.
            if (!(raw && code == '\n' && rawCr)) back.Append(raw && code == '\r' ? "\n" : char.ConvertFromUtf32(code));
            rawCr = raw && code == '\r';
        }

        read = back.ToString();
        return xml.ToString();
    }

    private static XmlReaderSettings OracleSettings => new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };

    private static void ReadAllWithXmlReader(byte[] xml)
    {
        using var reader = XmlReader.Create(new MemoryStream(xml), OracleSettings);
        while (reader.Read())
        {
        }
    }

    private static (List<string> Keys, List<string> ETags, List<long> Sizes, string? Token) ReadListingWithXmlReader(byte[] xml)
    {
        var keys = new List<string>();
        var etags = new List<string>();
        var sizes = new List<long>();
        string? token = null;
        using var reader = XmlReader.Create(new MemoryStream(xml), OracleSettings);
        reader.MoveToContent();
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && reader.LocalName == "NextContinuationToken")
            {
                token = reader.ReadElementContentAsString();
                continue;
            }

            if (reader.NodeType != XmlNodeType.Element || reader.Depth != 2 || reader.LocalName is not ("Key" or "ETag" or "Size"))
            {
                reader.Read();
                continue;
            }

            var name = reader.LocalName;
            var text = reader.ReadElementContentAsString();
            switch (name)
            {
                case "Key": keys.Add(text); break;
                case "ETag": etags.Add(text.Trim().Trim('"')); break;
                case "Size": sizes.Add(long.Parse(text, CultureInfo.InvariantCulture)); break;
            }
        }

        return (keys, etags, sizes, string.IsNullOrEmpty(token) ? null : token);
    }
}
