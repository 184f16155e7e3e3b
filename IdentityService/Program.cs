using IdentityService.Admin;
using IdentityService.Clients;
using IdentityService.Data;
using IdentityService.Endpoints;
using IdentityService.Keys;
using IdentityService.KeysAtRest;
using IdentityService.Passwords;
using IdentityService.Pruning;
using IdentityService.RateLimits;
using IdentityService.Revocation;
using IdentityService.Roles;
using IdentityService.Scopes;
using IdentityService.Seeding;
using IdentityService.Server;
using IdentityService.Settings;
using IdentityService.SignIn;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServerSettings();
builder.AddRateLimits();
builder.AddIdentityStore();
builder.AddKeysAtRest();
builder.AddTokenServer();
builder.AddRevocation();
builder.AddStorePruning();
builder.AddAdminApi();
builder.AddPersonSignIn();
builder.Services.AddTokenEndpoint();
builder.Services.AddPasswordCheck();

var app = builder.Build();

await app.CreateIdentityStoreAsync();
if (await app.RunAdminCommandAsync(args))
{
    return;
}

if (!await app.TrySealKeysAtRestAsync())
{
    // The reason is logged: a stored key does not open with the configured key-encryption key.
    Environment.ExitCode = 1;
    return;
}

await app.LoadServerKeysAsync();
await app.RegisterApiScopesAsync();
await app.SeedDevelopmentDataAsync();
await app.SynchronizeClientsAsync();

app.UseStrictTransportSecurity();
app.MapDefaultEndpoints();
app.MapTokenEndpoint();
app.MapPersonSignIn();
app.MapRevocationFeed();
app.MapAdminApi();

app.Run();
