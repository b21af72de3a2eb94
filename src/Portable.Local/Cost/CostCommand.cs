namespace Portable.Local.Cost;

/// <summary>
/// <c>--cost [--requests N] [--container NAME] [--free-tiers]</c>: prints the cost projection of what earlier local runs measured
/// (<c>usage.json</c> in the data folder) and returns without starting the host.
/// </summary>
internal static class CostCommand
{
    /// <summary>The switch: <c>--cost</c>.</summary>
    public const string Switch = "--cost";

    /// <summary>Prints the projection of <paramref name="app"/>'s measurements to <paramref name="output"/>.</summary>
    /// <exception cref="PortableConfigurationException">The options, the price file or the usage file are not valid; the message says which and how.</exception>
    public static void Run(PortableApp app, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(output);
        var local = LocalOptions.FromConfiguration(app.Configuration);
        var options = CostOptions.From(app.Configuration, app.Args);
        var prices = PriceList.Load(options.PricesFile, Directory.GetCurrentDirectory(), app.Environment.ContentRootPath);
        var usageFile = UsageDocument.PathIn(local.DataDirectory);
        var usage = UsageDocument.Load(local.DataDirectory);
        if (usage.IsEmpty)
        {
            CostTable.WriteNothingMeasured(output, app.Catalog.AppName, usageFile);
            return;
        }

        CostTable.Write(output, app.Catalog.AppName, CostDocument.Build(app.Catalog, usage, prices, options), usageFile);
    }
}
