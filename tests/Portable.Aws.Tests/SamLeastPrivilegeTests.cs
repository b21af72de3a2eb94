using System.Diagnostics;
using System.Runtime.InteropServices;
using Orders;
using Portable.Aws.Deployment;
using Portable.Aws.Tests.Fixtures;
using Portable.Hosting;
using YamlDotNet.RepresentationModel;

namespace Portable.Aws.Tests;

/// <summary>The SAM template written from the catalog: per-function least privilege, IAM-protected routes, per-function settings, retained data, alarm outputs.</summary>
public sealed class SamLeastPrivilegeTests
{
    private static readonly PortableApp Orders = AwsEmulators.App(OrdersApp.Configure);

    [Fact]
    public void OrdersTemplate_GrantsEachFunctionOnlyWhatItUses_AndProtectsEveryRouteButHello()
        => SamAssert.OrdersLeastPrivilegeAndAccess(SamYaml.Load(SamTemplate.Build(Orders.Catalog, "Orders.zip")));

    [Fact]
    public void Template_GivesEachFunctionItsDeclaredMemoryTimeoutConcurrencyAndThePublishedArchitecture()
    {
        var template = SamYaml.Load(SamTemplate.Build(Settings().Catalog, "app.zip"));

        Assert.Equal((1024, 10, "x86_64"), SamAssert.Settings(template, "Big"));
        Assert.Equal((512, 600, "x86_64"), SamAssert.Settings(template, "Worker"));
        Assert.Equal((512, 30, "x86_64"), SamAssert.Settings(template, "Plain"));
        Assert.Equal("3", template.Map("Resources").Map("WorkerFunction").Map("Properties").Text("ReservedConcurrentExecutions"));
        Assert.False(template.Map("Resources").Map("PlainFunction").Map("Properties").Children.ContainsKey(new YamlScalarNode("ReservedConcurrentExecutions")));
        Assert.False(template.Map("Globals").Map("Function").Children.ContainsKey(new YamlScalarNode("MemorySize")));
    }

    [Fact]
    public void Template_PublishedForArm64_RunsEveryFunctionOnArm64()
    {
        var template = SamYaml.Load(SamTemplate.Build(Orders.Catalog, "Orders.zip", FunctionArchitecture.Arm64));

        foreach (var function in Orders.Catalog.Functions) Assert.Equal("arm64", SamAssert.Settings(template, function.Name).Architecture);
    }

    [Fact]
    public void Template_FunctionDeclaringArm64_PublishedForX64_FailsNamingTheRuntimeIdentifier()
    {
        var app = AwsEmulators.App(b => b.Functions.MapHttp<Echo>("GET /echo").WithArchitecture(FunctionArchitecture.Arm64));

        var e = Assert.Throws<PortableConfigurationException>(() => SamTemplate.Build(app.Catalog, "app.zip", FunctionArchitecture.X64));

        Assert.Contains("Echo declares arm64, but the app was published for x86_64", e.Message, StringComparison.Ordinal);
        Assert.Contains("-r linux-arm64", e.Message, StringComparison.Ordinal);
        Assert.Contains("arm64", SamTemplate.Build(app.Catalog, "app.zip", FunctionArchitecture.Arm64), StringComparison.Ordinal);
    }

    [Fact]
    public void Template_RetainsTablesAndQueues_AndSetsQueueRetention()
    {
        var resources = SamYaml.Load(SamTemplate.Build(Orders.Catalog, "Orders.zip")).Map("Resources");

        foreach (var id in new[] { "OrdersTable", "AuditsTable", "OrderPlacedQueue", "OrderPlacedDeadLetterQueue" })
        {
            Assert.Equal("Retain", resources.Map(id).Text("DeletionPolicy"));
            Assert.Equal("Retain", resources.Map(id).Text("UpdateReplacePolicy"));
        }

        Assert.Equal("345600", resources.Map("OrderPlacedQueue").Map("Properties").Text("MessageRetentionPeriod"));
        Assert.Equal("1209600", resources.Map("OrderPlacedDeadLetterQueue").Map("Properties").Text("MessageRetentionPeriod"));
    }

    [Fact]
    public void Template_QueueVisibilityTimeout_IsSixTimesItsConsumersTimeout()
    {
        var resources = SamYaml.Load(SamTemplate.Build(Settings().Catalog, "app.zip")).Map("Resources");

        Assert.Equal("3600", resources.Map("JobsQueue").Map("Properties").Text("VisibilityTimeout"));
        Assert.Equal("180", SamYaml.Load(SamTemplate.Build(Orders.Catalog, "Orders.zip")).Map("Resources").Map("OrderPlacedQueue").Map("Properties").Text("VisibilityTimeout"));
    }

    [Fact]
    public void Template_OutputsWhatAlarmsAreSetOn_FunctionNamesDeadLetterQueuesTablesAndTheApi()
    {
        var outputs = SamYaml.Load(SamTemplate.Build(Orders.Catalog, "Orders.zip")).Map("Outputs");

        foreach (var function in Orders.Catalog.Functions)
        {
            var output = outputs.Map(function.Name + "FunctionName");
            Assert.Equal(function.Name + "Function", output.Text("Value"));
            Assert.Equal("${AWS::StackName}-" + function.Name + "FunctionName", output.Map("Export").Text("Name"));
        }

        Assert.Equal("OrderPlacedDeadLetterQueue.QueueName", outputs.Map("OrderPlacedDeadLetterQueueName").Text("Value"));
        Assert.Equal("OrdersTable", outputs.Map("OrdersTableName").Text("Value"));
        Assert.Equal("HttpApi", outputs.Map("ApiId").Text("Value"));
        Assert.Contains("${HttpApi}", outputs.Map("ApiUrl").Text("Value"), StringComparison.Ordinal);
    }

    [Fact]
    public void Template_OfAnAppWithoutHttpFunctions_HasNoApi()
    {
        var app = AwsEmulators.App(b => b.Functions.MapSchedule<Tick>("*/5 * * * *"));

        var template = SamYaml.Load(SamTemplate.Build(app.Catalog, "app.zip"));

        Assert.False(template.Map("Resources").Children.ContainsKey(new YamlScalarNode("HttpApi")));
        Assert.False(template.Map("Outputs").Children.ContainsKey(new YamlScalarNode("ApiUrl")));
        Assert.Empty(SamAssert.Policies(template, "Tick"));
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("settings")]
    [InlineData("arm64")]
    [InlineData("secrets")]
    public async Task Template_PassesCfnLintWithZeroFindings_InformationalIncluded(string which)
    {
        var yaml = which switch
        {
            "orders" => SamTemplate.Build(Orders.Catalog, "Orders.zip"),
            "settings" => SamTemplate.Build(Settings().Catalog, "app.zip"),
            "secrets" => SamTemplate.Build(WithSecrets().Catalog, "Orders.zip"),
            _ => SamTemplate.Build(Orders.Catalog, "Orders.zip", FunctionArchitecture.Arm64),
        };
        var file = Path.Combine(Path.GetTempPath(), $"portable-sam-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            var (exitCode, output) = await RunAsync("cfn-lint", "-c", "I", "--non-zero-exit-code", "informational", "--", file);

            Assert.True(exitCode == 0 && output.Length == 0, $"cfn-lint (exit {exitCode}) found:\n{output}\n{yaml}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ExecutableArchitecture_ReadsX64AndArm64Headers_AndNothingFromOtherFiles()
    {
        var folder = Directory.CreateTempSubdirectory("portable-elf-").FullName;
        try
        {
            Assert.Equal(FunctionArchitecture.X64, ExecutableArchitecture.Read(WriteElf(folder, "x64", 0x3E)));
            Assert.Equal(FunctionArchitecture.Arm64, ExecutableArchitecture.Read(WriteElf(folder, "arm64", 0xB7)));
            Assert.Null(ExecutableArchitecture.Read(WriteElf(folder, "riscv", 0xF3)));
            File.WriteAllText(Path.Combine(folder, "script"), "#!/bin/sh\nexec true\n");
            Assert.Null(ExecutableArchitecture.Read(Path.Combine(folder, "script")));
            Assert.Null(ExecutableArchitecture.Read(Path.Combine(folder, "absent")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ExecutableArchitecture_OfThisProcessExecutable_IsThisMachines()
    {
        var expected = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? FunctionArchitecture.Arm64 : FunctionArchitecture.X64;

        Assert.Equal(expected, ExecutableArchitecture.Read(Environment.ProcessPath!));
    }

    [Fact]
    public async Task WriteDeployment_OfAnArm64Publish_WritesAnArm64Template()
    {
        // The layout of `dotnet publish -r linux-arm64 -p:PublishAot=false`: the arm64 app host beside the app's IL, written by a process on this machine.
        var folder = Directory.CreateTempSubdirectory("portable-arm64-").FullName;
        try
        {
            WriteElf(folder, "Orders", 0xB7);
            await File.WriteAllTextAsync(Path.Combine(folder, "Orders.dll"), "IL");

            await SamDeployment.WriteAsync(Orders.Catalog, folder, "/usr/share/dotnet/dotnet", CancellationToken.None);

            var template = SamYaml.Load(await File.ReadAllTextAsync(Path.Combine(folder, "template.yaml")));
            foreach (var function in Orders.Catalog.Functions) Assert.Equal("arm64", SamAssert.Settings(template, function.Name).Architecture);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An app with declared settings: a big HTTP function, a slow capped queue worker, a plain schedule.</summary>
    [Fact]
    public void Template_DeclaredSecret_IsAnEnvironmentVariableResolvedFromSecretsManager_NamedByAParameter_NeverAValue()
    {
        var yaml = SamTemplate.Build(WithSecrets().Catalog, "Orders.zip");
        var template = SamYaml.Load(yaml);

        var parameter = template.Map("Parameters").Map("PaymentsApiKeySecret");
        Assert.Equal("String", parameter.Text("Type"));
        Assert.Equal("PaymentsApiKey", parameter.Text("Default"));
        var variables = template.Map("Globals").Map("Function").Map("Environment").Map("Variables");
        var value = (YamlScalarNode)variables[new YamlScalarNode("PaymentsApiKey")];
        Assert.Equal(("!Sub", "{{resolve:secretsmanager:${PaymentsApiKeySecret}:SecretString}}"), (value.Tag.Value, value.Value));
        Assert.Equal(1, yaml.Split("PaymentsApiKey:").Length - 1); // once: the variable; the parameter is PaymentsApiKeySecret
    }

    [Fact]
    public void Template_EnvironmentParameter_BecomesDotnetEnvironment_DefaultProduction()
    {
        var template = SamYaml.Load(SamTemplate.Build(Orders.Catalog, "Orders.zip"));

        Assert.Equal("Production", template.Map("Parameters").Map("Environment").Text("Default"));
        var variable = (YamlScalarNode)template.Map("Globals").Map("Function").Map("Environment").Map("Variables")[new YamlScalarNode("DOTNET_ENVIRONMENT")];
        Assert.Equal(("!Ref", "Environment"), (variable.Tag.Value, variable.Value));
    }

    private static PortableApp WithSecrets() => AwsEmulators.App(b =>
    {
        OrdersApp.Configure(b);
        b.Resources.AddSecret("PaymentsApiKey");
    });

    private static PortableApp Settings() => AwsEmulators.App(b =>
    {
        b.AddJson(TestJson.Default);
        b.Functions.Defaults.MemoryMb = 512;
        b.Functions
            .MapHttp<Echo>("GET /echo", "Big").WithMemory(1024).WithTimeout(TimeSpan.FromSeconds(10)).AllowAnonymous()
            .MapQueue<JobHandler, Job>("jobs", "Worker").WithTimeout(TimeSpan.FromMinutes(10)).WithMaxConcurrency(3)
            .MapSchedule<Tick>("0 * * * *", "Plain");
    });

    private static string WriteElf(string folder, string name, ushort machine)
    {
        var header = new byte[64];
        header[0] = 0x7F;
        header[1] = (byte)'E';
        header[2] = (byte)'L';
        header[3] = (byte)'F';
        header[4] = 2;
        header[5] = 1;
        header[18] = (byte)machine;
        header[19] = (byte)(machine >> 8);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, header);
        return path;
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{command} is needed to lint the generated template (pip install cfn-lint): {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await stdout + await stderr).Trim());
        }
    }
}
