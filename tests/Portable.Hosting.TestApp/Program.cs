using Portable;
using Portable.Hosting.TestApp;

var builder = PortableApp.CreateBuilder(args);
TableApp.Configure(builder);
await builder.Build().RunAsync();
