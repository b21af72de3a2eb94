using System.Net.Http.Headers;

var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set.");
using var http = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/"), Timeout = Timeout.InfiniteTimeSpan };
var body = """{"statusCode":200,"headers":{"Content-Type":"text/plain; charset=utf-8"},"body":"Hello, Ada","isBase64Encoded":false}"""u8.ToArray();
while (true)
{
    using var next = await http.GetAsync(new Uri("runtime/invocation/next", UriKind.Relative)).ConfigureAwait(false);
    var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").First();
    _ = await next.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var posted = await http.PostAsync(new Uri($"runtime/invocation/{id}/response", UriKind.Relative), content).ConfigureAwait(false);
}
