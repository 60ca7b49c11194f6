namespace Suite.Redis.Tests;

public sealed class RedisOptionsTests
{
    [Fact]
    public void Parse_reads_every_setting()
    {
        var options = RedisOptions.Parse("cache.local:6380,password=p@ss,user=app,defaultDatabase=2,name=gateway,connectTimeout=1500,syncTimeout=250,protocol=3");

        Assert.Equal(("cache.local", 6380), (options.Host, options.Port));
        Assert.Equal(("app", "p@ss", 2, "gateway"), (options.User, options.Password, options.Database, options.ClientName));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommandTimeout);
        Assert.Equal(3, options.Protocol);
    }

    [Theory]
    [InlineData("localhost", "localhost", 6379)]
    [InlineData("10.0.0.5:7000", "10.0.0.5", 7000)]
    [InlineData("[::1]:6390", "::1", 6390)]
    [InlineData("redis:6379,abortConnect=false,ssl=false", "redis", 6379)]
    public void Parse_reads_the_endpoint(string text, string host, int port)
    {
        var options = RedisOptions.Parse(text);

        Assert.Equal((host, port), (options.Host, options.Port));
    }

    [Theory]
    [InlineData("localhost,colour=blue", "colour")]
    [InlineData("localhost:notaport", "port")]
    [InlineData("localhost,protocol=4", "protocol")]
    [InlineData("localhost,defaultDatabase=-1", "defaultDatabase")]
    [InlineData("password=x", "host:port")]
    public void Parse_rejects_bad_settings_naming_them(string text, string named)
    {
        var error = Assert.Throws<FormatException>(() => RedisOptions.Parse(text));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void ToString_never_shows_the_password()
    {
        var options = RedisOptions.Parse("localhost:6379,password=TopSecret,name=x");

        Assert.DoesNotContain("TopSecret", options.ToString());
        Assert.Contains("password=*****", options.ToString());
    }
}
