using Portable.Local.Cost;

namespace Portable.Local.Tests;

public sealed class PriceListTests : IDisposable
{
    private readonly DirectoryInfo _project = Directory.CreateTempSubdirectory("portable-prices-");

    public void Dispose() => _project.Delete(recursive: true);

    [Fact]
    public void OverrideFileInTheProjectFolder_ChangesOnlyTheFieldsItNames_AndAddsNewEntries()
    {
        File.WriteAllText(Path.Combine(_project.FullName, PriceList.OverrideFileName), """
            {
              // a region with dearer compute, and the team's own container
              "pricesDate": "2027-01-15",
              "platforms": [ { "name": "aws lambda (x86_64)", "gbSecondUsd": 0.00002, "source": "https://example.test/our-contract" } ],
              "containers": [ { "name": "fargate-1vcpu", "monthlyUsd": 36.04 } ],
              "defaultContainer": "fargate-1vcpu"
            }
            """);

        var prices = PriceList.Load(null, _project.FullName);

        var x86 = prices.Platforms.Single(p => p.Name == "AWS Lambda (x86_64)");
        Assert.Equal(0.00002, x86.GbSecondUsd);
        Assert.Equal(0.20, x86.RequestUsdPerMillion); // untouched fields keep the built-in figure
        Assert.Equal("https://example.test/our-contract", x86.Source);
        Assert.Equal(4, prices.Platforms.Count);
        Assert.Equal("2027-01-15", prices.PricesDate);
        Assert.Equal(36.04, prices.Container(null).MonthlyUsd);
        Assert.Equal(30, prices.Container("instance-30").MonthlyUsd);
        Assert.EndsWith(PriceList.OverrideFileName, prices.OverrideFile, StringComparison.Ordinal);
    }

    [Fact]
    public void OverrideFile_InTheFolderTheAppRunsFrom_WinsOverOneBesideTheExecutable()
    {
        var beside = Directory.CreateTempSubdirectory("portable-bin-");
        File.WriteAllText(Path.Combine(beside.FullName, PriceList.OverrideFileName), """{"currency":"GBP"}""");
        File.WriteAllText(Path.Combine(_project.FullName, PriceList.OverrideFileName), """{"currency":"EUR"}""");

        var fromProject = PriceList.Load(null, _project.FullName, beside.FullName);
        File.Delete(Path.Combine(_project.FullName, PriceList.OverrideFileName));
        var fromBeside = PriceList.Load(null, _project.FullName, beside.FullName);

        Assert.Equal("EUR", fromProject.Currency);
        Assert.Equal("GBP", fromBeside.Currency);
        beside.Delete(recursive: true);
    }

    [Fact]
    public void PricesFileSetting_NamesAFileAnywhere_RelativeToTheProjectFolder()
    {
        Directory.CreateDirectory(Path.Combine(_project.FullName, "cost"));
        File.WriteAllText(Path.Combine(_project.FullName, "cost", "eu.json"), """{"currency":"EUR"}""");

        var prices = PriceList.Load("cost/eu.json", _project.FullName);

        Assert.Equal("EUR", prices.Currency);
    }

    [Fact]
    public void PricesFileSetting_ThatNamesNoFile_StopsNamingTheSettingAndThePath()
    {
        var e = Assert.Throws<PortableConfigurationException>(() => PriceList.Load("missing.json", _project.FullName));

        Assert.Contains("Portable:Local:Cost:PricesFile", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_project.FullName, "missing.json"), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"platforms":[{"name":"AWS Lambda (arm64)","gbSecondUsd":"cheap"}]}""", "$.platforms[0].gbSecondUsd")]
    [InlineData("""{"platforms":[{"name":"AWS Lambda (arm64)","gbSecondUsd":-1}]}""", "platforms[1] (AWS Lambda (arm64)).gbSecondUsd")]
    [InlineData("""{"platforms":[{"name":"Fly.io","gbSecondUsd":0.00001}]}""", "platforms[4] (Fly.io).requestUsdPerMillion is missing")]
    [InlineData("""{"platforms":[{"gbSecondUsd":0.00001}]}""", "platforms[0].name is missing")]
    [InlineData("""{"containers":[{"name":"big","monthlyUsd":null}]}""", "containers[1] (big).monthlyUsd is missing")]
    [InlineData("""{"platforms":[{"name":"Google Cloud Run functions","memoryTiers":[{"memoryMb":512,"vcpu":1},{"memoryMb":256,"vcpu":1}]}]}""", "memoryTiers[1].memoryMb")]
    [InlineData("""{"platforms": [""", "$.platforms")]
    public void BadOverrideFile_StopsWithAClearErrorNamingTheFileAndTheField(string json, string field)
    {
        var path = Path.Combine(_project.FullName, PriceList.OverrideFileName);
        File.WriteAllText(path, json);

        var e = Assert.Throws<PortableConfigurationException>(() => PriceList.Load(null, _project.FullName));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownContainer_StopsListingTheContainersThereAre()
    {
        var prices = PriceList.Load(null, _project.FullName);

        var e = Assert.Throws<PortableConfigurationException>(() => prices.Container("huge"));

        Assert.Contains("'huge'", e.Message, StringComparison.Ordinal);
        Assert.Contains("instance-30", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10000000", 10_000_000)]
    [InlineData("10M", 10_000_000)]
    [InlineData("2.5m", 2_500_000)]
    [InlineData("250k", 250_000)]
    [InlineData("1,000,000", 1_000_000)]
    [InlineData("0", 0)]
    public void RequestVolume_ReadsWholeNumbersAndMillionsAndThousands(string text, long requests)
        => Assert.Equal(requests, CostOptions.ParseRequests(text, "--requests"));

    [Theory]
    [InlineData("lots")]
    [InlineData("-5")]
    [InlineData("")]
    public void RequestVolume_ThatIsNotOne_StopsNamingTheOption(string text)
    {
        var e = Assert.Throws<PortableConfigurationException>(() => CostOptions.ParseRequests(text, "--requests"));

        Assert.Contains("--requests", e.Message, StringComparison.Ordinal);
    }
}
