using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NSubstitute;
using Portable.Hosting;

namespace Portable.Hosting.Tests;

/// <summary>Declared secrets at start (<see cref="StartupValidation.ValidateSecrets"/>) and where the local user secrets are read from.</summary>
public sealed class SecretsConfigurationTests
{
    private static FunctionCatalog Catalog(params string[] secrets)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "secrets-tests";
        foreach (var secret in secrets) builder.Resources.AddSecret(secret);
        return builder.Build().Catalog;
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static IHostEnvironment Environment(string name)
    {
        var environment = Substitute.For<IHostEnvironment>();
        environment.EnvironmentName.Returns(name);
        return environment;
    }

    [Fact]
    public void ValidateSecrets_EveryDeclaredSecretHasAValue_Passes()
        => StartupValidation.ValidateSecrets(Catalog("PaymentsApiKey"), Configuration(("paymentsapikey", "value")));

    [Fact]
    public void ValidateSecrets_MissingOrEmpty_ThrowsOneMessageNamingEachAndWhereItComesFrom()
    {
        var e = Assert.Throws<PortableConfigurationException>(() =>
            StartupValidation.ValidateSecrets(Catalog("PaymentsApiKey", "MailPassword", "Present"), Configuration(("MailPassword", ""), ("Present", "x"))));

        Assert.Contains("'PaymentsApiKey', 'MailPassword'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'Present'", e.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet user-secrets set PaymentsApiKey VALUE", e.Message, StringComparison.Ordinal);
        Assert.Contains("Azure Key Vault", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void UserSecretsFile_InDevelopmentWithAnId_IsUnderHome_OrAppDataOnWindows()
    {
        AppContext.SetData("Portable.UserSecretsId", "b0e8d1f4-5c9a-4f7e-9d4e-2a1b3c4d5e6f");
        try
        {
            Assert.Equal(Path.Combine("/home/ada", ".microsoft", "usersecrets", "b0e8d1f4-5c9a-4f7e-9d4e-2a1b3c4d5e6f", "secrets.json"),
                PortableConfigurationFactory.UserSecretsFile(Environment("Development"), v => v == "HOME" ? "/home/ada" : null));
            Assert.Equal(Path.Combine("/appdata", "Microsoft", "UserSecrets", "b0e8d1f4-5c9a-4f7e-9d4e-2a1b3c4d5e6f", "secrets.json"),
                PortableConfigurationFactory.UserSecretsFile(Environment("Development"), v => v switch { "HOME" => "/home/ada", "APPDATA" => "/appdata", _ => null }));
            Assert.Null(PortableConfigurationFactory.UserSecretsFile(Environment("Production"), v => v == "HOME" ? "/home/ada" : null));
        }
        finally
        {
            AppContext.SetData("Portable.UserSecretsId", null);
        }
    }

    [Fact]
    public void UserSecretsFile_IdThatIsNotAFolderName_ThrowsNamingIt()
    {
        AppContext.SetData("Portable.UserSecretsId", "../elsewhere");
        try
        {
            var e = Assert.Throws<PortableConfigurationException>(() => PortableConfigurationFactory.UserSecretsFile(Environment("Development"), _ => "/home/ada"));

            Assert.Contains("'../elsewhere'", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            AppContext.SetData("Portable.UserSecretsId", null);
        }
    }

    [Fact]
    public void UserSecretsFile_WithoutAnId_IsNull()
        => Assert.Null(PortableConfigurationFactory.UserSecretsFile(Environment("Development"), _ => "/home/ada"));
}
