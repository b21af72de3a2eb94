using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NSubstitute;
using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary><see cref="PortableAppBuilder"/> as an <see cref="IHostApplicationBuilder"/>: environment name, configuration sources and their order, no file watching, options.</summary>
public sealed class HostApplicationBuilderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("portable-host-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static IPortablePlatform Platform(string name, bool detected)
    {
        var platform = Substitute.For<IPortablePlatform>();
        platform.Name.Returns(name);
        platform.IsDetected(Arg.Any<Func<string, string?>>()).Returns(detected);
        return platform;
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables)
        => name => variables.FirstOrDefault(v => v.Name == name).Value;

    private PortableAppBuilder Create(string[]? args = null, Func<string, string?>? environment = null, params IPortablePlatform[] platforms)
        => new(args ?? [], environment ?? Variables(), _root, platforms);

    [Fact]
    public void EnvironmentName_PortableEnvironment_WinsOverDotnetEnvironment()
    {
        var builder = Create(environment: Variables(("PORTABLE_ENVIRONMENT", "Staging"), ("DOTNET_ENVIRONMENT", "Testing")), platforms: Platform("local", true));

        Assert.Equal("Staging", builder.Environment.EnvironmentName);
    }

    [Fact]
    public void EnvironmentName_WithoutPortableEnvironment_IsDotnetEnvironment()
    {
        var builder = Create(environment: Variables(("DOTNET_ENVIRONMENT", "Testing")), platforms: [Platform("local", true), Platform("aws", true)]);

        Assert.Equal("Testing", builder.Environment.EnvironmentName);
    }

    [Fact]
    public void EnvironmentName_UnsetAndNoCloudDetected_IsDevelopmentOnTheLocalPlatform()
    {
        var builder = Create(platforms: [Platform("local", true), Platform("aws", false)]);

        Assert.Equal("Development", builder.Environment.EnvironmentName);
    }

    [Fact]
    public void EnvironmentName_UnsetAndACloudDetected_IsProduction()
    {
        var builder = Create(platforms: [Platform("local", true), Platform("aws", true)]);

        Assert.Equal("Production", builder.Environment.EnvironmentName);
    }

    [Theory]
    [InlineData("--platform", "local", null, "Development")]
    [InlineData("--platform", "aws", null, "Production")]
    [InlineData(null, null, "local", "Development")]
    [InlineData(null, null, "gcp", "Production")]
    public void EnvironmentName_Unset_FollowsThePlatformNamedByArgumentOrVariable(string? flag, string? argument, string? variable, string expected)
    {
        string[] args = flag is null ? [] : [flag, argument!];
        var environment = Variables(variable is null ? [] : [("PORTABLE_PLATFORM", variable)]);

        var builder = Create(args, environment, Platform("local", true), Platform("aws", true), Platform("gcp", false));

        Assert.Equal(expected, builder.Environment.EnvironmentName);
    }

    [Fact]
    public void EnvironmentName_UnsetAndNoAdapterInTheBuild_IsProduction()
    {
        Assert.Equal("Production", Create().Environment.EnvironmentName);
    }

    [Fact]
    public void Environment_NamesTheApp_RootsAtTheContentRoot_AndNeverWatches()
    {
        var builder = Create();
        builder.AppName = "billing";

        Assert.Equal("billing", builder.Environment.ApplicationName);
        Assert.Equal("billing", builder.Build().Catalog.AppName);
        Assert.Equal(_root, builder.Environment.ContentRootPath);
        Assert.IsType<NullFileProvider>(builder.Environment.ContentRootFileProvider);
        Assert.Equal(AppContext.BaseDirectory, new PortableAppBuilder([]).Environment.ContentRootPath);
    }

    [Fact]
    public void Configuration_AppSettings_ThenEnvironmentFile_ThenVariables_ThenCommandLine_LaterWins()
    {
        var section = "S" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(_root, "appsettings.json"), $$"""{ "{{section}}": { "A": "file", "B": "file", "C": "file", "D": "file" } }""");
        File.WriteAllText(Path.Combine(_root, "appsettings.Staging.json"), $$"""{ "{{section}}": { "B": "staging", "C": "staging", "D": "staging" } }""");
        File.WriteAllText(Path.Combine(_root, "appsettings.Other.json"), $$"""{ "{{section}}": { "A": "other" } }""");
        System.Environment.SetEnvironmentVariable($"{section}__C", "variable");
        System.Environment.SetEnvironmentVariable($"{section}__D", "variable");
        try
        {
            var builder = Create([$"--{section}:D=command-line"], Variables(("PORTABLE_ENVIRONMENT", "Staging")));

            Assert.Equal("file", builder.Configuration[$"{section}:A"]);
            Assert.Equal("staging", builder.Configuration[$"{section}:B"]);
            Assert.Equal("variable", builder.Configuration[$"{section}:C"]);
            Assert.Equal("command-line", builder.Configuration[$"{section}:D"]);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable($"{section}__C", null);
            System.Environment.SetEnvironmentVariable($"{section}__D", null);
        }
    }

    [Fact]
    public void Configuration_WithoutAnyFile_StartsEmptyOfFileSettings()
    {
        var builder = Create();

        Assert.Null(builder.Configuration["Orders:MaxItems"]);
        Assert.DoesNotContain(builder.Configuration.AsEnumerable(), p => p.Key.StartsWith("Orders", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Configuration_JsonFiles_AreReadOnceAndNeverWatched()
    {
        File.WriteAllText(Path.Combine(_root, "appsettings.json"), """{ "K": "v", "Both": "base" }""");
        File.WriteAllText(Path.Combine(_root, "appsettings.Staging.json"), """{ "Both": "staging" }""");
        var builder = Create(environment: Variables(("PORTABLE_ENVIRONMENT", "Staging")));

        File.WriteAllText(Path.Combine(_root, "appsettings.json"), """{ "K": "changed", "Both": "changed" }""");
        Thread.Sleep(300); // a watcher, were there one, would have reloaded by now

        Assert.Equal("v", builder.Configuration["K"]);
        Assert.Equal("staging", builder.Configuration["Both"]); // the environment's file wins over the base file
    }

    [Fact]
    public void LoggingAndMetrics_RegisterIntoTheAppsServices()
    {
        var builder = Create();
        IHostApplicationBuilder host = builder;

        Assert.Same(builder.Services, host.Logging.Services);
        Assert.Same(builder.Services, host.Metrics.Services);
        Assert.Same(builder.Configuration, host.Configuration);
        builder.Properties["key"] = "value";
        Assert.Equal("value", host.Properties["key"]);
    }

    [Fact]
    public void ConfigureContainer_DefaultFactory_RunsOnTheServices_AndAnotherContainerIsRefusedNamingTheFix()
    {
        var builder = Create();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(), services => services.AddSingleton<Marker>());
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(Marker));

        var foreign = Substitute.For<IServiceProviderFactory<Marker>>();
        foreign.CreateBuilder(Arg.Any<IServiceCollection>()).Returns(new Marker());
        var error = Assert.Throws<PortableConfigurationException>(() => builder.ConfigureContainer(foreign));
        Assert.Contains("builder.Services", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_BoundFromTheBuildersConfiguration_ResolveFromTheAppsServices()
    {
        File.WriteAllText(Path.Combine(_root, "appsettings.json"), """{ "Shop": { "Name": "from file" } }""");
        var builder = Create();
        builder.Services.AddOptions<ShopOptions>().Configure<IConfiguration>((o, c) => o.Name = c["Shop:Name"]);
        builder.Services.AddSingleton<IConfiguration>(builder.Configuration);

        using var services = builder.Build().Services.BuildServiceProvider();

        Assert.Equal("from file", services.GetRequiredService<IOptions<ShopOptions>>().Value.Name);
    }

    [Fact]
    public void StartupValidation_FailedOptions_NameEachOptionAndFailureOnOneLine()
    {
        var services = new ServiceCollection();
        services.AddOptions<ShopOptions>().Validate(o => o.Name is not null, "Shop:Name is required.").ValidateOnStart();
        services.AddOptions<Marker>().Validate(_ => false, "Marker is never valid.").ValidateOnStart();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<PortableConfigurationException>(() => StartupValidation.Validate(provider));

        Assert.Contains("ShopOptions: Shop:Name is required.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Marker: Marker is never valid.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void StartupValidation_ValidOrNoOptions_DoesNotThrow()
    {
        var services = new ServiceCollection();
        services.AddOptions<ShopOptions>().Configure(o => o.Name = "n").Validate(o => o.Name is not null, "required").ValidateOnStart();
        using var provider = services.BuildServiceProvider();
        using var empty = new ServiceCollection().BuildServiceProvider();

        StartupValidation.Validate(provider);
        StartupValidation.Validate(empty);
        Assert.Equal("n", provider.GetRequiredService<IOptions<ShopOptions>>().Value.Name);
    }

    public sealed class Marker;

    public sealed class ShopOptions
    {
        public string? Name { get; set; }
    }
}
