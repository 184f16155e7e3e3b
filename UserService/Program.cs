using UserService.Exports;
using UserService.Profiles;
using UserService.Users;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddJwtBearerAuthentication(audience: "userservice");
builder.AddProfileServiceClient();
builder.Services.AddScoped<UserSummaryReader>();
builder.AddExports();
builder.Services.AddProblemDetails();
builder.AddDefaultOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapApiDocuments();
app.MapUserEndpoints();
app.MapExportEndpoints();

app.Run();
