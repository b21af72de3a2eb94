using Billing;
using Portable;

var builder = PortableApp.CreateBuilder(args);
BillingApp.Configure(builder);
await builder.Build().RunAsync();
