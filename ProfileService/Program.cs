using ProfileService.Profiles;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddJwtBearerAuthentication(audience: "profileservice");
builder.Services.AddProblemDetails();
builder.AddDefaultOpenApi();
builder.Services.AddGrpc();
builder.Services.AddSingleton<ProfileStore>();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapApiDocuments();
app.MapProfileEndpoints();

app.Run();
