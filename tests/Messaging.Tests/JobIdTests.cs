namespace Suite.Messaging.Tests;

public sealed class JobIdTests
{
    [Fact]
    public void Ids_are_26_characters_of_crockford_base32_and_carry_their_time()
    {
        var before = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var id = JobId.New();

        Assert.Equal(26, id.Length);
        Assert.True(JobId.IsValid(id));
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", id);
        // At or after the clock (ids made earlier in the same millisecond push it forward, never back).
        Assert.InRange(JobId.GetTimestamp(id), before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void Ids_made_one_after_another_sort_in_the_order_they_were_made_even_within_a_millisecond()
    {
        var time = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1000).Select(_ => JobId.New(time)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(string.CompareOrdinal(ids[^1], JobId.New()) < 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FA")]
    [InlineData("01arz3ndektsv4rrffq69g5fav")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAU")]
    [InlineData("81ARZ3NDEKTSV4RRFFQ69G5FAV")]
    public void Malformed_ids_are_not_valid(string? id) => Assert.False(JobId.IsValid(id));
}
