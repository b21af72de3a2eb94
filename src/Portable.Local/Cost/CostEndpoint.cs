using Microsoft.Extensions.Logging;

namespace Portable.Local.Cost;

/// <summary>
/// <c>GET /_portable/api/cost?requests=N[&amp;container=NAME][&amp;freeTiers=true]</c>: the cost projection of what this host (and earlier
/// runs) measured, as JSON for the dashboard; what the query leaves out comes from <c>Portable:Local:Cost</c>. The price list is read
/// on the first call that succeeds, not at start (an edited override file counts after a restart); a bad price file answers 500
/// naming the file and field (and is logged), a bad query value or an unknown container answers 400.
/// </summary>
internal sealed partial class CostEndpoint(PortableApp app, UsageRecorder usage, ILogger<CostEndpoint> log)
{
    private PriceList? _prices;

    public HttpResponseData Answer(HttpValues query)
    {
        CostOptions options;
        try
        {
            options = CostOptions.From(app.Configuration, []);
            if (query["requests"] is { } requests) options.Requests = CostOptions.ParseRequests(requests, "requests");
            if (query["container"] is { Length: > 0 } container) options.Container = container;
            if (query["freeTiers"] is { } free)
                options.FreeTiers = bool.TryParse(free, out var b) ? b : throw new PortableConfigurationException($"freeTiers is '{free}'; write true or false.");
        }
        catch (PortableConfigurationException e)
        {
            LogRefused(log, e.Message);
            return HttpResponseData.Problem(400, "Bad Request", e.Message);
        }

        try
        {
            _prices ??= PriceList.Load(options.PricesFile, Directory.GetCurrentDirectory(), app.Environment.ContentRootPath);
        }
        catch (PortableConfigurationException e)
        {
            LogPricesInvalid(log, e, e.Message);
            return HttpResponseData.Problem(500, "Internal Server Error", e.Message);
        }

        try
        {
            var cost = CostDocument.Build(app.Catalog, usage.Snapshot(), _prices, options);
            return HttpResponseData.Json(200, cost, CostJsonContext.Default.CostDocument);
        }
        catch (PortableConfigurationException e) // the container asked for is not in the price list
        {
            LogRefused(log, e.Message);
            return HttpResponseData.Problem(400, "Bad Request", e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "GET /_portable/api/cost refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Error, "The cost projection cannot be made: {Reason}")]
    private static partial void LogPricesInvalid(ILogger logger, Exception exception, string reason);
}
