using IdentityService.Admin;
using IdentityService.Data;
using IdentityService.Endpoints;
using IdentityService.Pruning;
using IdentityService.Revocation;
using IdentityService.Seeding;
using IdentityService.Server;
using IdentityService.ServiceClients;
using IdentityService.Settings;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServerSettings();
builder.AddIdentityStore();
builder.AddTokenServer();
builder.AddRevocation();
builder.AddStorePruning();
builder.AddAdminApi();
builder.Services.AddTokenEndpoint();

var app = builder.Build();

await app.CreateIdentityStoreAsync();
await app.SeedDevelopmentDataAsync();
await app.SynchronizeServiceClientsAsync();

app.MapDefaultEndpoints();
app.MapTokenEndpoint();
app.MapRevocationFeed();
app.MapAdminApi();

app.Run();
