using System.Text.Json.Serialization;

namespace Portable.Local.Dashboard;

/// <summary>Source-generated JSON metadata for the dashboard's API answers (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpanPage))]
[JsonSerializable(typeof(IReadOnlyList<ScheduleView>))]
[JsonSerializable(typeof(FireResult))]
[JsonSerializable(typeof(IReadOnlyList<RepositoryView>))]
[JsonSerializable(typeof(DocumentPage))]
[JsonSerializable(typeof(DocumentView))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
