using Portable.Aws.Data;
using Portable.Aws.Runtime;

namespace Portable.Aws.Tests;

public sealed class SigningAndTraceTests
{
    [Fact]
    public void SigV4_SignsTheDocumentedIamListUsersExample()
    {
        // The worked example of AWS's Signature Version 4 documentation (IAM ListUsers, 2015-08-30T12:36:00Z, example keys).
        var authorization = SigV4.Authorization(
            "GET", new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"), "Action=ListUsers&Version=2010-05-08",
            "application/x-www-form-urlencoded; charset=utf-8", [], new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero),
            "us-east-1", "iam", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            authorization);
    }

    [Theory]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01")]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00")]
    public void XRayHeader_BecomesTheW3CTraceParent(string header, string traceParent)
        => Assert.Equal(traceParent, XRayTrace.ToTraceContext(header)!.TraceParent);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Root=1-5e9f0c65-1de4d666d4dd26aced652b6c")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8")]
    public void XRayHeader_WithoutAParentOrMalformed_GivesNoContext(string? header)
        => Assert.Null(XRayTrace.ToTraceContext(header));
}
