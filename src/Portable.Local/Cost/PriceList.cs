using System.Text.Json;

namespace Portable.Local.Cost;

/// <summary>
/// The prices the projection uses: <c>prices.json</c>, embedded in Portable.Local, with the user's override file merged over it
/// (entries matched by name, field by field; new names added). A bad file stops with the file and the field named.
/// </summary>
internal sealed class PriceList
{
    /// <summary>The override file looked for in the folder the app runs from, then beside it, when <see cref="CostOptions.PricesFile"/> is not set.</summary>
    public const string OverrideFileName = "portable-prices.json";

    private const string EmbeddedName = "Portable.Local.Cost.prices.json";

    public required string Currency { get; init; }

    public required string PricesDate { get; init; }

    public required IReadOnlyList<PlatformPrice> Platforms { get; init; }

    public required IReadOnlyList<ContainerPrice> Containers { get; init; }

    public required string DefaultContainer { get; init; }

    /// <summary>The override file that was merged, if any.</summary>
    public string? OverrideFile { get; init; }

    /// <summary>The container named <paramref name="name"/>, or the default one when null.</summary>
    /// <exception cref="PortableConfigurationException">No container has that name; the message lists those there are.</exception>
    public ContainerPrice Container(string? name)
    {
        name ??= DefaultContainer;
        return Containers.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new PortableConfigurationException(
                $"No container named '{name}' in the price list. Those there are: {string.Join(", ", Containers.Select(c => c.Name))}. " +
                $"Add one (name, monthlyUsd) under \"containers\" in {OverrideFileName}.");
    }

    /// <summary>Reads the built-in prices and merges the override file over them.</summary>
    /// <param name="overrideFile">The file named by configuration (relative to the first folder); null to look for <see cref="OverrideFileName"/> in <paramref name="folders"/>.</param>
    /// <param name="folders">Where <see cref="OverrideFileName"/> is looked for, first one first: the folder the app runs from (the project folder
    /// under <c>dotnet run</c>, where <c>.portable</c> also goes), then the app's content root (beside the executable).</param>
    /// <exception cref="PortableConfigurationException">The named file is missing, or a file is not valid; the message names the file and the field.</exception>
    public static PriceList Load(string? overrideFile, params string[] folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        PriceFile builtIn;
        using (var stream = typeof(PriceList).Assembly.GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"The resource {EmbeddedName} is missing from Portable.Local."))
        {
            builtIn = Read(stream, "the built-in prices.json");
        }

        string? path = null;
        if (!string.IsNullOrWhiteSpace(overrideFile))
        {
            path = Path.GetFullPath(overrideFile, folders.Length > 0 ? Path.GetFullPath(folders[0]) : Directory.GetCurrentDirectory());
            if (!File.Exists(path))
                throw new PortableConfigurationException($"{CostOptions.SectionName}:PricesFile names '{path}', which does not exist.");
        }
        else
        {
            path = folders.Select(f => Path.Combine(Path.GetFullPath(f), OverrideFileName)).FirstOrDefault(File.Exists);
        }

        if (path is not null)
        {
            using var stream = File.OpenRead(path);
            Merge(builtIn, Read(stream, path), path);
        }

        return Check(builtIn, path ?? "the built-in prices.json", path);
    }

    /// <summary>Reads a price file; a syntax or type error names the file and the JSON path of the field.</summary>
    internal static PriceFile Read(Stream stream, string file)
    {
        try
        {
            return JsonSerializer.Deserialize(stream, CostJsonContext.Default.PriceFile)
                ?? throw new PortableConfigurationException($"{file} is empty: write a JSON object such as {{\"platforms\":[...]}}.");
        }
        catch (JsonException e)
        {
            throw new PortableConfigurationException($"{file}: the field {e.Path ?? "$"} is not valid: {e.Message}", e);
        }
    }

    /// <summary>Lays <paramref name="over"/> on <paramref name="baseFile"/>: top-level values, then platforms and containers by name, field by field.</summary>
    internal static void Merge(PriceFile baseFile, PriceFile over, string overFile)
    {
        baseFile.Currency = over.Currency ?? baseFile.Currency;
        baseFile.PricesDate = over.PricesDate ?? baseFile.PricesDate;
        baseFile.Note = over.Note ?? baseFile.Note;
        baseFile.DefaultContainer = over.DefaultContainer ?? baseFile.DefaultContainer;
        baseFile.Platforms ??= [];
        foreach (var (entry, index) in (over.Platforms ?? []).Select((e, i) => (e, i)))
        {
            var name = entry.Name ?? throw Bad(overFile, $"platforms[{index}].name", "is missing: name the platform to change or add");
            var target = baseFile.Platforms.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (target is null)
            {
                baseFile.Platforms.Add(entry);
                continue;
            }

            target.RequestUsdPerMillion = entry.RequestUsdPerMillion ?? target.RequestUsdPerMillion;
            target.GbSecondUsd = entry.GbSecondUsd ?? target.GbSecondUsd;
            target.VcpuSecondUsd = entry.VcpuSecondUsd ?? target.VcpuSecondUsd;
            target.BillingIncrementMs = entry.BillingIncrementMs ?? target.BillingIncrementMs;
            target.MinimumBilledMs = entry.MinimumBilledMs ?? target.MinimumBilledMs;
            target.MemoryTiers = entry.MemoryTiers ?? target.MemoryTiers;
            target.FreeRequests = entry.FreeRequests ?? target.FreeRequests;
            target.FreeGbSeconds = entry.FreeGbSeconds ?? target.FreeGbSeconds;
            target.FreeVcpuSeconds = entry.FreeVcpuSeconds ?? target.FreeVcpuSeconds;
            target.Date = entry.Date ?? target.Date;
            target.Source = entry.Source ?? target.Source;
            target.OfficialPage = entry.OfficialPage ?? target.OfficialPage;
            target.Note = entry.Note ?? target.Note;
        }

        baseFile.Containers ??= [];
        foreach (var (entry, index) in (over.Containers ?? []).Select((e, i) => (e, i)))
        {
            var name = entry.Name ?? throw Bad(overFile, $"containers[{index}].name", "is missing: name the container to change or add");
            var target = baseFile.Containers.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (target is null)
            {
                baseFile.Containers.Add(entry);
                continue;
            }

            target.MonthlyUsd = entry.MonthlyUsd ?? target.MonthlyUsd;
            target.Date = entry.Date ?? target.Date;
            target.Source = entry.Source ?? target.Source;
            target.Note = entry.Note ?? target.Note;
        }
    }

    /// <summary>Checks the merged file and builds the list; a missing or negative figure names the file (the override when there is one) and the field.</summary>
    internal static PriceList Check(PriceFile file, string name, string? overrideFile)
    {
        var platforms = new List<PlatformPrice>();
        foreach (var (p, i) in (file.Platforms ?? []).Select((p, i) => (p, i)))
        {
            var at = $"platforms[{i}] ({p.Name ?? "no name"})";
            if (string.IsNullOrWhiteSpace(p.Name)) throw Bad(name, $"platforms[{i}].name", "is missing");
            var tiers = new List<MemoryTier>();
            foreach (var (t, j) in (p.MemoryTiers ?? []).Select((t, j) => (t, j)))
            {
                if (t.MemoryMb is not > 0) throw Bad(name, $"{at}.memoryTiers[{j}].memoryMb", "must be a positive whole number of MB");
                if (t.Vcpu is not >= 0) throw Bad(name, $"{at}.memoryTiers[{j}].vcpu", "must be a number of vCPUs, 0 or more");
                if (tiers.Count > 0 && tiers[^1].MemoryMb >= t.MemoryMb) throw Bad(name, $"{at}.memoryTiers[{j}].memoryMb", "must be larger than the size before it (smallest first)");
                tiers.Add(new MemoryTier(t.MemoryMb.Value, t.Vcpu.Value));
            }

            platforms.Add(new PlatformPrice
            {
                Name = p.Name,
                RequestUsdPerMillion = Required(p.RequestUsdPerMillion, name, $"{at}.requestUsdPerMillion"),
                GbSecondUsd = Required(p.GbSecondUsd, name, $"{at}.gbSecondUsd"),
                VcpuSecondUsd = Optional(p.VcpuSecondUsd, name, $"{at}.vcpuSecondUsd"),
                BillingIncrementMs = Optional(p.BillingIncrementMs, name, $"{at}.billingIncrementMs", 1),
                MinimumBilledMs = Optional(p.MinimumBilledMs, name, $"{at}.minimumBilledMs"),
                MemoryTiers = tiers,
                FreeRequests = Optional(p.FreeRequests, name, $"{at}.freeRequests"),
                FreeGbSeconds = Optional(p.FreeGbSeconds, name, $"{at}.freeGbSeconds"),
                FreeVcpuSeconds = Optional(p.FreeVcpuSeconds, name, $"{at}.freeVcpuSeconds"),
                Date = p.Date,
                Source = p.Source,
                Note = p.Note,
            });
        }

        var containers = new List<ContainerPrice>();
        foreach (var (c, i) in (file.Containers ?? []).Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(c.Name)) throw Bad(name, $"containers[{i}].name", "is missing");
            containers.Add(new ContainerPrice
            {
                Name = c.Name,
                MonthlyUsd = Required(c.MonthlyUsd, name, $"containers[{i}] ({c.Name}).monthlyUsd"),
                Date = c.Date,
                Source = c.Source,
                Note = c.Note,
            });
        }

        if (platforms.Count == 0) throw Bad(name, "platforms", "has no platform to price");
        if (containers.Count == 0) throw Bad(name, "containers", "has no container to compare with");
        return new PriceList
        {
            Currency = string.IsNullOrWhiteSpace(file.Currency) ? throw Bad(name, "currency", "is missing") : file.Currency,
            PricesDate = string.IsNullOrWhiteSpace(file.PricesDate) ? throw Bad(name, "pricesDate", "is missing") : file.PricesDate,
            Platforms = platforms,
            Containers = containers,
            DefaultContainer = file.DefaultContainer ?? containers[0].Name,
            OverrideFile = overrideFile,
        };
    }

    private static double Required(double? value, string file, string field)
        => value is null ? throw Bad(file, field, "is missing") : Optional(value, file, field);

    private static double Optional(double? value, string file, string field, double fallback = 0)
        => value switch
        {
            null => fallback,
            < 0 or double.NaN or double.PositiveInfinity => throw Bad(file, field, $"is {value}; it must be a number, 0 or more"),
            _ => value.Value,
        };

    private static PortableConfigurationException Bad(string file, string field, string problem) => new($"{file}: {field} {problem}.");
}
