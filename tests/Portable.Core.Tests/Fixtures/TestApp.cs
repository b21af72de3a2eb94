using Microsoft.Extensions.DependencyInjection;
using Portable.Hosting;

namespace Portable.Core.Tests.Fixtures;

/// <summary>Builds apps the way a Program.cs does, with the test JSON context registered.</summary>
public static class TestApp
{
    public const string Name = "core-tests";

    public static PortableAppBuilder CreateBuilder()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = Name;
        builder.AddJson(TestJsonContext.Default);
        return builder;
    }

    public static PortableApp Build(Action<PortableAppBuilder> configure)
    {
        var builder = CreateBuilder();
        configure(builder);
        return builder.Build();
    }

    public static FunctionExecutor CreateExecutor(PortableApp app, TimeProvider? timeProvider = null)
        => new("test", app.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), timeProvider);
}
