using Portable.Aws.Data;

namespace Portable.Aws.Tests.Blobs;

/// <summary>S3 query signing (pre-signed URLs) against AWS's published example.</summary>
public sealed class S3PresignTests
{
    // Vector from AWS documentation, "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", Amazon S3 API
    // Reference (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): the example GET of
    // examplebucket/test.txt with the documentation's example credentials, 24 May 2013, valid 86400 s.
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string ExpectedUrl =
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    private static readonly DateTimeOffset Now = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Presign_AwsDocumentationExample_IsTheDocumentedUrl()
    {
        var url = S3Presigner.Presign("GET", new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), "/test.txt", "us-east-1",
            new AwsCredentials(AccessKey, SecretKey, null, null, "test"), Now, TimeSpan.FromSeconds(86400));

        Assert.Equal(ExpectedUrl, url.AbsoluteUri);
    }

    [Fact]
    public void Presign_WithASessionToken_SignsTheToken_SoTheSignatureDiffers()
    {
        var url = S3Presigner.Presign("GET", new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), "/test.txt", "us-east-1",
            new AwsCredentials(AccessKey, SecretKey, "token/with+chars", null, "test"), Now, TimeSpan.FromSeconds(86400));

        Assert.Contains("&X-Amz-Security-Token=token%2Fwith%2Bchars&", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.DoesNotContain("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Presign_UploadWithAContentType_SignsTheContentTypeHeader()
    {
        var plain = S3Presigner.Presign("PUT", new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), "/test.txt", "us-east-1",
            new AwsCredentials(AccessKey, SecretKey, null, null, "test"), Now, TimeSpan.FromMinutes(5));
        var typed = S3Presigner.Presign("PUT", new Uri("https://examplebucket.s3.amazonaws.com/test.txt"), "/test.txt", "us-east-1",
            new AwsCredentials(AccessKey, SecretKey, null, null, "test"), Now, TimeSpan.FromMinutes(5), "text/csv");

        Assert.Contains("X-Amz-SignedHeaders=host&", plain.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-SignedHeaders=content-type%3Bhost&", typed.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=300&", typed.AbsoluteUri, StringComparison.Ordinal);
    }
}
