using System.Text.Json;
using System.Text.Json.Serialization;

namespace UserService.Profiles;

/// <summary>Source-generated JSON for ProfileService's answers: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Profile))]
[JsonSerializable(typeof(Preferences))]
[JsonSerializable(typeof(Activity))]
internal sealed partial class ProfileServiceJsonContext : JsonSerializerContext;
