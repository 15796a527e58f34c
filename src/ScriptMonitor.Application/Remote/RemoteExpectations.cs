using System.Net.Http.Headers;
using System.Text.Json;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Remote;

/// <summary>
/// The expectations kept by a server, read and changed through its API (changes need an admin key). A patch is
/// checked here first, as against a store, so that a broken one is refused in the same words (naming the command's
/// options) before anything is sent; the server checks it again against the current expectation.
/// </summary>
internal sealed class RemoteExpectations(ServerConnection server, TimeProvider timeProvider) : IExpectations
{
    public async Task<ExpectationView?> GetAsync(string script, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await server.GetJsonAsync(ServerPaths.Script(script, "expectation"), ViewJsonContext.Default.ExpectationView, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    public async Task<ExpectationListView> ListAsync(CancellationToken cancellationToken = default) =>
        (await server.GetJsonAsync(ServerPaths.Api + "expectations", ViewJsonContext.Default.ExpectationListView, cancellationToken).ConfigureAwait(false)).Value;

    public async Task<ExpectationView> SetAsync(string script, ExpectationPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var name = RunValidation.ScriptName(script, "script");
        ExpectationValidation.Validate(patch.ToChange(timeProvider.GetUtcNow())(new ScriptExpectation(name)));
        using var body = new ByteArrayContent(PatchBody(patch));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return (await server.SendAsync(HttpMethod.Put, ServerPaths.Script(script, "expectation"), body, ViewJsonContext.Default.ExpectationView, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<ExpectationRemovedView> RemoveAsync(string script, CancellationToken cancellationToken = default) =>
        (await server.SendAsync(HttpMethod.Delete, ServerPaths.Script(script, "expectation"), null, ViewJsonContext.Default.ExpectationRemovedView, cancellationToken).ConfigureAwait(false)).Value;

    public async Task<LearnedView?> LearnAsync(string script, bool save, CancellationToken cancellationToken = default)
    {
        try
        {
            var path = ServerPaths.WithQuery(ServerPaths.Script(script, "expectation/learn"), ("save", save ? "true" : "false"));
            return (await server.SendAsync(HttpMethod.Post, path, null, ViewJsonContext.Default.LearnedView, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The patch as the server's JSON takes it: durations in seconds, as the views give them; fields not given left out.</summary>
    private static byte[] PatchBody(ExpectationPatch patch)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Seconds(json, "everySeconds", patch.Every);
            Text(json, "cron", patch.Cron);
            Text(json, "timeZone", patch.TimeZone);
            Seconds(json, "graceSeconds", patch.Grace);
            Seconds(json, "minRuntimeSeconds", patch.MinRuntime);
            Seconds(json, "maxRuntimeSeconds", patch.MaxRuntime);
            List(json, "hosts", patch.Hosts);
            Number(json, "atLeast", patch.AtLeast);
            Number(json, "failuresTolerated", patch.FailuresTolerated);
            Seconds(json, "abandonAfterSeconds", patch.AbandonAfter);
            Number(json, "skipsBeforeAlert", patch.SkipsBeforeAlert);
            if (patch.Pause)
            {
                json.WriteBoolean("pause", true);
            }

            Text(json, "until", patch.Until is { } until ? Timestamps.FormatIso(until) : null);
            if (patch.Resume)
            {
                json.WriteBoolean("resume", true);
            }

            List(json, "tags", patch.Tags);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Seconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            json.WriteNumber(name, Views.Seconds.Of(duration));
        }
    }

    private static void Number(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void List(Utf8JsonWriter json, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
