using Orders;
using Portable;

var builder = PortableApp.CreateBuilder(args);
OrdersApp.Configure(builder);
await builder.Build().RunAsync();
