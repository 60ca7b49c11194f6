using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Suite.Messaging;

/// <summary>The error answers of the jobs endpoints, in the OpenAI shape with the matching status.</summary>
internal static class ApiErrors
{
    private const string InvalidRequest = "invalid_request_error";

    public static JsonHttpResult<ApiErrorResponse> Unauthorized() => Error(StatusCodes.Status401Unauthorized,
        "The caller could not be identified: send valid credentials (an API key).", "authentication_error", null, "unauthorized");

    public static JsonHttpResult<ApiErrorResponse> JobNotFound(string id) => Error(StatusCodes.Status404NotFound,
        $"No job with id '{id}' was found.", InvalidRequest, "id", "job_not_found");

    public static JsonHttpResult<ApiErrorResponse> Invalid(string param, string message) => Error(StatusCodes.Status400BadRequest,
        message, InvalidRequest, param, "invalid_value");

    public static JsonHttpResult<ApiErrorResponse> Gone(string param, string message, string code) => Error(StatusCodes.Status410Gone,
        message, InvalidRequest, param, code);

    public static JsonHttpResult<ApiErrorResponse> Conflict(string message, string code) => Error(StatusCodes.Status409Conflict,
        message, InvalidRequest, "id", code);

    public static JsonHttpResult<ApiErrorResponse> Unavailable() => Error(StatusCodes.Status503ServiceUnavailable,
        "The job store is unavailable right now; retry shortly.", "server_error", null, "service_unavailable");

    public static JsonHttpResult<ApiErrorResponse> Unexpected() => Error(StatusCodes.Status500InternalServerError,
        "The request failed unexpectedly.", "server_error", null, null);

    private static JsonHttpResult<ApiErrorResponse> Error(int status, string message, string type, string? param, string? code) =>
        TypedResults.Json(new ApiErrorResponse(new ApiError(message, type, param, code)), statusCode: status);
}
