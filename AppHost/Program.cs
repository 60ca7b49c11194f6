using Suite.AppHost.Hosting;
using Suite.AppHost.Resources;

// The suite, declared as an Aspire AppHost declares it. A project whose folder does not exist yet
// is skipped at run time, so each service is one line here from the day it is planned.
var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedis("redis");
var postgres = builder.AddPostgres("postgres");

builder.AddProject("gateway", "services/Gateway/Suite.Gateway.csproj")
    .WithReference(redis)
    .WithReference(postgres)
    .WithReplicas(1)
    .WithExternalHttpEndpoint();

builder.Build().Run();
