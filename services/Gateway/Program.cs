using Suite.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRedisClient("redis");
builder.AddNpgsqlDataSource("postgres");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
