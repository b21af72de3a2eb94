using Portable.Local.Cost;

namespace Portable.Local.Tests;

public sealed class CostModelTests
{
    /// <summary>The literature's function: $0.20 per million requests, $0.0000166667 per GB-second, billed by the millisecond.</summary>
    private static readonly PlatformPrice Literature = new()
    {
        Name = "literature",
        RequestUsdPerMillion = 0.20,
        GbSecondUsd = 0.0000166667,
        BillingIncrementMs = 1,
    };

    [Fact]
    public void LiteratureExample_512Mb200Ms_Costs1Point8667PerMillion_AndBreaksEvenWithA30DollarInstanceAt16Point07MillionRequests()
    {
        var estimate = CostModel.Estimate(Literature, memoryMb: 512, durationMs: 200, requests: 1_000_000, freeTiers: false);
        var breakEven = CostModel.BreakEven(Literature, memoryMb: 512, durationMs: 200, containerMonthlyUsd: 30, freeTiers: false);

        Assert.Equal(1.8667, Math.Round(estimate.PerMillionUsd, 4));
        Assert.Equal(1.8667, Math.Round(estimate.MonthlyUsd, 4));
        Assert.NotNull(breakEven);
        Assert.Equal(16.07, Math.Round(breakEven.Value / 1_000_000, 2));
    }

    [Theory]
    [InlineData(1, 0, 200.2, 201)] // Lambda: up to the millisecond
    [InlineData(1, 0, 200, 200)]
    [InlineData(100, 0, 3, 100)] // Cloud Run: up to 100 ms
    [InlineData(100, 0, 100.0000000001, 100)] // float noise does not cost a whole increment
    [InlineData(100, 0, 101, 200)]
    [InlineData(1, 1000, 20, 1000)] // a minimum billed duration
    [InlineData(1, 1000, 1500.5, 1501)]
    public void BilledDuration_RoundsUpToTheIncrement_AndIsAtLeastTheMinimum(double increment, double minimum, double measured, double billed)
    {
        var price = Literature with { BillingIncrementMs = increment, MinimumBilledMs = minimum };

        Assert.Equal(billed, CostModel.BilledMs(price, measured), 9);
    }

    [Theory]
    [InlineData(128, 128, 0.083)]
    [InlineData(300, 512, 0.333)]
    [InlineData(2048, 2048, 1)]
    [InlineData(65536, 32768, 8)] // beyond the largest size: the largest
    public void BilledMemory_IsTheNextSizeThePlatformSells_WithItsVcpu(int setting, int billedMb, double vcpu)
    {
        var gcp = BuiltIn("Google Cloud Run functions");

        var billed = CostModel.BilledMemory(gcp, setting);

        Assert.Equal(billedMb, billed.MemoryMb);
        Assert.Equal(vcpu, billed.Vcpu);
    }

    [Fact]
    public void CloudRun_BillsVcpuSecondsBesideGibSeconds_PerStartedHundredMilliseconds()
    {
        var gcp = BuiltIn("Google Cloud Run functions");

        var perRequest = CostModel.PerRequest(gcp, memoryMb: 512, durationMs: 30);

        // 100 ms billed: 0.5 GiB × 0.1 s × $0.0000025 + 0.333 vCPU × 0.1 s × $0.000024 + $0.40 / 1e6
        Assert.Equal(0.5 * 0.1 * 0.0000025 + 0.333 * 0.1 * 0.000024 + 0.40 / 1e6, perRequest, 15);
    }

    [Fact]
    public void FlexConsumption_BillsTheInstanceSizeTheMemoryRoundsUpTo()
    {
        var flex = BuiltIn("Azure Functions (Flex Consumption)");

        var estimate = CostModel.Estimate(flex, memoryMb: 256, durationMs: 1000, requests: 1, freeTiers: false);

        Assert.Equal(512, estimate.BilledMemoryMb);
        Assert.Equal(0.5 * 1 * flex.GbSecondUsd + flex.RequestUsdPerMillion / 1e6, estimate.MonthlyUsd, 15);
    }

    [Theory]
    [InlineData(12, 1000)]
    [InlineData(200, 1000)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1100)]
    [InlineData(1250, 1300)]
    public void FlexConsumption_BillsAtLeastOneSecond_ThenWholeTenthsOfASecond(double durationMs, double billedMs)
    {
        var flex = BuiltIn("Azure Functions (Flex Consumption)");

        Assert.Equal(billedMs, CostModel.BilledMs(flex, durationMs), 9);
    }

    [Fact]
    public void FreeTiers_AreOffByDefault_AndWhenOnDeductEachQuantityOnItsOwn()
    {
        var lambda = Literature with { FreeRequests = 1_000_000, FreeGbSeconds = 400_000 };

        var withoutFree = CostModel.Monthly(lambda, 512, 200, 3_000_000, freeTiers: false);
        var withFree = CostModel.Monthly(lambda, 512, 200, 3_000_000, freeTiers: true);
        var insideFree = CostModel.Monthly(lambda, 512, 200, 1_000_000, freeTiers: true);

        Assert.Equal(3 * 1.86667, withoutFree, 3);
        // 2 M billable requests; 300,000 GB-s used, all inside the 400,000 free: only the request fee is left.
        Assert.Equal(2 * 0.20, withFree, 9);
        Assert.Equal(0, insideFree);
    }

    [Theory]
    [InlineData(200, 512, 30)]
    [InlineData(20, 128, 30)]
    [InlineData(1500, 2048, 5)]
    [InlineData(50, 512, 0.1)]
    public void BreakEven_WithFreeTiers_IsTheVolumeWhereTheMonthCostsWhatTheContainerCosts(double ms, int memory, double container)
    {
        foreach (var platform in PriceList.Load(null, Directory.CreateTempSubdirectory().FullName).Platforms)
        {
            var breakEven = CostModel.BreakEven(platform, memory, ms, container, freeTiers: true);
            var withoutFree = CostModel.BreakEven(platform, memory, ms, container, freeTiers: false);

            Assert.NotNull(breakEven);
            Assert.Equal(container, CostModel.Monthly(platform, memory, ms, breakEven.Value, freeTiers: true), 6);
            Assert.True(breakEven > withoutFree, $"{platform.Name}: the free tier should push the break-even up");
        }
    }

    [Fact]
    public void BreakEven_WhenARequestCostsNothing_IsNever()
    {
        var free = Literature with { RequestUsdPerMillion = 0, GbSecondUsd = 0 };

        Assert.Null(CostModel.BreakEven(free, 512, 200, 30, freeTiers: false));
    }

    [Fact]
    public void BuiltInPrices_CoverTheFourPlatformsAndTheLiteratureContainer_EachWithDateAndSource()
    {
        var prices = PriceList.Load(null, Directory.CreateTempSubdirectory().FullName);

        Assert.Equal(
            ["AWS Lambda (x86_64)", "AWS Lambda (arm64)", "Google Cloud Run functions", "Azure Functions (Flex Consumption)"],
            prices.Platforms.Select(p => p.Name));
        Assert.All(prices.Platforms, p =>
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", p.Date);
            Assert.StartsWith("https://", p.Source, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(p.Note));
        });
        Assert.Equal(30, prices.Container(null).MonthlyUsd);
        Assert.Equal("USD", prices.Currency);
        Assert.True(BuiltIn("AWS Lambda (arm64)").GbSecondUsd < BuiltIn("AWS Lambda (x86_64)").GbSecondUsd);
    }

    private static PlatformPrice BuiltIn(string name) => PriceList.Load(null, Directory.CreateTempSubdirectory().FullName).Platforms.Single(p => p.Name == name);
}
