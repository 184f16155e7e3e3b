using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace UserService.Exports;

internal static class UnixMilliseconds
{
    public static readonly ValueConverter<DateTimeOffset, long> Converter = new(
        time => time.ToUnixTimeMilliseconds(), value => DateTimeOffset.FromUnixTimeMilliseconds(value));

    public static readonly ValueConverter<DateTimeOffset?, long?> NullableConverter = new(
        time => time.HasValue ? time.Value.ToUnixTimeMilliseconds() : null,
        value => value.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds(value.Value) : null);
}
