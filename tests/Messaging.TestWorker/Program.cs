using Suite.Messaging;
using Suite.Messaging.TestWorker;
using Suite.ServiceDefaults;

// A job worker as a real service runs one, for the tests that kill it (SIGKILL) or stop it (SIGTERM).
// Settings: ConnectionStrings__redis, ConnectionStrings__postgres, Worker__Kind, Worker__VisibilityTimeout,
// Worker__ClaimInterval, Worker__DrainTimeout (bus), Suite__DrainTimeout (host).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddJobs();
var worker = builder.Configuration.GetSection("Worker");
builder.Services.AddJobHandler<SlowOutputHandler>(worker["Kind"] ?? "slow", options =>
{
    options.VisibilityTimeout = worker.GetValue("VisibilityTimeout", options.VisibilityTimeout);
    options.ClaimInterval = worker.GetValue("ClaimInterval", options.ClaimInterval);
    options.DrainTimeout = worker.GetValue("DrainTimeout", options.DrainTimeout);
    options.BlockTime = TimeSpan.FromMilliseconds(200);
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
