using Orders;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>
/// Issue #13's AWS acceptance on the real artefact: the template.yaml that <c>dotnet publish samples/Orders -c Release -r linux-x64
/// -p:PortableTarget=aws</c> writes (the Native AOT publish test.sh makes before the suites; zero AOT warnings is checked by <see cref="PublishedBootstrapTests"/>).
/// </summary>
public sealed class PublishedTemplateTests(SharedPublishedBootstrap published) : IClassFixture<SharedPublishedBootstrap>
{
    private string Template => File.ReadAllText(Path.Combine(published.Output, "template.yaml"));

    [Fact]
    public void PublishedTemplate_GivesHelloNoDataPermission_GetOrderTheOrdersTable_PlaceOrderTheOrdersTableAndQueue_AndProtectsTheOrderRoutes()
        => SamAssert.OrdersLeastPrivilegeAndAccess(SamYaml.Load(Template));

    [Fact]
    public void PublishedTemplate_GivesEachFunctionItsDeclaredSettings_OnX64()
    {
        var template = SamYaml.Load(Template);

        foreach (var function in AwsEmulators.App(OrdersApp.Configure).Catalog.Functions)
        {
            Assert.Equal((function.Settings.MemoryMb, (int)function.Settings.Timeout.TotalSeconds, "x86_64"), SamAssert.Settings(template, function.Name));
        }
    }
}
