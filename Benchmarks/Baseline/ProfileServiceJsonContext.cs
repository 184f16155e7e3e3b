using System.Text.Json;
using System.Text.Json.Serialization;

namespace Benchmarks.Baseline;

/// <summary>Source-generated JSON for the client, as UserService's ProfileServiceJsonContext.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Profile))]
internal sealed partial class ProfileServiceJsonContext : JsonSerializerContext;
