using System.Text.Json;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary>Per-function settings: declared on the Map calls, defaulted in one place, checked against the portable limits, shown by --describe.</summary>
public sealed class FunctionSettingsTests
{
    [Fact]
    public void Settings_WithoutDeclarations_AreThePortableDefaults_AndHttpIsPrivate()
    {
        var app = TestApp.Build(b => b.Functions.MapHttp<NoContentFunction>("GET /a", "a").MapSchedule<TickHandler>("*/5 * * * *", "tick"));

        var a = app.Catalog.Get("a").Settings;
        Assert.Equal(256, a.MemoryMb);
        Assert.Equal(TimeSpan.FromSeconds(30), a.Timeout);
        Assert.Null(a.MaxConcurrency);
        Assert.Null(a.Architecture);
        Assert.Equal(FunctionAccess.Private, a.Access);
        Assert.Equal(FunctionAccess.Private, app.Catalog.Get("tick").Settings.Access);
    }

    [Fact]
    public void MapCallSettings_OverrideDefaults_ForThatFunctionOnly()
    {
        var app = TestApp.Build(b =>
        {
            b.Functions.Defaults.MemoryMb = 512;
            b.Functions.Defaults.Timeout = TimeSpan.FromSeconds(20);
            b.Functions.Defaults.MaxConcurrency = 50;
            b.Functions.Defaults.Architecture = FunctionArchitecture.Arm64;
            b.Functions
                .MapHttp<NoContentFunction>("GET /a", "a").AllowAnonymous().WithMemory(1024).WithTimeout(TimeSpan.FromSeconds(10)).WithMaxConcurrency(5)
                .MapQueue<OrderPlacedHandler, OrderPlaced>("placed", "b").WithTimeout(TimeSpan.FromMinutes(15)).WithArchitecture(FunctionArchitecture.X64)
                .MapSchedule<TickHandler>("*/5 * * * *", "c");
        });

        var a = app.Catalog.Get("a").Settings;
        Assert.Equal((1024, TimeSpan.FromSeconds(10), (int?)5, (FunctionArchitecture?)FunctionArchitecture.Arm64, FunctionAccess.Anonymous),
            (a.MemoryMb, a.Timeout, a.MaxConcurrency, a.Architecture, a.Access));
        var b = app.Catalog.Get("b").Settings;
        Assert.Equal((512, TimeSpan.FromSeconds(900), (int?)50, (FunctionArchitecture?)FunctionArchitecture.X64), (b.MemoryMb, b.Timeout, b.MaxConcurrency, b.Architecture));
        var c = app.Catalog.Get("c").Settings;
        Assert.Equal((512, TimeSpan.FromSeconds(20), (int?)50, (FunctionArchitecture?)FunctionArchitecture.Arm64), (c.MemoryMb, c.Timeout, c.MaxConcurrency, c.Architecture));
    }

    [Fact]
    public void Defaults_SetAfterTheMapCalls_StillApply()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /a", "a");
        builder.Functions.Defaults.MemoryMb = 2048;

        Assert.Equal(2048, builder.Build().Catalog.Get("a").Settings.MemoryMb);
    }

    [Theory]
    [InlineData(127)]
    [InlineData(10_241)]
    [InlineData(0)]
    public void WithMemory_OutsideThePortableRange_ThrowsNamingTheFunctionAndTheRange(int megabytes)
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /a", "a");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.WithMemory(megabytes));

        Assert.StartsWith("a: memory", e.Message, StringComparison.Ordinal);
        Assert.Contains("128-10240 MB", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(901)]
    public void WithTimeout_OutsideOneTo900Seconds_Throws(int seconds)
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("placed", "q");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.WithTimeout(TimeSpan.FromSeconds(seconds)));

        Assert.Contains("whole seconds from 1 to 900", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTimeout_FractionOfASecond_ThrowsAskingForWholeSeconds()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("placed", "q");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.WithTimeout(TimeSpan.FromMilliseconds(1500)));

        Assert.Contains("whole seconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTimeout_Over30SecondsOnAnHttpFunction_ThrowsNamingTheHttpApiLimit()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /a", "a");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.WithTimeout(TimeSpan.FromSeconds(31)));

        Assert.Contains("from 1 to 30 for an HTTP function", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultTimeoutOver30Seconds_FailsTheBuildForAnHttpFunctionWithoutItsOwn_NamingIt()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.Defaults.Timeout = TimeSpan.FromMinutes(5);
        builder.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("placed", "q").MapHttp<NoContentFunction>("GET /a", "a");

        var e = Assert.Throws<PortableConfigurationException>(builder.Build);

        Assert.StartsWith("a is an HTTP function and inherits Functions.Defaults.Timeout", e.Message, StringComparison.Ordinal);
        Assert.Contains("WithTimeout(", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultTimeoutOver30Seconds_IsFineWhenEveryHttpFunctionSetsItsOwn()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.Defaults.Timeout = TimeSpan.FromMinutes(5);
        builder.Functions.MapHttp<NoContentFunction>("GET /a", "a").WithTimeout(TimeSpan.FromSeconds(29)).MapQueue<OrderPlacedHandler, OrderPlaced>("placed", "q");

        var app = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(29), app.Catalog.Get("a").Settings.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(5), app.Catalog.Get("q").Settings.Timeout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void WithMaxConcurrency_OutsideOneToAThousand_Throws(int instances)
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapHttp<NoContentFunction>("GET /a", "a");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.WithMaxConcurrency(instances));

        Assert.Contains("outside 1-1000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_RejectValuesOutsideTheLimits_NamingTheSetting()
    {
        var defaults = TestApp.CreateBuilder().Functions.Defaults;

        Assert.StartsWith("Functions.Defaults.MemoryMb", Assert.Throws<PortableConfigurationException>(() => defaults.MemoryMb = 64).Message, StringComparison.Ordinal);
        Assert.StartsWith("Functions.Defaults.Timeout", Assert.Throws<PortableConfigurationException>(() => defaults.Timeout = TimeSpan.FromHours(1)).Message, StringComparison.Ordinal);
        Assert.StartsWith("Functions.Defaults.MaxConcurrency", Assert.Throws<PortableConfigurationException>(() => defaults.MaxConcurrency = -3).Message, StringComparison.Ordinal);
        Assert.StartsWith("Functions.Defaults.Architecture", Assert.Throws<PortableConfigurationException>(() => defaults.Architecture = (FunctionArchitecture)7).Message, StringComparison.Ordinal);
        Assert.Equal(256, defaults.MemoryMb);
    }

    [Fact]
    public void AllowAnonymous_OnAQueueFunction_ThrowsSayingOnlyHttpFunctionsHaveCallers()
    {
        var builder = TestApp.CreateBuilder();
        builder.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("placed", "q");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Functions.AllowAnonymous());

        Assert.Contains("q, a queue function; only HTTP functions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingCalls_BeforeAnyMapCall_ThrowSayingToCallThemAfterOne()
    {
        var functions = TestApp.CreateBuilder().Functions;

        Assert.Contains("no function is mapped yet", Assert.Throws<PortableConfigurationException>(() => functions.WithMemory(512)).Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous()", Assert.Throws<PortableConfigurationException>(() => functions.AllowAnonymous()).Message, StringComparison.Ordinal);
        Assert.Contains("Publishes(\"t\")", Assert.Throws<PortableConfigurationException>(() => functions.Publishes("t")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ShowsEachFunctionsSettings_AndTheAccessRuleOnlyForHttp()
    {
        var app = TestApp.Build(b =>
        {
            b.Resources.AddRepository<Order>("orders");
            b.Functions
                .MapHttp<NoContentFunction>("GET /a", "a").AllowAnonymous().WithMemory(1024).WithArchitecture(FunctionArchitecture.Arm64)
                .MapHttp<ReadsOrders>("GET /b", "b")
                .MapSchedule<TickHandler>("*/5 * * * *", "tick").WithMaxConcurrency(1).WithTimeout(TimeSpan.FromMinutes(2));
        });

        using var json = JsonDocument.Parse(app.Catalog.ToJson());
        var functions = json.RootElement.GetProperty("functions");

        var a = functions[0].GetProperty("settings");
        Assert.Equal(1024, a.GetProperty("memoryMb").GetInt32());
        Assert.Equal(30, a.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal("arm64", a.GetProperty("architecture").GetString());
        Assert.Equal("anonymous", a.GetProperty("access").GetString());
        Assert.False(a.TryGetProperty("maxConcurrency", out _));
        Assert.Equal("private", functions[1].GetProperty("settings").GetProperty("access").GetString());
        Assert.False(functions[1].GetProperty("settings").TryGetProperty("architecture", out _));
        var tick = functions[2].GetProperty("settings");
        Assert.Equal(120, tick.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(1, tick.GetProperty("maxConcurrency").GetInt32());
        Assert.False(tick.TryGetProperty("access", out _));
    }
}
