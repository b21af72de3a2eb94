using Portable;
using Portable.Gcp.Conformance;

// The app Google's Functions Framework conformance client is pointed at:
// FUNCTION_TARGET=<http|cloudevent|legacyevent|typed|concurrent> FUNCTION_SIGNATURE_TYPE=<http|cloudevent|event|typed> PORT=8080.
var builder = PortableApp.CreateBuilder(args);
ConformanceApp.Configure(builder);
await builder.Build().RunAsync();
