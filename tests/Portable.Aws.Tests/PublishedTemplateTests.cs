using System.Text.RegularExpressions;
using Orders;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>Issue #13's AWS acceptance on the real artefact: the template.yaml that <c>dotnet publish samples/Orders -c Release -r linux-x64 -p:PortableTarget=aws</c> writes.</summary>
public sealed class PublishedTemplateTests(PublishedBootstrap published) : IClassFixture<PublishedBootstrap>
{
    [Fact]
    public void PublishedTemplate_GivesHelloNoDataPermission_GetOrderTheOrdersTable_PlaceOrderTheOrdersTableAndQueue_AndProtectsTheOrderRoutes()
    {
        Assert.True(published.ExitCode == 0, published.Log);
        Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), published.Log); // reading the constructors stays AOT-safe

        SamAssert.OrdersLeastPrivilegeAndAccess(SamYaml.Load(File.ReadAllText(Path.Combine(published.Output, "template.yaml"))));
    }

    [Fact]
    public void PublishedTemplate_GivesEachFunctionItsDeclaredSettings_OnX64()
    {
        Assert.True(published.ExitCode == 0, published.Log);
        var template = SamYaml.Load(File.ReadAllText(Path.Combine(published.Output, "template.yaml")));

        foreach (var function in AwsEmulators.App(OrdersApp.Configure).Catalog.Functions)
        {
            Assert.Equal((function.Settings.MemoryMb, (int)function.Settings.Timeout.TotalSeconds, "x86_64"), SamAssert.Settings(template, function.Name));
        }
    }
}
