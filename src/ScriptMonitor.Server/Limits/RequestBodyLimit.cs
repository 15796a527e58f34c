using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Limits;

/// <summary>
/// The largest request body, <see cref="ServerOptions.MaxRequestBodyBytes"/>: Kestrel enforces it on every request,
/// from the Content-Length up front or, for a chunked body, as soon as more than that arrives. The endpoint never
/// gets a body, so nothing is stored; under the native API the 413 is a problem (its status code pages) whose detail
/// names the setting.
/// </summary>
internal static class RequestBodyLimit
{
    public static void AddRequestBodyLimit(this WebApplicationBuilder builder, long maxBytes)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBytes);
        builder.Services.Configure<ProblemDetailsOptions>(problems => problems.CustomizeProblemDetails += context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail = $"the request body is larger than {maxBytes} bytes ({ServerOptions.Section}:{nameof(ServerOptions.MaxRequestBodyBytes)}); nothing was stored";
            }
        });
    }
}
