namespace Suite.ServiceDefaults.Tests;

public sealed class SecretAttributesTests
{
    [Theory]
    [InlineData("http.request.header.authorization")]
    [InlineData("http.request.header.x-api-key")]
    [InlineData("http.request.header.cookie")]
    [InlineData("openai.apiKey")]
    [InlineData("api_key")]
    [InlineData("db.password")]
    [InlineData("client_secret")]
    [InlineData("refresh_token")]
    [InlineData("accessToken")]
    [InlineData("db.connection_string")]
    [InlineData("Suite:InternalToken")]
    public void Secret_looking_names_are_secret(string name) => Assert.True(SecretAttributes.IsSecret(name));

    [Theory]
    [InlineData("gen_ai.usage.input_tokens")]
    [InlineData("gen_ai.usage.output_tokens")]
    [InlineData("gen_ai.request.max_tokens")]
    [InlineData("gen_ai.request.model")]
    [InlineData("gen_ai.provider.name")]
    [InlineData("http.route")]
    [InlineData("db.query.text")]
    public void Ordinary_names_are_kept(string name) => Assert.False(SecretAttributes.IsSecret(name));

    [Theory]
    [InlineData("Bearer sk-live-123", true)]
    [InlineData("basic dXNlcjpwYXNz", true)]
    [InlineData("tiny-llm", false)]
    public void Credential_values_are_recognised_whatever_the_name(string value, bool secret) =>
        Assert.Equal(secret, SecretAttributes.LooksSecret(value));
}
