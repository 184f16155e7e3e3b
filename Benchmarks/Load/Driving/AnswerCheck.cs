using System.Text.Json;

namespace Benchmarks.Load.Driving;

/// <summary>
/// Whether an answer of <c>GET /users/me</c> is the caller's own: both <c>userId</c> and
/// <c>profile.userId</c> name them. Read with Utf8JsonReader, so checking every answer stays cheap.
/// </summary>
internal static class AnswerCheck
{
    public static bool IsFor(ReadOnlySpan<byte> json, string userId)
    {
        var reader = new Utf8JsonReader(json);
        bool ownUser = false, ownProfile = false, inProfile = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1 && reader.ValueTextEquals("userId"u8):
                        ownUser = ReadsAs(ref reader, userId);
                        break;
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1 && reader.ValueTextEquals("profile"u8):
                        inProfile = reader.Read() && reader.TokenType == JsonTokenType.StartObject;
                        break;
                    case JsonTokenType.PropertyName when inProfile && reader.CurrentDepth == 2 && reader.ValueTextEquals("userId"u8):
                        ownProfile = ReadsAs(ref reader, userId);
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 1:
                        inProfile = false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return ownUser && ownProfile;
    }

    private static bool ReadsAs(ref Utf8JsonReader reader, string userId) =>
        reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(userId);
}
