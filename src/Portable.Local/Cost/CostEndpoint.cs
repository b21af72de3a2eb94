using Microsoft.Extensions.Logging;

namespace Portable.Local.Cost;

/// <summary>
/// <c>GET /_portable/api/cost?requests=N</c>: the cost projection of what this host (and earlier runs) measured, as JSON for the
/// dashboard. The price list is read on the first call, not at start; a bad price file answers 500 naming the file and field
/// (and is logged), a bad <c>requests</c> answers 400.
/// </summary>
internal sealed partial class CostEndpoint(PortableApp app, UsageRecorder usage, ILogger<CostEndpoint> log)
{
    private PriceList? _prices;

    public HttpResponseData Answer(string? requests)
    {
        CostOptions options;
        try
        {
            options = CostOptions.From(app.Configuration, []);
            if (requests is not null) options.Requests = CostOptions.ParseRequests(requests, "requests");
        }
        catch (PortableConfigurationException e)
        {
            LogRefused(log, e.Message);
            return HttpResponseData.Problem(400, "Bad Request", e.Message);
        }

        try
        {
            _prices ??= PriceList.Load(options.PricesFile, app.Environment.ContentRootPath);
            var cost = CostDocument.Build(app.Catalog, usage.Snapshot(), _prices, options);
            return HttpResponseData.Json(200, cost, CostJsonContext.Default.CostDocument);
        }
        catch (PortableConfigurationException e)
        {
            LogPricesInvalid(log, e, e.Message);
            return HttpResponseData.Problem(500, "Internal Server Error", e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "GET /_portable/api/cost refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Error, "The cost projection cannot be made: {Reason}")]
    private static partial void LogPricesInvalid(ILogger logger, Exception exception, string reason);
}
