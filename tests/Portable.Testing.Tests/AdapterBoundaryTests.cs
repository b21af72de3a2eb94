using System.Reflection;
using System.Runtime.CompilerServices;
using Portable.Aws;
using Portable.Azure;
using Portable.Gcp;
using Portable.Local;
using Portable.Local.Queues;

namespace Portable.Testing.Tests;

public sealed class AdapterBoundaryTests
{
    public static TheoryData<string> Adapters() => [.. AdapterAssemblies().Keys];

    private static Dictionary<string, Assembly> AdapterAssemblies() => new()
    {
        ["Portable.Local"] = typeof(LocalPlatform).Assembly,
        ["Portable.Aws"] = typeof(AwsPlatform).Assembly,
        ["Portable.Gcp"] = typeof(GcpPlatform).Assembly,
        ["Portable.Azure"] = typeof(AzurePlatform).Assembly,
    };

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Adapter_GrantsNoInternalsToPortableTesting(string adapter)
    {
        var assembly = AdapterAssemblies()[adapter];
        Assert.Equal(adapter, assembly.GetName().Name);

        var friends = assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName.Split(',')[0].Trim()).ToList();

        Assert.NotEmpty(friends); // each adapter opens its internals to its own test project, so the attributes are really read
        Assert.DoesNotContain("Portable.Testing", friends);
    }

    [Fact]
    public async Task TestHost_ResolvesTheLocalQueuesService_ThatItsQueueMethodsUse()
    {
        await using var host = await PortableTestHost.StartAsync(b => { });
        var queues = host.Services.GetService(typeof(LocalQueues));

        Assert.IsType<LocalQueues>(queues);
    }
}
