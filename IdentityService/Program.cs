using IdentityService.Data;
using IdentityService.Endpoints;
using IdentityService.Seeding;
using IdentityService.Server;
using IdentityService.ServiceClients;
using IdentityService.Settings;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServerSettings();
builder.AddIdentityStore();
builder.AddTokenServer();
builder.Services.AddTokenEndpoint();

var app = builder.Build();

await app.CreateIdentityStoreAsync();
await app.SeedDevelopmentDataAsync();
await app.SynchronizeServiceClientsAsync();

app.MapDefaultEndpoints();
app.MapTokenEndpoint();

app.Run();
