using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary><see cref="DeploymentReport"/>: what cannot be honoured is an MSBuild warning line, a note a plain line, one line each.</summary>
public sealed class DeploymentReportTests
{
    [Fact]
    public async Task WriteAsync_PrintsCannotHonourInMSBuildsWarningForm_AndNotesPlain_InOrder_OneLineEach()
    {
        var report = new DeploymentReport("Azure");
        report.CannotHonour("PlaceOrder", "arm64 is declared, but Flex Consumption runs x64 only;\nthe app is deployed for x64.");
        report.Note("app", "one function app shares one identity.");
        using var output = new StringWriter { NewLine = "\n" };

        await report.WriteAsync(output, CancellationToken.None);

        Assert.Equal(
            "Portable : warning PORTABLE001: Azure: PlaceOrder: arm64 is declared, but Flex Consumption runs x64 only; the app is deployed for x64.\n" +
            "Portable Azure: app: one function app shares one identity.\n",
            output.ToString());
        Assert.Equal([true, false], report.Entries.Select(e => e.CannotHonour));
    }

    [Fact]
    public void Add_EmptySubjectOrText_Throws()
    {
        var report = new DeploymentReport("AWS");

        Assert.ThrowsAny<ArgumentException>(() => report.Note("", "text"));
        Assert.ThrowsAny<ArgumentException>(() => report.CannotHonour("app", ""));
    }
}
